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
