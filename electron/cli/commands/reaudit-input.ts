// What `new --from` and `diff` share: the --ca and --crl options, and a certificate read, verified and its signed
// evidence read (DESIGN §2: intact but signer-not-checked is accepted and said; modified or unreadable is exit 2).
import { Option, type Command } from "commander";
import { basename, resolve } from "node:path";
import { openCertificate, type CheckedCertificate } from "../../engine/reaudit";
import { MAX_CERTIFICATE_BYTES } from "../../engine/signing/verify";
import { inProcessVerifier } from "../../engine/signing/verifier";
import { readInputFile } from "../input-files";

export interface TrustOptions {
  ca: string[];
  crl?: string[];
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  value,
];

/** --ca and --crl, as `verify` takes them. */
export function addTrustOptions(command: Command): Command {
  return command
    .addOption(
      new Option(
        "--ca <file>",
        "a trusted commissioning CA (PEM), to check who signed the certificate; repeat for several",
      )
        .argParser(collect)
        .default([] as string[], "none"),
    )
    .addOption(
      new Option(
        "--crl <file>",
        "a CRL of the commissioning CA (PEM or DER); repeat for several",
      )
        .argParser(collect)
        .default([] as string[], "none"),
    );
}

/** The certificate at `file` (relative to `cwd`), verified with the given CAs and CRLs and its evidence read. */
export async function readCertificateFile(
  file: string,
  cwd: string,
  trust: { caPems: readonly string[]; crlPems: readonly string[] },
): Promise<CheckedCertificate & { path: string }> {
  const path = resolve(cwd, file);
  const bytes = await readInputFile({
    label: "The certificate",
    path,
    limitBytes: MAX_CERTIFICATE_BYTES,
    hint: `give the path of a signed certificate PDF (at most ${MAX_CERTIFICATE_BYTES / 1024 / 1024} MiB)`,
  });
  const checked = await openCertificate(bytes, {
    fileName: basename(path),
    caPems: trust.caPems,
    crlPems: trust.crlPems,
    verifier: inProcessVerifier,
  });
  return { ...checked, path };
}
