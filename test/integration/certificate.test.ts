// The signed commissioning certificate judged by independent tools: poppler's pdfsig (with the commissioning
// CA in an NSS database for trust), OpenSSL's cms -verify on the signed bytes, qpdf --check, pdftoppm and
// pdftotext; tampering and appended bytes; RSA and ECDSA engineers; PKCS#12 files as OpenSSL writes them
// (AES, 3DES, legacy RC2-40).
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../shared/model/plan";
import { summarizeCertificate } from "../../electron/engine/x509";
import { readPkcs12, writePkcs12 } from "../../electron/engine/identity/pkcs12";
import {
  issueCertificate,
  prepareCertificate,
} from "../../electron/engine/report/issue";
import { signPreparedPdf } from "../../electron/engine/signing/sign";
import { verifyCertificate } from "../../electron/engine/signing/verify";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../support/certificate-identities";
import { UNICODE_NAMES, fixturePlan } from "../support/certificate-plans";
import {
  opensslCmsVerify,
  requireTools,
  signatureHole,
  signedParts,
  tool,
} from "../support/certificate-tools";

let folder: string;
let pki: TestPki;
let good: Plan;
let goodPdf: Uint8Array;
let nssDirectory: string;

const write = (name: string, bytes: Uint8Array | string): string => {
  const path = join(folder, name);
  writeFileSync(path, bytes);
  return path;
};

const pdfsig = (path: string, trusted = false): string =>
  tool("pdfsig", trusted ? ["-nssdir", `sql:${nssDirectory}`, path] : [path])
    .output;

const opensslVerify = (
  pdf: Uint8Array,
  name: string,
): ReturnType<typeof tool> =>
  opensslCmsVerify(pdf, { folder, name, caFile: join(folder, "ca.pem") });

beforeAll(async () => {
  requireTools(
    "pdfsig",
    "pdftotext",
    "pdftoppm",
    "qpdf",
    "openssl",
    "certutil",
  );
  folder = mkdtempSync(join(tmpdir(), "cellcert-certificate-"));
  pki = await testPki();
  write("ca.pem", pki.ca.certificatePem);
  nssDirectory = join(folder, "nss");
  tool("mkdir", [nssDirectory]);
  for (const args of [
    ["-N", "-d", `sql:${nssDirectory}`, "--empty-password"],
    [
      "-A",
      "-d",
      `sql:${nssDirectory}`,
      "-n",
      "commissioning-ca",
      "-t",
      "CT,C,C",
      "-i",
      join(folder, "ca.pem"),
    ],
  ]) {
    const run = tool("certutil", args);
    if (run.status !== 0)
      throw new Error(`certutil ${args.join(" ")} failed: ${run.output}`);
  }
  good = await fixturePlan("good");
  goodPdf = (await issueCertificate(good, pki.engineer, { now: SIGNING_TIME }))
    .pdf;
  write("good.pdf", goodPdf);
}, 120_000);

