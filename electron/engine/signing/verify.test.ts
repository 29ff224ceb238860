import forge from "node-forge";
import PDFDocument from "pdfkit";
import { beforeAll, describe, expect, it } from "vitest";
import { fixturePlan } from "../../../test/support/certificate-plans";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import { signatureHole } from "../../../test/support/certificate-tools";
import {
  trustScenarios,
  type TrustScenarios,
} from "../../../test/support/forged-certificates";
import { createEngineerIdentity } from "../identity/create";
import { issueCertificate, prepareCertificate } from "../report/issue";
import { readSignedData } from "./cms-reader";
import { child, readDer, type DerNode } from "./der";
import { OID } from "./oids";
import { findSignatureHole, signPreparedPdf } from "./sign";
import {
  UnreadableDocumentError,
  VERIFY_STEPS,
  verifyCertificate,
  verifyCheckIds,
  type VerifyOptions,
  type VerifyResult,
} from "./verify";

let pki: TestPki;
let signed: Uint8Array;
let prepared: Uint8Array;
let scenarios: TrustScenarios;

beforeAll(async () => {
  scenarios = await trustScenarios();
  pki = scenarios.pki;
  const plan = await fixturePlan("good");
  signed = scenarios.genuine;
  prepared = (
    await prepareCertificate(plan, pki.engineer, { now: SIGNING_TIME })
  ).prepared;
}, 60_000);

const failed = (result: VerifyResult): string[] =>
  result.checks.filter((c) => c.outcome === "fail").map((c) => c.id);
const message = (result: VerifyResult, id: string): string =>
  result.checks.find((c) => c.id === id)?.message ?? "";

