import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { describe, expect, it } from "vitest";
import {
  EC_P256,
  createPracticePki,
  createSelfSigned,
  issueCertificate,
  pemBundle,
} from "./pki";

describe("the practice PKI", () => {
  const pki = createPracticePki({ name: "Test Plant" });

  it("issues RSA and ECDSA certificates that Node verifies link by link", () => {
    const ecRoot = createSelfSigned({
      commonName: "EC Root",
      isCA: true,
      key: EC_P256,
    });
    const ecLeaf = issueCertificate(ecRoot, {
      commonName: "ec.plant.local",
      key: EC_P256,
    });
    const rsaLeaf = pki.issueLeaf({ commonName: "mes01.plant.local" });
    for (const [child, parent] of [
      [pki.intermediate, pki.root],
      [rsaLeaf, pki.intermediate],
      [ecLeaf, ecRoot],
    ] as const) {
      const x509 = new X509Certificate(child.der);
      const issuer = new X509Certificate(parent.der);
      expect(x509.checkIssued(issuer)).toBe(true);
      expect(x509.verify(issuer.publicKey)).toBe(true);
    }
    expect(new X509Certificate(pki.root.der).ca).toBe(true);
    expect(new X509Certificate(rsaLeaf.der).subjectAltName).toBe(
      "DNS:mes01.plant.local",
    );
  });

  it("makes certificates and keys a TLS server loads", () => {
    const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });
    expect(() =>
      createSecureContext({
        cert: pemBundle(pki.chainOf(leaf)),
        key: leaf.key.privateKeyPem,
      }),
    ).not.toThrow();
  });

  it("refuses to issue from a certificate that is not a CA", () => {
    const leaf = pki.issueLeaf({ commonName: "leaf" });
    expect(() => issueCertificate(leaf, { commonName: "x" })).toThrow(
      /not a CA/,
    );
  });
});
