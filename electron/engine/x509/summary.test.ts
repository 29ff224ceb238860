import { describe, expect, it } from "vitest";
import {
  CertificateInfo,
  CertificateSummary,
  INFO_FIELDS,
  OUTLINE_FIELDS,
  summaryPart,
} from "../../../shared/evidence/certificate";
import { commonName } from "../../../shared/evidence/distinguished-name";
import {
  EC_P256,
  createCrl,
  createSelfSigned,
  issueCertificate,
} from "../../demo/pki";
import { certificateInfoFromDer } from "./certificate-info";
import { parseCrl } from "./revocation";
import { summarizeCertificate } from "./summary";

const notBefore = new Date("2026-01-05T08:00:00Z");
const notAfter = new Date("2027-01-05T08:00:00Z");
const ca = createSelfSigned({
  commonName: "Doe, John",
  organization: 'Müller + Söhne "GmbH"',
  country: "DE",
  key: EC_P256,
  isCA: true,
  notBefore,
  notAfter,
});
const leaf = issueCertificate(ca, {
  commonName: "mes01.plant.local",
  dnsNames: ["mes01.plant.local"],
  key: EC_P256,
  extendedKeyUsage: ["serverAuth", "clientAuth"],
  keyUsage: ["digitalSignature"],
  notBefore,
  notAfter,
});

describe("summarizeCertificate", () => {
  it("states everything of a certificate, names escaped as RFC 4514 prints them", () => {
    const summary = summarizeCertificate(ca.der);
    expect(CertificateSummary.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({
      subject: 'CN=Doe\\, John, O=Müller \\+ Söhne \\"GmbH\\", C=DE',
      issuer: 'CN=Doe\\, John, O=Müller \\+ Söhne \\"GmbH\\", C=DE',
      notBefore: notBefore.toISOString(),
      notAfter: notAfter.toISOString(),
      keyType: "ec",
      keyBits: 256,
      curve: "prime256v1",
      selfSigned: true,
      isCA: true,
      keyUsage: ["keyCertSign", "cRLSign"],
      hasKeyUsage: true,
      extendedKeyUsage: [],
    });
    expect(commonName(summary.subject)).toBe("Doe, John");
  });

  it("reads PEM as DER, and the usages of a leaf", () => {
    const summary = summarizeCertificate(leaf.pem);
    expect(summary).toEqual(summarizeCertificate(leaf.der));
    expect(summary).toMatchObject({
      subject: "CN=mes01.plant.local",
      issuer: summarizeCertificate(ca.der).subject,
      subjectAltNames: [{ type: "dns", value: "mes01.plant.local" }],
      keyUsage: ["digitalSignature"],
      extendedKeyUsage: ["serverAuth", "clientAuth"],
      selfSigned: false,
      isCA: false,
    });
    expect(summary.serialNumber).toMatch(/^[0-9A-F]+$/);
    expect(summary.fingerprintSha256).toMatch(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
    );
  });

  it("holds the evidence record as its part, field for field", () => {
    const summary = summarizeCertificate(leaf.der);
    const info = certificateInfoFromDer(leaf.der);
    expect(summaryPart(summary, INFO_FIELDS)).toEqual(info);
    expect(Object.keys(CertificateInfo.shape).sort()).toEqual(
      [...INFO_FIELDS].sort(),
    );
  });
});

describe("summaryPart", () => {
  it("copies the fields it names and nothing else", () => {
    const outline = summaryPart(summarizeCertificate(leaf.der), OUTLINE_FIELDS);
    expect(Object.keys(outline)).toEqual([...OUTLINE_FIELDS]);
    expect(outline.subject).toBe("CN=mes01.plant.local");
  });
});

describe("a CRL's issuer", () => {
  it("is printed as its certificate's subject is, escapes and all", () => {
    const crl = parseCrl(createCrl(ca, { thisUpdate: notBefore }).der);
    expect(crl.issuer).toBe(summarizeCertificate(ca.der).subject);
  });
});
