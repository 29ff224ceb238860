// `cellcert verify` of genuine and forged certificates (test/support/forged-certificates.ts), each row's exit code
// and first line, held against verifiers Cellcert did not write: poppler's pdfsig with an NSS database that
// trusts the commissioning CAs, and `openssl cms -verify` on the signed bytes (-crl_check with the CRL beside
// the CA, at the signing time). Where they can see the fault they agree; the shown-verdict mismatch is one
// they cannot see (the signature is sound) and only Cellcert's plant-verdict check catches.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../electron/cli/program";
import { SIGNING_TIME } from "../support/certificate-identities";
import {
  opensslCmsVerify,
  requireTools,
  tool,
} from "../support/certificate-tools";
import { captureIo } from "../support/cli";
import {
  trustScenarios,
  type TrustScenarios,
} from "../support/forged-certificates";

let folder: string;
let scenarios: TrustScenarios;
const nss = (): string => `sql:${join(folder, "nss")}`;

const DOCUMENTS = {
  genuine: (s: TrustScenarios) => s.genuine,
  forged: (s: TrustScenarios) => s.forged,
  "server-signed": (s: TrustScenarios) => s.serverSigned,
  "below-zero": (s: TrustScenarios) => s.belowZeroSigned,
  revoked: (s: TrustScenarios) => s.revokedSigned,
  "mismatch-forged": (s: TrustScenarios) => s.mismatchForged,
  "mismatch-genuine": (s: TrustScenarios) => s.mismatchGenuine,
} as const;
type DocumentName = keyof typeof DOCUMENTS;

beforeAll(async () => {
  requireTools("pdfsig", "openssl", "certutil");
  folder = mkdtempSync(join(tmpdir(), "cellcert-verify-trust-"));
  scenarios = await trustScenarios();
  for (const [name, document] of Object.entries(DOCUMENTS))
    writeFileSync(join(folder, `${name}.pdf`), document(scenarios));
  writeFileSync(
    join(folder, "genuine-ca.pem"),
    scenarios.pki.ca.certificatePem,
  );
  writeFileSync(join(folder, "other-ca.pem"), scenarios.otherCa.pem);
  writeFileSync(join(folder, "zero-ca.pem"), scenarios.zeroRoot.pem);
  writeFileSync(join(folder, "revoking.crl"), scenarios.revokingCrl.der);
  // OpenSSL's cms takes CRLs from the CA file.
  writeFileSync(
    join(folder, "other-ca-and-crl.pem"),
    scenarios.otherCa.pem + scenarios.revokingCrl.pem,
  );
  tool("mkdir", [join(folder, "nss")]);
  const steps = [
    ["-N", "-d", nss(), "--empty-password"],
    ...["genuine-ca", "other-ca", "zero-ca"].map((ca) => [
      "-A",
      "-d",
      nss(),
      "-n",
      ca,
      "-t",
      "CT,C,C",
      "-i",
      join(folder, `${ca}.pem`),
    ]),
  ];
  for (const args of steps) {
    const run = tool("certutil", args);
    if (run.status !== 0)
      throw new Error(`certutil ${args.join(" ")} failed: ${run.output}`);
  }
}, 120_000);

const verify = async (
  ...args: string[]
): Promise<{ code: number; out: string }> => {
  const io = captureIo({ cwd: folder });
  const code = await runCli(["verify", ...args], io);
  return { code, out: [...io.out, ...io.err].join("\n") };
};

