import PDFDocument from "pdfkit";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePlan } from "../../../test/support/certificate-plans";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { createEngineerIdentity } from "../identity/create";
import { issueCertificate, prepareCertificate } from "../report/issue";
import { findSignatureHole, signPreparedPdf } from "./sign";
import {
  UnreadableDocumentError,
  verifyCertificate,
  type VerifyResult,
} from "./verify";

let pki: TestPki;
let signed: Uint8Array;
let prepared: Uint8Array;

beforeAll(async () => {
  pki = await testPki();
  const plan = await fixturePlan("good");
  signed = (await issueCertificate(plan, pki.engineer, { now: SIGNING_TIME }))
    .pdf;
  prepared = (
    await prepareCertificate(plan, pki.engineer, { now: SIGNING_TIME })
  ).prepared;
});

const failed = (result: VerifyResult): string[] =>
  result.checks.filter((c) => c.outcome === "fail").map((c) => c.id);

describe("verifying a certificate", () => {
  it("accepts an intact certificate and says who signed it, when, and the plant verdict", () => {
    const result = verifyCertificate(signed, {
      caPems: [pki.ca.certificatePem],
    });
    expect(result.valid).toBe(true);
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["signature-field", "pass"],
      ["byte-range", "pass"],
      ["whole-file", "pass"],
      ["cms", "pass"],
      ["message-digest", "pass"],
      ["signature", "pass"],
      ["signing-certificate", "pass"],
      ["certificate-validity", "pass"],
      ["chain", "pass"],
      ["evidence", "pass"],
    ]);
    expect(result.signer?.subject).toBe(
      "CN=Łukasz Nowak, O=Muñoz Automatización S.L.",
    );
    expect(result.signer?.issuer).toBe(
      "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
    );
    expect(result.signingTime).toBe("2026-03-02T15:00:00.000Z");
    expect(result.plantVerdict).toBe("commissioned");
    expect(result.certificateNumber).toBe("GYOR-BODY-SHOP-20260302-1");
    expect(result.trusted).toBe(true);
    expect(result.appendedBytes).toBe(0);
  });

  it("leaves the chain unjudged without a CA, and still finds the document intact", () => {
    const result = verifyCertificate(signed);
    expect(result.valid).toBe(true);
    expect(result.trusted).toBeNull();
    expect(result.checks.find((c) => c.id === "chain")).toMatchObject({
      outcome: "skipped",
      message: expect.stringMatching(/No CA was given/) as unknown,
    });
  });

  it("refuses a signer that does not chain to the given CA", async () => {
    const other = await testPki();
    const result = verifyCertificate(signed, {
      caPems: [other.ca.certificatePem],
    });
    expect(result.valid).toBe(false);
    expect(result.trusted).toBe(false);
    expect(failed(result)).toEqual(["chain"]);
  });

  it("finds any single changed byte of the signed range", () => {
    const { hole } = findSignatureHole(prepared);
    const positions = {
      start: 0,
      middle: Math.floor(hole.start / 2),
      "before the signature": hole.start - 1,
      "after the signature": hole.end,
      "in the second range": Math.floor((hole.end + signed.length) / 2),
      end: signed.length - 1,
    };
    for (const [where, position] of Object.entries(positions)) {
      const tampered = new Uint8Array(signed);
      tampered[position] = (tampered[position] ?? 0) ^ 0x01;
      const result = verifyCertificate(tampered, {
        caPems: [pki.ca.certificatePem],
      });
      expect(result.valid, `a byte changed ${where} (${position})`).toBe(false);
    }
  });

  it("reports bytes appended after the signed revision", () => {
    const appended = Buffer.concat([
      signed,
      Buffer.from("1 0 obj\n<< >>\nendobj\n%%EOF\n"),
    ]);
    const result = verifyCertificate(appended);
    expect(result.valid).toBe(false);
    expect(result.appendedBytes).toBe(27);
    expect(failed(result)).toEqual(["whole-file"]);
    expect(result.checks.find((c) => c.id === "whole-file")?.message).toBe(
      "27 bytes were added after the signed revision: the document was changed after signing.",
    );
  });

  it("catches an ESS signing-certificate-v2 that names another certificate", () => {
    const lying = signPreparedPdf(prepared, pki.engineer, {
      essCertificatePem: pki.ca.certificatePem,
    });
    const result = verifyCertificate(lying, {
      caPems: [pki.ca.certificatePem],
    });
    expect(failed(result)).toEqual(["signing-certificate"]);
    expect(result.checks.find((c) => c.id === "signature")?.outcome).toBe(
      "pass",
    );
  });

  it("catches a signer certificate that was not valid at the signing time", async () => {
    const later = await createEngineerIdentity({
      name: "Łukasz Nowak",
      issuer: pki.ca,
      now: new Date("2026-06-01T00:00:00Z"),
    });
    const result = verifyCertificate(signPreparedPdf(prepared, later), {
      caPems: [pki.ca.certificatePem],
    });
    expect(failed(result)).toContain("certificate-validity");
  });

  it("says a PDF without a signature is not a signed certificate", async () => {
    const doc = new PDFDocument({ font: null as unknown as string });
    const chunks: Uint8Array[] = [];
    doc.on("data", (c: Uint8Array) => chunks.push(c));
    const ended = new Promise((resolve) => doc.on("end", resolve));
    doc.end();
    await ended;
    const result = verifyCertificate(Buffer.concat(chunks));
    expect(result.valid).toBe(false);
    expect(result.checks[0]).toMatchObject({
      id: "signature-field",
      outcome: "fail",
      message:
        "The document carries no signature: it is not a signed Cellcert certificate.",
    });
  });

  it("says a prepared but unsigned certificate has no readable signature", () => {
    expect(failed(verifyCertificate(prepared))).toContain("byte-range");
  });

  it("refuses what is not a PDF at all", () => {
    expect(() =>
      verifyCertificate(new TextEncoder().encode("hello"), {
        fileName: "notes.txt",
      }),
    ).toThrow(new UnreadableDocumentError("notes.txt is not a PDF document."));
  });
});
