// How a certificate is recorded in evidence: everything the chain viewer, the report and the rules read,
// with the PEM itself so anyone can check it again years later.
import { z } from "zod";
import { KEY_USAGE_NAMES } from "./key-usage-names";

export const SubjectAltName = z.object({
  type: z.enum(["dns", "ip", "email", "uri", "other"]),
  value: z.string(),
});
export type SubjectAltName = z.infer<typeof SubjectAltName>;

export { KEY_USAGE_NAMES, type KeyUsageName } from "./key-usage-names";

/**
 * The one description of a certificate (engine/x509's summarizeCertificate reads it): who it names and who
 * issued it, which one it is, when it is valid, its key and what the key may do. Every other shape that describes
 * a certificate is a part of it, picked by the field lists below — CertificateInfo (the evidence record), the
 * signing identity, the signer of a verified document, the certificates of a path or a /DSS.
 */
export const CertificateSummary = z.object({
  pem: z.string(),
  /** One line, most specific first, RFC 4514 escaping: "CN=mes01.plant.local, O=Plant, C=DE" (distinguished-name.ts). */
  subject: z.string(),
  issuer: z.string(),
  /** Upper-case hex, as Node prints it. */
  serialNumber: z.string(),
  subjectAltNames: z.array(SubjectAltName),
  notBefore: z.iso.datetime({ offset: true }),
  notAfter: z.iso.datetime({ offset: true }),
  keyType: z.enum([
    "rsa",
    "rsa-pss",
    "ec",
    "dsa",
    "ed25519",
    "ed448",
    "unknown",
  ]),
  /** Modulus bits for RSA/DSA, curve bits for EC. */
  keyBits: z.number().int().nonnegative(),
  /** EC curve name, e.g. "prime256v1". */
  curve: z.string().default(""),
  /** e.g. "sha256WithRSAEncryption", "ecdsa-with-SHA256", "sha1WithRSAEncryption". */
  signatureAlgorithm: z.string(),
  /** "AA:BB:…", upper-case hex. */
  fingerprintSha256: z.string(),
  selfSigned: z.boolean(),
  isCA: z.boolean(),
  /** Key usage bits by name; empty when the certificate has no keyUsage extension. */
  keyUsage: z.array(z.enum(KEY_USAGE_NAMES)),
  /** Whether the keyUsage extension is present at all (absent means: no restriction, RFC 5280 §4.2.1.3). */
  hasKeyUsage: z.boolean(),
  /** Extended key usages by name (an OID where the name is unknown); empty when the extension is absent. */
  extendedKeyUsage: z.array(z.string()),
});
export type CertificateSummary = z.infer<typeof CertificateSummary>;
type SummaryField = keyof CertificateSummary;

/** `{ subject: true, … }` for zod's pick, from a field list. */
function mask<const K extends SummaryField>(
  fields: readonly K[],
): { [P in K]: true } {
  return Object.fromEntries(fields.map((field) => [field, true])) as {
    [P in K]: true;
  };
}

/** The fields of a part, copied out of a summary (or a larger part of one); no other field comes along. */
export function summaryPart<
  T extends Partial<CertificateSummary>,
  const K extends keyof T & SummaryField,
>(summary: T, fields: readonly K[]): Pick<T, K> {
  return Object.fromEntries(
    fields.map((field) => [field, summary[field]]),
  ) as Pick<T, K>;
}

/** Which certificate: its name, issuer, serial number, validity and fingerprint (a verified document's signer). */
export const OUTLINE_FIELDS = [
  "subject",
  "issuer",
  "serialNumber",
  "notBefore",
  "notAfter",
  "fingerprintSha256",
] as const;
export const CertificateOutline = CertificateSummary.pick(mask(OUTLINE_FIELDS));
export type CertificateOutline = z.infer<typeof CertificateOutline>;

/** The outline and the key: what the evidence states of the certificate that signed it. */
export const SIGNER_FIELDS = [
  ...OUTLINE_FIELDS,
  "keyType",
  "keyBits",
  "curve",
] as const;

/** The signer as the app's verifier screen shows it (the contract's VerifyReport.signer). */
export const VERIFIED_SIGNER_FIELDS = [
  "subject",
  "issuer",
  "fingerprintSha256",
  "notBefore",
  "notAfter",
] as const;

/** A certificate of a /DSS (the signature's validation data), as verify lists it. */
export const KEPT_CERTIFICATE_FIELDS = [
  "subject",
  "issuer",
  "serialNumber",
  "notAfter",
  "fingerprintSha256",
] as const;

/** A certificate a signing identity carries beside its own: the name, fingerprint and expiry. */
export const CARRIED_CERTIFICATE_FIELDS = [
  "subject",
  "fingerprintSha256",
  "notAfter",
] as const;

/** What a signing or client identity is judged and shown by. */
export const IDENTITY_FIELDS = [
  ...OUTLINE_FIELDS,
  "keyType",
  "keyBits",
  "curve",
  "keyUsage",
  "extendedKeyUsage",
  "selfSigned",
] as const;

/** The evidence record of a certificate (what probes record, the chain viewer and the rules read): the summary
 * without the key usages, with the PEM itself so anyone can check it again years later. */
export const INFO_FIELDS = [
  "pem",
  "subject",
  "issuer",
  "serialNumber",
  "subjectAltNames",
  "notBefore",
  "notAfter",
  "keyType",
  "keyBits",
  "curve",
  "signatureAlgorithm",
  "fingerprintSha256",
  "selfSigned",
  "isCA",
] as const;
export const CertificateInfo = CertificateSummary.pick(mask(INFO_FIELDS));
export type CertificateInfo = z.infer<typeof CertificateInfo>;

/** The parts the contract's views carry (the app's verifier screen, an identity). */
export const VerifiedSigner = CertificateSummary.pick(
  mask(VERIFIED_SIGNER_FIELDS),
);
export const KeptCertificate = CertificateSummary.pick(
  mask(KEPT_CERTIFICATE_FIELDS),
);

/** A certificate of a validated path: where it came from (sent by the peer, or an anchor's source). */
export const PathCertificate = CertificateSummary.pick(
  mask(["subject", "serialNumber", "fingerprintSha256"]),
).extend({
  source: z.enum(["sent", "plan", "public-roots"]),
  /** Whether the peer sent it (a sent root that is also an anchor). */
  sent: z.boolean(),
});

/**
 * The path as validated (RFC 5280, engine/x509), beside the certificates exactly as sent: status "valid" or what
 * fails, the sentence, the path leaf → anchor, what was sent but not used, revocation per certificate.
 */
export const ValidatedPath = z.object({
  status: z.string(),
  problem: z.string(),
  certificates: z.array(PathCertificate),
  extras: z.array(
    z.object({
      subject: z.string(),
      fingerprintSha256: z.string(),
      sentIndex: z.number().int().nonnegative(),
      why: z.enum(["duplicate", "not on the path"]),
    }),
  ),
  revocation: z.array(
    z.object({
      subject: z.string(),
      serialNumber: z.string(),
      status: z.enum(["good", "revoked", "unknown", "none"]),
      sources: z.array(z.string()),
      revokedAt: z.string().nullable(),
      reason: z.string(),
    }),
  ),
  warnings: z.array(z.string()),
});
export type ValidatedPath = z.infer<typeof ValidatedPath>;