describe("verifying a certificate", () => {
  it("runs its named steps in the order it reports them", () => {
    expect(VERIFY_STEPS.map((step) => step.id)).toEqual(verifyCheckIds);
    for (const [index, step] of VERIFY_STEPS.entries())
      for (const need of step.needs)
        expect(
          verifyCheckIds.indexOf(need),
          `${step.id} needs ${need}`,
        ).toBeLessThan(index);
  });

  it("accepts an intact certificate and says who signed it, when, and the plant verdict", async () => {
    const result = await verifyCertificate(signed, {
      caPems: [pki.ca.certificatePem],
    });
    expect(result.valid).toBe(true);
    expect(result.status).toBe("valid");
    expect(result.checks.map((c) => [c.id, c.outcome])).toEqual([
      ["signature-field", "pass"],
      ["byte-range", "pass"],
      ["whole-file", "pass"],
      ["dss", "pass"],
      ["cms", "pass"],
      ["message-digest", "pass"],
      ["signature", "pass"],
      ["time-stamp", "pass"],
      ["signing-certificate", "pass"],
      ["certificate-validity", "pass"],
      ["signer-usage", "pass"],
      ["chain", "pass"],
      ["evidence", "pass"],
      ["plant-verdict", "pass"],
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
    // PAdES B-B: judged at /M, and saying it is the signer's laptop clock.
    expect(result.timeStamp).toBeNull();
    expect(result.judgedAt).toEqual({
      time: "2026-03-02T15:00:00.000Z",
      by: "signing-time",
    });
    expect(message(result, "time-stamp")).toBe(
      "The signature carries no time-stamp (PAdES B-B): the signer is judged at the signing time /M, 2026-03-02 15:00 UTC, which is only the signer's laptop clock.",
    );
    expect(result.validationData).toMatchObject({
      certificates: [
        { subject: "CN=Łukasz Nowak, O=Muñoz Automatización S.L." },
        {
          subject:
            "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
        },
      ],
      crls: [],
      ignored: [],
    });
    expect(message(result, "chain")).toBe(
      "The signer chains to the trusted CA CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES. Revocation not checked for CN=Łukasz Nowak, O=Muñoz Automatización S.L.: no CRL given covers it.",
    );
    expect(message(result, "plant-verdict")).toBe(
      "Page 1's stamp and the document information state the verdict of the signed evidence: COMMISSIONED.",
    );
  });

  it("never calls an intact certificate valid without a CA: the signer and its fingerprint, NOT checked", async () => {
    const result = await verifyCertificate(signed);
    expect(result).toMatchObject({
      status: "signer-not-checked",
      valid: false,
      intact: true,
      trusted: null,
    });
    expect(result.checks.find((c) => c.id === "chain")).toEqual({
      id: "chain",
      outcome: "skipped",
      message: `No CA was given: the signer CN=Łukasz Nowak, O=Muñoz Automatización S.L. (SHA-256 ${result.signer?.fingerprintSha256}) was NOT checked against a trusted commissioning CA.`,
    });
  });

  it("refuses a signer that does not chain to the given CA", async () => {
    const other = await testPki();
    const result = await verifyCertificate(signed, {
      caPems: [other.ca.certificatePem],
    });
    expect(result.valid).toBe(false);
    expect(result.status).toBe("invalid");
    expect(result.trusted).toBe(false);
    expect(failed(result)).toEqual(["chain"]);
  });

  it("finds any single changed byte of the signed range", async () => {
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
      for (const options of [{ caPems: [pki.ca.certificatePem] }, {}]) {
        const result = await verifyCertificate(tampered, options);
        expect(result.valid, `a byte changed ${where} (${position})`).toBe(
          false,
        );
        expect(
          result.status,
          `${where}, CA given: ${"caPems" in options}`,
        ).toBe("invalid");
      }
    }
  });

  it("reports bytes appended after the signed revision", async () => {
    const appended = Buffer.concat([
      signed,
      Buffer.from("1 0 obj\n<< >>\nendobj\n%%EOF\n"),
    ]);
    const result = await verifyCertificate(appended);
    expect(result.valid).toBe(false);
    expect(result.status).toBe("invalid");
    expect(result.appendedBytes).toBe(27);
    expect(failed(result)).toEqual(["whole-file"]);
    expect(message(result, "whole-file")).toBe(
      "27 bytes were added after the signed revision: the document was changed after signing.",
    );
  });

  it("catches an ESS signing-certificate-v2 that names another certificate", async () => {
    const lying = signPreparedPdf(prepared, pki.engineer, {
      essCertificatePem: pki.ca.certificatePem,
    });
    const result = await verifyCertificate(lying, {
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
    const result = await verifyCertificate(signPreparedPdf(prepared, later), {
      caPems: [pki.ca.certificatePem],
    });
    expect(failed(result)).toContain("certificate-validity");
    // Laid out for another identity: the evidence names that one.
    expect(message(result, "evidence")).toMatch(
      /^The embedded evidence names the signer [0-9A-F:]+, but the document is signed by [0-9A-F:]+: it was signed again by someone else\.$/,
    );
  });

  it("says a PDF without a signature is not a signed certificate", async () => {
    const doc = new PDFDocument({ font: null as unknown as string });
    const chunks: Uint8Array[] = [];
    doc.on("data", (c: Uint8Array) => chunks.push(c));
    const ended = new Promise((resolve) => doc.on("end", resolve));
    doc.end();
    await ended;
    const result = await verifyCertificate(Buffer.concat(chunks));
    expect(result.valid).toBe(false);
    expect(result.checks[0]).toMatchObject({
      id: "signature-field",
      outcome: "fail",
      message:
        "The document carries no signature: it is not a signed Cellcert certificate.",
    });
    expect(message(result, "byte-range")).toBe(
      "Not checked: it needs signature-field, which failed.",
    );
    expect(message(result, "plant-verdict")).toBe(
      "Not checked: it needs evidence, which was not checked.",
    );
  });

  it("says a prepared but unsigned certificate has no readable signature", async () => {
    expect(failed(await verifyCertificate(prepared))).toContain("byte-range");
  });

  it("refuses what is not a PDF at all", async () => {
    await expect(
      verifyCertificate(new TextEncoder().encode("hello"), {
        fileName: "notes.txt",
      }),
    ).rejects.toThrow(
      new UnreadableDocumentError("notes.txt is not a PDF document."),
    );
  });
});

describe("a signer no verifier accepts, and a verdict shown that is not the signed one", () => {
  const genuineCa = (): VerifyOptions => ({
    caPems: [scenarios.pki.ca.certificatePem],
  });
  const otherCa = (): VerifyOptions => ({
    caPems: [scenarios.otherCa.pem],
  });

  it("a forger's re-signing (self-made key under the genuine names, flipped to COMMISSIONED) is intact but not checked without --ca, and invalid with the real CA", async () => {
    const unchecked = await verifyCertificate(scenarios.forged);
    expect(unchecked.status).toBe("signer-not-checked");
    expect(unchecked.plantVerdict).toBe("commissioned");
    // The names are the genuine ones; the fingerprint is the forger's, which is what a reader compares.
    expect(unchecked.signer?.subject).toBe(
      "CN=Łukasz Nowak, O=Muñoz Automatización S.L.",
    );
    expect(unchecked.signer?.issuer).toBe(
      "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
    );
    const genuine = await verifyCertificate(scenarios.genuine);
    expect(unchecked.signer?.fingerprintSha256).not.toBe(
      genuine.signer?.fingerprintSha256,
    );
    const checked = await verifyCertificate(scenarios.forged, genuineCa());
    expect(checked.status).toBe("invalid");
    expect(checked.trusted).toBe(false);
    expect(failed(checked)).toEqual(["chain"]);
    expect(message(checked, "chain")).toBe(
      "The signature on CN=Łukasz Nowak, O=Muñoz Automatización S.L. was not made by the key of CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES, the issuer it names: the chain is forged or mixed up, and no verifier will accept this signer.",
    );
  });

  it("a TLS server certificate (serverAuth only) as the signer is invalid, with or without the CA", async () => {
    for (const options of [otherCa(), {}]) {
      const result = await verifyCertificate(scenarios.serverSigned, options);
      expect(result.status).toBe("invalid");
      expect(failed(result)).toEqual(["signer-usage"]);
      expect(message(result, "signer-usage")).toBe(
        "The signer's certificate CN=mes01.plant.local, O=Muñoz Automatización S.L. is not made for signing documents (its extended key usage is serverAuth, without emailProtection, documentSigning (1.3.6.1.5.5.7.3.36) or Microsoft document signing (1.3.6.1.4.1.311.10.3.12)): no verifier will accept this signer.",
      );
      expect(message(result, "chain")).toBe(
        "Not checked: it needs signer-usage, which failed.",
      );
    }
  });

  it("a signer below a pathLen:0 root, with an intermediate between, is invalid", async () => {
    const result = await verifyCertificate(scenarios.belowZeroSigned, {
      caPems: [scenarios.zeroRoot.pem],
    });
    expect(result.status).toBe("invalid");
    expect(failed(result)).toEqual(["chain"]);
    expect(message(result, "chain")).toMatch(/pathLenConstraint/);
    expect(message(result, "chain")).toMatch(
      /no verifier will accept this signer\.$/,
    );
  });

  it("a signer revoked by a given CRL is invalid; without the CRL the same document is valid", async () => {
    const revoked = await verifyCertificate(scenarios.revokedSigned, {
      ...otherCa(),
      crlPems: [scenarios.revokingCrl.pem],
    });
    expect(revoked.status).toBe("invalid");
    expect(failed(revoked)).toEqual(["chain"]);
    expect(message(revoked, "chain")).toMatch(
      /^The signer certificate CN=Łukasz Nowak, O=Muñoz Automatización S\.L\. \(serial [0-9A-F]+\) was revoked on 2026-02-28 \(reason: keyCompromise\)/,
    );
    const unrevoked = await verifyCertificate(
      scenarios.revokedSigned,
      otherCa(),
    );
    expect(unrevoked.status).toBe("valid");
  });

  it("a page and document information saying COMMISSIONED over signed evidence saying not commissioned is invalid, re-signed by the forger or signed with the real key", async () => {
    for (const [pdf, who] of [
      [scenarios.mismatchForged, "the forger"],
      [scenarios.mismatchGenuine, "the genuine engineer"],
    ] as const)
      for (const options of [genuineCa(), {}]) {
        const result = await verifyCertificate(pdf, options);
        const context = `signed by ${who}, CA given: ${"caPems" in options}`;
        expect(result.status, context).toBe("invalid");
        expect(result.plantVerdict, context).toBe("not commissioned");
        expect(failed(result), context).toContain("plant-verdict");
        expect(message(result, "plant-verdict"), context).toBe(
          'The signed evidence states NOT COMMISSIONED, but the document information states "commissioned", the document\'s keywords state "commissioned", its XMP metadata states "commissioned", page 1 shows COMMISSIONED: the verdict shown is not the signed one.',
        );
      }
  });

  it("takes the verdict's words in the plant's own names for names, not for a stamp", async () => {
    const good = await fixturePlan("good");
    const plan = {
      ...good,
      plant: { ...good.plant, customer: "Commissioned Systems Ltd." },
      signOff: { ...good.signOff, company: "NOT COMMISSIONED Yet GmbH" },
    };
    const pdf = (
      await issueCertificate(plan, pki.engineer, { now: SIGNING_TIME })
    ).pdf;
    const result = await verifyCertificate(pdf, genuineCa());
    expect(failed(result)).toEqual([]);
    expect(message(result, "plant-verdict")).toContain(": COMMISSIONED.");
  });

  it("finds the verdict stamp on page 1 of every verdict, and in practice certificates", async () => {
    for (const [variant, practice, verdict] of [
      ["good", false, "COMMISSIONED"],
      ["broken", true, "NOT COMMISSIONED"],
    ] as const) {
      const plan = await fixturePlan(variant, { practice });
      const pdf = (
        await issueCertificate(plan, pki.engineer, {
          now: SIGNING_TIME,
        })
      ).pdf;
      const result = await verifyCertificate(pdf, genuineCa());
      expect(result.status, variant).toBe("valid");
      expect(message(result, "plant-verdict")).toContain(`: ${verdict}.`);
    }
  });
});

/** A DER length (the CMS of a certificate stays far below 64 KiB). */
const length = (n: number): Buffer =>
  n < 0x80
    ? Buffer.from([n])
    : n < 0x100
      ? Buffer.from([0x81, n])
      : Buffer.from([0x82, n >> 8, n & 0xff]);

describe("unsigned attributes", () => {
  /** The genuine certificate with `attributes` (whole Attribute DER, or anything) as the SignerInfo's unsigned
   * attributes: not covered by the signature, so the document stays intact. */
  const withUnsignedAttributes = (attributes: Buffer[]): Uint8Array => {
    const pdf = Buffer.from(signed);
    const hole = signatureHole(pdf);
    const hex = pdf.toString("latin1", hole.start + 1, hole.end - 1);
    const contents = Buffer.from(hex, "hex");
    const contentInfo = readDer(contents);
    const explicit = child(contentInfo, 1) as DerNode;
    const signedData = child(explicit, 0) as DerNode;
    const signerInfos = signedData.children.at(-1) as DerNode;
    const signerInfo = child(signerInfos, 0) as DerNode;
    const rewrap = (node: DerNode, content: Buffer): Buffer =>
      Buffer.concat([
        Buffer.from([contents[node.start] ?? 0]),
        length(content.length),
        content,
      ]);
    const unsigned = Buffer.concat(attributes);
    let replaced = rewrap(
      signerInfo,
      Buffer.concat([
        contents.subarray(signerInfo.contentStart, signerInfo.end),
        Buffer.from([0xa1]),
        length(unsigned.length),
        unsigned,
      ]),
    );
    let inner = signerInfo;
    for (const parent of [signerInfos, signedData, explicit, contentInfo]) {
      replaced = rewrap(
        parent,
        Buffer.concat([
          contents.subarray(parent.contentStart, inner.start),
          replaced,
          contents.subarray(inner.end, parent.end),
        ]),
      );
      inner = parent;
    }
    const field = replaced
      .toString("hex")
      .toUpperCase()
      .padEnd(hex.length, "0");
    pdf.write(field, hole.start + 1, "latin1");
    return pdf;
  };
  const oid = (id: string): Buffer => {
    const body = Buffer.from(forge.asn1.oidToDer(id).getBytes(), "binary");
    return Buffer.concat([Buffer.from([0x06]), length(body.length), body]);
  };
  const sequence = (body: Buffer): Buffer =>
    Buffer.concat([Buffer.from([0x30]), length(body.length), body]);
  const attribute = (type: string, value: Buffer): Buffer =>
    sequence(
      Buffer.concat([
        oid(type),
        Buffer.from([0x31]),
        length(value.length),
        value,
      ]),
    );

  it("reads past a signature time-stamp token, an unknown attribute and one that is not even DER: the certificate stays valid", async () => {
    const pdf = withUnsignedAttributes([
      // A token's ContentInfo (SignedData, no content): judged by a later step, not read here.
      attribute(
        OID.signatureTimeStampToken,
        sequence(
          Buffer.concat([
            oid(OID.signedData),
            Buffer.from([0xa0, 0x02, 0x30, 0x00]),
          ]),
        ),
      ),
      attribute("1.3.6.1.4.1.99999.1", Buffer.from([0x04, 0x02, 0xca, 0xfe])),
      // BER with indefinite lengths, as some signers write it.
      Buffer.from("308006032a03043180040100000000000000", "hex"),
    ]);
    expect(Buffer.from(pdf).length).toBe(signed.length);
    const hole = signatureHole(pdf);
    const cms = readSignedData(
      Buffer.from(
        Buffer.from(pdf).toString("latin1", hole.start + 1, hole.end - 1),
        "hex",
      ),
    );
    expect(cms.unsignedAttributes.map((a) => a.type)).toEqual([
      OID.signatureTimeStampToken,
      "1.3.6.1.4.1.99999.1",
      null,
    ]);
    const result = await verifyCertificate(pdf, {
      caPems: [pki.ca.certificatePem],
    });
    expect(failed(result)).toEqual([]);
    expect(result.status).toBe("valid");
  });
});
