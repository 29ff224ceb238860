// The object identifiers of certificates, CRLs and OCSP responses (RFC 5280, RFC 3279, RFC 4055, RFC 5758,
// RFC 8410), written once for every reader in x509/ and for signing/ (whose oids.ts adds the CMS's own).
// Extended key usages are EKU in eku.ts.
import type { SignatureHash } from "../../../shared/catalog/thresholds";

export const OID = {
  // ---- digests ----
  md5: "1.2.840.113549.2.5",
  sha1: "1.3.14.3.2.26",
  sha224: "2.16.840.1.101.3.4.2.4",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
  // ---- keys and signature algorithms ----
  rsaEncryption: "1.2.840.113549.1.1.1",
  md2WithRSAEncryption: "1.2.840.113549.1.1.2",
  md5WithRSAEncryption: "1.2.840.113549.1.1.4",
  sha1WithRSAEncryption: "1.2.840.113549.1.1.5",
  rsassaPss: "1.2.840.113549.1.1.10",
  sha256WithRSAEncryption: "1.2.840.113549.1.1.11",
  sha384WithRSAEncryption: "1.2.840.113549.1.1.12",
  sha512WithRSAEncryption: "1.2.840.113549.1.1.13",
  sha224WithRSAEncryption: "1.2.840.113549.1.1.14",
  /** OIW's older sha1WithRSASignature. */
  sha1WithRSASignature: "1.3.14.3.2.29",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha1: "1.2.840.10045.4.1",
  ecdsaWithSha224: "1.2.840.10045.4.3.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",
  dsaWithSha1: "1.2.840.10040.4.3",
  dsaWithSha224: "2.16.840.1.101.3.4.3.1",
  dsaWithSha256: "2.16.840.1.101.3.4.3.2",
  ed25519: "1.3.101.112",
  ed448: "1.3.101.113",
  // ---- certificate and CRL extensions ----
  subjectKeyIdentifier: "2.5.29.14",
  keyUsage: "2.5.29.15",
  subjectAltName: "2.5.29.17",
  issuerAltName: "2.5.29.18",
  basicConstraints: "2.5.29.19",
  crlReason: "2.5.29.21",
  nameConstraints: "2.5.29.30",
  crlDistributionPoints: "2.5.29.31",
  certificatePolicies: "2.5.29.32",
  policyMappings: "2.5.29.33",
  authorityKeyIdentifier: "2.5.29.35",
  policyConstraints: "2.5.29.36",
  extendedKeyUsage: "2.5.29.37",
  inhibitAnyPolicy: "2.5.29.54",
  authorityInfoAccess: "1.3.6.1.5.5.7.1.1",
  tlsFeature: "1.3.6.1.5.5.7.1.24",
  // ---- name attributes ----
  commonName: "2.5.4.3",
  country: "2.5.4.6",
  locality: "2.5.4.7",
  state: "2.5.4.8",
  organization: "2.5.4.10",
  organizationalUnit: "2.5.4.11",
  emailAddress: "1.2.840.113549.1.9.1",
  domainComponent: "0.9.2342.19200300.100.1.25",
} as const;

/** Node's digest names ("sha256") by the digest's OID: what a signature's or a CertID's hash is computed with. */
export const DIGEST_NAMES: Readonly<Record<string, SignatureHash>> = {
  [OID.sha1]: "sha1",
  [OID.sha224]: "sha224",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};
