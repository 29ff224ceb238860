// What `new --from` and `diff` share (their --ca and --crl are declared in ../declarations.ts): a certificate read, verified and its signed
// evidence read (DESIGN §2: intact but signer-not-checked is accepted and said; modified or unreadable is exit 2).
import { basename, resolve } from "node:path";
import { openCertificate, type CheckedCertificate } from "../../engine/reaudit";
import { MAX_CERTIFICATE_BYTES } from "../../engine/signing/verify";
import { inProcessVerifier } from "../../engine/signing/verifier";
import { readInputFile } from "../input-files";

export interface TrustOptions {
  ca: string[];
  crl?: string[];
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