describe("cellcert verify: who signed it, and the verdict it shows", () => {
  const rows: [string, DocumentName, string[], number, RegExp][] = [
    [
      "genuine, with its CA",
      "genuine",
      ["--ca", "genuine-ca.pem"],
      0,
      /^genuine\.pdf: VALID — signed, and unchanged since signing\.$/,
    ],
    [
      "genuine, without a CA",
      "genuine",
      [],
      2,
      /^genuine\.pdf: INTACT, SIGNER NOT CHECKED — /,
    ],
    [
      "re-signed by a forger with a self-made key, flipped to COMMISSIONED, without a CA",
      "forged",
      [],
      2,
      /^forged\.pdf: INTACT, SIGNER NOT CHECKED — /,
    ],
    [
      "re-signed by a forger, with the real CA",
      "forged",
      ["--ca", "genuine-ca.pem"],
      1,
      /^forged\.pdf: INVALID — The signature on CN=Łukasz Nowak, O=Muñoz Automatización S\.L\. was not made by the key of CN=Muñoz Automatización S\.L\. Commissioning CA, .*no verifier will accept this signer\.$/,
    ],
    [
      "signed by a TLS server certificate (serverAuth only)",
      "server-signed",
      ["--ca", "other-ca.pem"],
      1,
      /^server-signed\.pdf: INVALID — The signer's certificate CN=mes01\.plant\.local, .* is not made for signing documents \(its extended key usage is serverAuth, without .*\): no verifier will accept this signer\.$/,
    ],
    [
      "signed below a pathLen:0 root, with an intermediate between",
      "below-zero",
      ["--ca", "zero-ca.pem"],
      1,
      /^below-zero\.pdf: INVALID — .*pathLenConstraint.*no verifier will accept this signer\.$/,
    ],
    [
      "signed by an engineer the given CRL revokes",
      "revoked",
      ["--ca", "other-ca.pem", "--crl", "revoking.crl"],
      1,
      /^revoked\.pdf: INVALID — The signer certificate .* was revoked on 2026-02-28 \(reason: keyCompromise\)/,
    ],
    [
      "the same engineer, without the CRL",
      "revoked",
      ["--ca", "other-ca.pem"],
      0,
      /^revoked\.pdf: VALID — /,
    ],
    ...(["mismatch-forged", "mismatch-genuine"] as const).flatMap(
      (name): [string, DocumentName, string[], number, RegExp][] =>
        [[], ["--ca", "genuine-ca.pem"]].map((args) => [
          `page and document information COMMISSIONED over signed evidence "not commissioned" (${name}${args.length === 0 ? "" : ", with the real CA"})`,
          name,
          args,
          1,
          // The first failure is named: the forger's signature, where the real CA shows it up first.
          name === "mismatch-forged" && args.length > 0
            ? /^mismatch-forged\.pdf: INVALID — The signature on .* no verifier will accept this signer\.$/
            : new RegExp(
                `^${name}\\.pdf: INVALID — The signed evidence states NOT COMMISSIONED, but the document information states "commissioned", .* page 1 shows COMMISSIONED: the verdict shown is not the signed one\\.$`,
              ),
        ]),
    ),
  ];
  it.each(rows)("%s: exit %i", async (_name, file, args, code, first) => {
    const run = await verify(`${file}.pdf`, ...args);
    expect(run.out.split("\n")[0], run.out).toMatch(first);
    expect(run.code, run.out).toBe(code);
  });

  it("says the genuine engineer's and the forger's fingerprints apart, which is what a reader without the CA compares", async () => {
    const fingerprint = (out: string): string | undefined =>
      /^Signed by .*, SHA-256 ([0-9A-F:]{95})\.$/m.exec(out)?.[1];
    const genuine = fingerprint((await verify("genuine.pdf")).out);
    const forged = fingerprint((await verify("forged.pdf")).out);
    expect(genuine).toMatch(/^[0-9A-F:]{95}$/);
    expect(forged).toMatch(/^[0-9A-F:]{95}$/);
    expect(forged).not.toBe(genuine);
  });
});

describe("the same documents in verifiers Cellcert did not write", () => {
  const pdfsig = (file: DocumentName): string =>
    tool("pdfsig", ["-nssdir", nss(), join(folder, `${file}.pdf`)]).output;
  const opensslVerify = (file: DocumentName, caFile: string, crl = false) =>
    opensslCmsVerify(DOCUMENTS[file](scenarios), {
      folder,
      name: file,
      caFile: join(folder, caFile),
      extra: [
        "-attime",
        String(Math.floor(SIGNING_TIME.getTime() / 1000)),
        ...(crl ? ["-crl_check"] : []),
      ],
    });

  it("pdfsig trusts the genuine certificate and not the forger's re-signing, though both signatures are intact", () => {
    const genuine = pdfsig("genuine");
    expect(genuine).toContain("Signature Validation: Signature is Valid.");
    expect(genuine).toContain(
      "Certificate Validation: Certificate is Trusted.",
    );
    const forged = pdfsig("forged");
    expect(forged).toContain("Signature Validation: Signature is Valid.");
    expect(forged).toContain(
      "Certificate Validation: Certificate issuer isn't Trusted.",
    );
  });

  it("pdfsig refuses the TLS server certificate and the signer below the pathLen:0 root too", () => {
    expect(pdfsig("server-signed")).toContain(
      "Certificate Validation: Unknown issue with Certificate or corrupted data.",
    );
    expect(pdfsig("below-zero")).toContain(
      "Certificate Validation: Certificate issuer is unknown.",
    );
  });

  it("pdfsig cannot see a shown verdict that differs from the evidence: signed with the real key it is trusted", () => {
    const shown = pdfsig("mismatch-genuine");
    expect(shown).toContain("Signature Validation: Signature is Valid.");
    expect(shown).toContain("Certificate Validation: Certificate is Trusted.");
  });

  it.each([
    ["genuine", "genuine-ca.pem", false, /Verification successful/],
    [
      "forged",
      "genuine-ca.pem",
      false,
      /Verify error: self-signed certificate in certificate chain/,
    ],
    [
      "server-signed",
      "other-ca.pem",
      false,
      /Verify error: unsuitable certificate purpose/,
    ],
    [
      "below-zero",
      "zero-ca.pem",
      false,
      /Verify error: path length constraint exceeded/,
    ],
    [
      "revoked",
      "other-ca-and-crl.pem",
      true,
      /Verify error: certificate revoked/,
    ],
    ["revoked", "other-ca.pem", false, /Verification successful/],
    ["mismatch-genuine", "genuine-ca.pem", false, /Verification successful/],
  ] as const)(
    "openssl cms -verify on %s with %s (CRL checked: %s)",
    (file, caFile, crl, expected) => {
      const run = opensslVerify(file, caFile, crl);
      expect(run.output).toMatch(expected);
      expect(run.status === 0).toBe(/successful/.test(expected.source));
    },
  );
});