describe("the certificate in independent tools", () => {
  it("is a valid PAdES signature for pdfsig, and trusted once the commissioning CA is in the NSS database", () => {
    const untrusted = pdfsig(join(folder, "good.pdf"));
    expect(untrusted).toContain("Signature Type: ETSI.CAdES.detached");
    expect(untrusted).toContain("Signing Hash Algorithm: SHA-256");
    expect(untrusted).toContain("Total document signed");
    expect(untrusted).toContain("Signature Validation: Signature is Valid.");
    expect(untrusted).toContain("Signer Certificate Common Name: Łukasz Nowak");
    const trusted = pdfsig(join(folder, "good.pdf"), true);
    expect(trusted).toContain("Signature Validation: Signature is Valid.");
    expect(trusted).toContain(
      "Certificate Validation: Certificate is Trusted.",
    );
  });

  it("passes qpdf --check", () => {
    const run = tool("qpdf", ["--check", join(folder, "good.pdf")]);
    expect(run.stdout).toContain("No syntax or stream encoding errors found");
    expect(run.status).toBe(0);
  });

  it("verifies with openssl cms -verify on the signed bytes, with the attributes of PAdES B-B", () => {
    const run = opensslVerify(goodPdf, "good");
    expect(run.stderr).toContain("Verification successful");
    expect(run.status).toBe(0);
    const printed = tool("openssl", [
      "cms",
      "-cmsout",
      "-print",
      "-inform",
      "DER",
      "-in",
      write("good.p7s", signedParts(goodPdf).cms),
    ]).stdout;
    expect(printed).toContain("contentType");
    expect(printed).toContain("messageDigest");
    expect(printed).toMatch(
      /signingCertificateV2|id-smime-aa-signingCertificateV2/,
    );
    expect(printed).not.toContain("signingTime");
  });

  it("renders page 1 with pdftoppm", () => {
    const run = tool("pdftoppm", [
      "-r",
      "40",
      "-f",
      "1",
      "-l",
      "1",
      "-png",
      join(folder, "good.pdf"),
      join(folder, "page"),
    ]);
    expect(run.status).toBe(0);
    expect(statSync(join(folder, "page-01.png")).size).toBeGreaterThan(5000);
  });

  it("gives the Unicode names back to pdftotext, and 'page X of Y' on every page", () => {
    const text = tool("pdftotext", [
      "-enc",
      "UTF-8",
      join(folder, "good.pdf"),
      "-",
    ]).stdout;
    for (const name of [
      "Łukasz Nowak",
      "Győr body shop",
      "Ștefan Industries S.R.L.",
      "María Muñoz",
      "Muñoz Automatización S.L.",
    ])
      expect(text).toContain(name);
    const pages = text.split("\f").filter((page) => page.trim() !== "");
    expect(pages.length).toBeGreaterThan(10);
    pages.forEach((page, index) =>
      expect(page).toContain(`Page ${index + 1} of ${pages.length}`),
    );
    expect(text).toContain(UNICODE_NAMES.witness);
  });

  it("says PRACTICE on every page of a practice certificate", async () => {
    const issued = await issueCertificate(
      await fixturePlan("broken", { practice: true }),
      pki.engineer,
      { now: SIGNING_TIME },
    );
    write("practice.pdf", issued.pdf);
    const pages = tool("pdftotext", [
      "-enc",
      "UTF-8",
      join(folder, "practice.pdf"),
      "-",
    ])
      .stdout.split("\f")
      .filter((page) => page.trim() !== "");
    expect(pages.length).toBeGreaterThan(10);
    pages.forEach((page, index) =>
      expect(page, `page ${index + 1}`).toContain(
        "PRACTICE — NOT A COMMISSIONING CERTIFICATE",
      ),
    );
    expect(pages[0]).toContain("NOT COMMISSIONED");
    expect(pdfsig(join(folder, "practice.pdf"))).toContain(
      "Signature is Valid.",
    );
  });
});

