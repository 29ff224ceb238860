// How a certificate is recorded in evidence: everything the chain viewer, the report and the rules read,
// with the PEM itself so anyone can check it again years later.
import { z } from "zod";

export const SubjectAltName = z.object({
  type: z.enum(["dns", "ip", "email", "uri", "other"]),
  value: z.string(),
});
export type SubjectAltName = z.infer<typeof SubjectAltName>;

export const CertificateInfo = z.object({
  pem: z.string(),
  /** One line, most specific first: "CN=mes01.plant.local, O=Plant, C=DE". */
  subject: z.string(),
  issuer: z.string(),
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
});
export type CertificateInfo = z.infer<typeof CertificateInfo>;

/** A certificate of a validated path: where it came from (sent by the peer, or an anchor's source). */
export const PathCertificate = z.object({
  subject: z.string(),
  serialNumber: z.string(),
  fingerprintSha256: z.string(),
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
