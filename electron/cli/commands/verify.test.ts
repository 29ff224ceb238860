import {
  mkdtempSync,
  readFileSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { fixturePlan } from "../../../test/support/certificate-plans";
import { captureIo } from "../../../test/support/cli";
import {
  deflateBomb,
  practiceCertificate,
  signedWithEvidenceStream,
} from "../../../test/support/hostile-pdfs";
import { EC_P256, createCrl, createSelfSigned } from "../../demo/pki";
import { issueCertificate } from "../../engine/report/issue";
import { MAX_CERTIFICATE_BYTES } from "../../engine/signing/verify";
import { runCli } from "../program";
import type { VerifyReport } from "./verify";

let pki: TestPki;
let folder: string;

beforeAll(async () => {
  pki = await testPki();
  folder = mkdtempSync(join(tmpdir(), "cellcert-verify-"));
  const issued = await issueCertificate(
    await fixturePlan("good", { practice: true }),
    pki.engineer,
    {
      now: SIGNING_TIME,
    },
  );
  writeFileSync(join(folder, "practice.pdf"), issued.pdf);
  const tampered = Buffer.from(issued.pdf);
  tampered[2000] = (tampered[2000] ?? 0) ^ 0x20;
  writeFileSync(join(folder, "tampered.pdf"), tampered);
  writeFileSync(join(folder, "ca.pem"), pki.ca.certificatePem);
  writeFileSync(join(folder, "notes.txt"), "not a certificate");
});

const verify = async (...args: string[]) => {
  const io = captureIo({ cwd: folder });
  const code = await runCli(["verify", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
};

describe("cellcert verify", () => {
  it("prints the signer, the signing time and the plant verdict, and exits 0 for an intact certificate", async () => {
    const { code, out } = await verify("practice.pdf", "--ca", "ca.pem");
    expect(code).toBe(0);
    expect(out).toContain(
      "practice.pdf: VALID — signed, and unchanged since signing.",
    );
    expect(out).toContain(
      "PRACTICE certificate: made with the practice plant; it is not a commissioning certificate.",
    );
    expect(out).toMatch(/Certificate +GYOR-BODY-SHOP-20260302-1/);
    expect(out).toMatch(/Plant verdict +✔ COMMISSIONED/);
    expect(out).toMatch(
      /Signed by +CN=Łukasz Nowak, O=Muñoz Automatización S.L., issued by CN=Muñoz/,
    );
    expect(out).toMatch(
      /Signed at +2026-03-02 15:00 UTC \(the signer's laptop clock\)/,
    );
    expect(out).toMatch(/Trusted +yes, the signer chains to the given CA/);
    expect(out).toMatch(
      /Time-stamped +none: only the signer's laptop clock says when it was signed/,
    );
    expect(out).toMatch(
      /Signer judged at +2026-03-02 15:00 UTC, the signing time by the signer's laptop clock/,
    );
    expect(out).toMatch(
      /Kept for later +2 certificates \(CN=Łukasz Nowak, O=Muñoz Automatización S\.L\.; CN=Muñoz .*\) and no CRL/,
    );
  });

  it("never says VALID without --ca: names the signer and its fingerprint, says it was NOT checked and how to give the CA, exit 2", async () => {
    const { code, out } = await verify("practice.pdf");
    expect(code).toBe(2);
    expect(out).not.toMatch(/VALID —/);
    const fingerprint = /Signer SHA-256 +([0-9A-F:]{95})/.exec(out)?.[1];
    expect(fingerprint).toBeDefined();
    expect(out.split("\n").slice(0, 3)).toEqual([
      "practice.pdf: INTACT, SIGNER NOT CHECKED — unchanged since signing, but who signed it was NOT checked, so it is not called valid.",
      `Signed by CN=Łukasz Nowak, O=Muñoz Automatización S.L., SHA-256 ${fingerprint}.`,
      "To check the signer, give the commissioning CA's certificate: cellcert verify practice.pdf --ca COMMISSIONING-CA.pem",
    ]);
    expect(out).toMatch(
      /Plant verdict +✔ COMMISSIONED \(as the document states it; who signed it was not checked\)/,
    );
    expect(out).toMatch(
      /Trusted +NOT checked: give the commissioning CA with --ca/,
    );
  });

  it("prints a versioned JSON document with --json, in each of the three states", async () => {
    const unchecked = await verify("practice.pdf", "--json");
    expect(unchecked.code).toBe(2);
    const report = JSON.parse(unchecked.out) as VerifyReport;
    expect(report).toMatchObject({
      schema: "cellcert.verify-report/2",
      tool: { name: "cellcert" },
      status: "signer-not-checked",
      valid: false,
      intact: true,
      trusted: null,
      practice: true,
      plantVerdict: "commissioned",
      certificateNumber: "GYOR-BODY-SHOP-20260302-1",
      caFiles: [],
      crlFiles: [],
    });
    expect(report.checks).toHaveLength(14);
    // PAdES B-B: no time-stamp, judged at /M; the /DSS holds the signer's chain.
    expect(report).toMatchObject({
      timeStamp: null,
      judgedAt: { time: "2026-03-02T15:00:00.000Z", by: "signing-time" },
      validationData: { crls: [], ignored: [] },
    });
    expect(report.validationData?.certificates).toHaveLength(2);
    const valid = await verify("practice.pdf", "--ca", "ca.pem", "--json");
    expect(valid.code).toBe(0);
    expect(JSON.parse(valid.out)).toMatchObject({
      status: "valid",
      valid: true,
      intact: true,
      trusted: true,
      caFiles: [join(folder, "ca.pem")],
    });
    const invalid = await verify("tampered.pdf", "--ca", "ca.pem", "--json");
    expect(invalid.code).toBe(1);
    expect(JSON.parse(invalid.out)).toMatchObject({
      status: "invalid",
      valid: false,
      intact: false,
    });
  });

  it("reads --crl files, and names a file that is not a CRL", async () => {
    // A CRL of another CA: read and reported, and it revokes nothing here.
    const crl = createCrl(
      createSelfSigned({ commonName: "Other CA", isCA: true, key: EC_P256 }),
    );
    writeFileSync(join(folder, "empty.crl"), crl.der);
    const checked = await verify(
      "practice.pdf",
      "--ca",
      "ca.pem",
      "--crl",
      "empty.crl",
      "--json",
    );
    expect(checked.code).toBe(0);
    expect(JSON.parse(checked.out)).toMatchObject({
      status: "valid",
      crlFiles: [join(folder, "empty.crl")],
    });
    expect(await verify("practice.pdf", "--crl", "notes.txt")).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^--crl notes\.txt: /) as unknown,
    });
  });

  it("exits 1 for a modified certificate and says what changed", async () => {
    const { code, out } = await verify("tampered.pdf");
    expect(code).toBe(1);
    expect(out).toMatch(
      /^tampered\.pdf: INVALID — Digest mismatch: the signed bytes of the document have changed since it was signed\./,
    );
    expect(out).toContain(
      "(as the document states it; the document is not intact)",
    );
  });

  it("exits 2 for a file that cannot be read or is not a PDF, and for a bad --ca", async () => {
    expect(await verify("missing.pdf")).toMatchObject({
      code: 2,
      err: expect.stringMatching(
        /missing\.pdf cannot be read \(ENOENT\)/,
      ) as unknown,
    });
    expect(await verify("notes.txt")).toMatchObject({
      code: 2,
      err: "notes.txt is not a PDF document.",
    });
    expect(await verify("practice.pdf", "--ca", "notes.txt")).toMatchObject({
      code: 2,
      err: "--ca notes.txt: no -----BEGIN CERTIFICATE----- block in it, and it is not a DER certificate either; give the commissioning CA's certificate, in PEM or DER.",
    });
  });

  it("reads the CA files given with --ca, several times", async () => {
    const other = await testPki();
    writeFileSync(join(folder, "other.pem"), other.ca.certificatePem);
    const wrong = await verify("practice.pdf", "--ca", "other.pem");
    expect(wrong.code).toBe(1);
    expect(wrong.out).toMatch(
      /Trusted +NO: the signer does not chain to the given CA/,
    );
    expect(
      (await verify("practice.pdf", "--ca", "other.pem", "--ca", "ca.pem"))
        .code,
    ).toBe(0);
    expect(readFileSync(join(folder, "ca.pem"), "utf8")).toBe(
      pki.ca.certificatePem,
    );
  });

  it("exits 1 with a sentence, never a stack trace, for a deflate bomb as the evidence; 2 for a file over the upload limit", async () => {
    const hostile = await practiceCertificate();
    writeFileSync(
      join(folder, "bomb.pdf"),
      signedWithEvidenceStream(hostile, deflateBomb(4000)),
    );
    const bomb = await verify("bomb.pdf");
    expect(bomb.code).toBe(1);
    expect(bomb.out.split("\n")[0]).toBe(
      "bomb.pdf: INVALID — The evidence file cellcert-evidence.json (object 6) inflates to more than 16 MiB, more than Cellcert reads of one stream.",
    );
    expect(`${bomb.out}\n${bomb.err}`).not.toMatch(/\n\s+at /);
    writeFileSync(join(folder, "huge.pdf"), "");
    truncateSync(join(folder, "huge.pdf"), MAX_CERTIFICATE_BYTES + 1);
    expect(await verify("huge.pdf")).toMatchObject({
      code: 2,
      err: "The certificate: huge.pdf is 24.0 MiB, far larger than such a file can be; give the path of the certificate PDF (at most 24 MiB).",
    });
  });
});