describe("text from the network on the certificate", () => {
  it("shows bidi overrides and control characters as visible escapes, never as themselves", async () => {
    const plan = await fixturePlan("broken");
    const failing = plan.runs
      .flatMap((run) => run.results)
      .find((result) => result.verdict === "fail");
    if (failing === undefined) throw new Error("the fixture has no failure");
    // A certificate subject meant to read "CN=invoicexe.pdf" reversed, and a terminal's clear-screen.
    failing.message = "Subject CN=invoice\u202Efdp.exe\u202C seen \u001b[2J";
    const issued = await issueCertificate(plan, pki.engineer, {
      now: SIGNING_TIME,
    });
    write("hostile-text.pdf", issued.pdf);
    const text = tool("pdftotext", [
      "-enc",
      "UTF-8",
      join(folder, "hostile-text.pdf"),
      "-",
    ]).stdout;
    expect(text).toContain("CN=invoice\\u202Efdp.exe\\u202C seen \\u001B[2J");
    expect(text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(text.includes("\u001b")).toBe(false);
  });
});

describe("tampering", () => {
  it("fails pdfsig and verify for a single changed byte anywhere in the signed range", async () => {
    const hole = signatureHole(goodPdf);
    const positions = {
      start: 0,
      middle: Math.floor(hole.start / 2),
      "right before the signature": hole.start - 1,
      "right after the signature": hole.end,
      end: goodPdf.length - 1,
    };
    for (const [where, position] of Object.entries(positions)) {
      const tampered = new Uint8Array(goodPdf);
      tampered[position] = (tampered[position] ?? 0) ^ 0x01;
      const path = write(`tampered-${position}.pdf`, tampered);
      expect(pdfsig(path), `pdfsig, byte ${where} (${position})`).not.toContain(
        "Signature is Valid.",
      );
      expect(
        (await verifyCertificate(tampered, { caPems: [pki.ca.certificatePem] }))
          .valid,
        `verify, byte ${where}`,
      ).toBe(false);
    }
  });

  it("reports appended bytes, as pdfsig does", async () => {
    const appended = Buffer.concat([goodPdf, Buffer.from("\n% added later\n")]);
    const path = write("appended.pdf", appended);
    expect(pdfsig(path)).toContain("Not total document signed");
    const result = await verifyCertificate(appended);
    expect(result.valid).toBe(false);
    expect(result.appendedBytes).toBe(15);
  });

  it("catches an ESS certificate hash that names another certificate, which openssl 3.0 lets pass", async () => {
    const { prepared } = await prepareCertificate(good, pki.engineer, {
      now: SIGNING_TIME,
    });
    const lying = signPreparedPdf(prepared, pki.engineer, {
      essCertificatePem: pki.ca.certificatePem,
    });
    expect(opensslVerify(lying, "lying").status).toBe(0);
    const result = await verifyCertificate(lying, {
      caPems: [pki.ca.certificatePem],
    });
    expect(result.valid).toBe(false);
    expect(
      result.checks.find((c) => c.id === "signing-certificate"),
    ).toMatchObject({
      outcome: "fail",
      message:
        "The ESS signing-certificate-v2 hash does not match the signer's certificate.",
    });
  });
});

describe("engineer identities from OpenSSL", () => {
  const passphrase = "Győr-2026";

  /** An engineer certificate from the commissioning CA for a key OpenSSL made, as a PKCS#12 file. */
  const opensslIdentity = (
    name: string,
    keyArgs: string[],
    exportArgs: string[],
  ): Uint8Array => {
    const key = join(folder, `${name}.key`);
    const csr = join(folder, `${name}.csr`);
    const certificate = join(folder, `${name}.pem`);
    const caKey = write(
      "ca.key",
      pki.ca.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
    );
    const extensions = write(
      `${name}.ext`,
      "keyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=emailProtection\nbasicConstraints=critical,CA:FALSE\n",
    );
    const steps: string[][] = [
      ["genpkey", ...keyArgs, "-out", key],
      [
        "req",
        "-new",
        "-key",
        key,
        "-subj",
        "/O=Muñoz Automatización S.L./CN=Ștefan Popescu",
        "-utf8",
        "-out",
        csr,
      ],
      [
        "x509",
        "-req",
        "-in",
        csr,
        "-CA",
        join(folder, "ca.pem"),
        "-CAkey",
        caKey,
        "-CAcreateserial",
        "-days",
        "1000",
        "-sha256",
        "-extfile",
        extensions,
        "-out",
        certificate,
      ],
      [
        "pkcs12",
        "-export",
        "-inkey",
        key,
        "-in",
        certificate,
        "-certfile",
        join(folder, "ca.pem"),
        "-passout",
        `pass:${passphrase}`,
        "-out",
        join(folder, `${name}.p12`),
        ...exportArgs,
      ],
    ];
    for (const args of steps) {
      const run = tool("openssl", args);
      if (run.status !== 0)
        throw new Error(`openssl ${args.join(" ")} failed: ${run.output}`);
    }
    return new Uint8Array(readFileSync(join(folder, `${name}.p12`)));
  };

  it("signs with an ECDSA P-256 engineer, valid and trusted in pdfsig and verified by openssl", async () => {
    const identity = readPkcs12(
      opensslIdentity(
        "ec",
        ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
        [],
      ),
      passphrase,
    );
    expect(identity.keyType).toBe("ec");
    expect(summarizeCertificate(identity.certificatePem).subject).toBe(
      "CN=Ștefan Popescu, O=Muñoz Automatización S.L.",
    );
    expect(
      identity.chainPems.map(
        (pem) => summarizeCertificate(pem).fingerprintSha256,
      ),
    ).toEqual([summarizeCertificate(pki.ca.certificatePem).fingerprintSha256]);
    const pdf = (await issueCertificate(good, identity)).pdf;
    const path = write("ecdsa.pdf", pdf);
    const trusted = pdfsig(path, true);
    expect(trusted).toContain("Signature Validation: Signature is Valid.");
    expect(trusted).toContain(
      "Certificate Validation: Certificate is Trusted.",
    );
    expect(opensslVerify(pdf, "ecdsa").status).toBe(0);
    expect(
      (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] })).valid,
    ).toBe(true);
  });

  it.each([
    [
      "AES-256 (OpenSSL 3's default)",
      "rsa-aes",
      ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
      [],
      /PBES2.*AES-256-CBC/,
    ],
    [
      "3DES",
      "rsa-3des",
      ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
      [
        "-certpbe",
        "PBE-SHA1-3DES",
        "-keypbe",
        "PBE-SHA1-3DES",
        "-macalg",
        "sha1",
      ],
      /pbeWithSHA1And3-KeyTripleDES-CBC/,
    ],
    [
      "legacy RC2-40",
      "rsa-legacy",
      ["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"],
      ["-legacy"],
      /pbeWithSHA1And40BitRC2-CBC/,
    ],
    [
      "legacy RC2-40 with an EC key",
      "ec-legacy",
      ["-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"],
      ["-legacy"],
      /pbeWithSHA1And40BitRC2-CBC/,
    ],
  ])(
    "reads a PKCS#12 file encrypted with %s",
    async (_label, name, keyArgs, exportArgs, encryption) => {
      const bytes = opensslIdentity(name, keyArgs, exportArgs);
      // OpenSSL states how it encrypted the file: the test reads what it claims to.
      const info = tool("openssl", [
        "pkcs12",
        "-info",
        "-noout",
        "-legacy",
        "-in",
        join(folder, `${name}.p12`),
        "-passin",
        `pass:${passphrase}`,
      ]);
      expect(info.output).toMatch(encryption);
      const identity = readPkcs12(bytes, passphrase, {
        fileName: `${name}.p12`,
      });
      expect(identity.keyType).toBe(name.startsWith("ec") ? "ec" : "rsa");
      expect(() =>
        readPkcs12(bytes, "wrong", { fileName: `${name}.p12` }),
      ).toThrow(`The passphrase does not open ${name}.p12.`);
      const pdf = (await issueCertificate(good, identity)).pdf;
      expect(
        (await verifyCertificate(pdf, { caPems: [pki.ca.certificatePem] }))
          .valid,
      ).toBe(true);
    },
  );

  it("writes PKCS#12 files that OpenSSL opens", () => {
    const path = write(
      "cellcert.p12",
      writePkcs12(pki.engineer, passphrase, { friendlyName: "Łukasz Nowak" }),
    );
    const run = tool("openssl", [
      "pkcs12",
      "-in",
      path,
      "-passin",
      `pass:${passphrase}`,
      "-nokeys",
      "-info",
    ]);
    expect(run.status).toBe(0);
    // OpenSSL escapes UTF-8 in names: Ł is \C5\81.
    expect(run.output).toContain("CN = \\C5\\81ukasz Nowak");
    expect(run.output).toMatch(/PBES2.*AES-256-CBC/);
  });
});
