// Reading X.509 certificates for people: subject, issuer, validity, key, usages, fingerprint. Node's
// X509Certificate does the parsing (it reads RSA and EC alike); the few fields it does not expose (key usage
// bits, the signature algorithm) come from the DER through node-forge's ASN.1 reader.
import forge from "node-forge";
import { X509Certificate } from "node:crypto";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import { derToPem, splitPemCertificates } from "../certs/certificate-info";

export { derToPem, splitPemCertificates };

export const KEY_USAGE_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];

const EXTENDED_KEY_USAGE_NAMES: Readonly<Record<string, string>> = {
  "1.3.6.1.5.5.7.3.1": "serverAuth",
  "1.3.6.1.5.5.7.3.2": "clientAuth",
  "1.3.6.1.5.5.7.3.3": "codeSigning",
  "1.3.6.1.5.5.7.3.4": "emailProtection",
  "1.3.6.1.5.5.7.3.8": "timeStamping",
  "1.3.6.1.5.5.7.3.9": "OCSPSigning",
  "1.3.6.1.4.1.311.10.3.12": "documentSigning",
  "1.2.840.113583.1.1.5": "adobeAuthenticDocuments",
  "2.5.29.37.0": "anyExtendedKeyUsage",
};

const SIGNATURE_ALGORITHM_NAMES: Readonly<Record<string, string>> = {
  "1.2.840.113549.1.1.4": "md5WithRSAEncryption",
  "1.2.840.113549.1.1.5": "sha1WithRSAEncryption",
  "1.2.840.113549.1.1.10": "rsassaPss",
  "1.2.840.113549.1.1.11": "sha256WithRSAEncryption",
  "1.2.840.113549.1.1.12": "sha384WithRSAEncryption",
  "1.2.840.113549.1.1.13": "sha512WithRSAEncryption",
  "1.2.840.10045.4.1": "ecdsa-with-SHA1",
  "1.2.840.10045.4.3.2": "ecdsa-with-SHA256",
  "1.2.840.10045.4.3.3": "ecdsa-with-SHA384",
  "1.2.840.10045.4.3.4": "ecdsa-with-SHA512",
  "1.3.101.112": "ed25519",
};

const OID_KEY_USAGE = "2.5.29.15";
const CONTEXT_SPECIFIC = 0x80;
/** node-forge's DER reader with its options object, which its type declarations leave out. */
export const fromDer = forge.asn1.fromDer as unknown as (
  bytes: string,
  options: {
    strict?: boolean;
    decodeBitStrings?: boolean;
    parseAllBytes?: boolean;
  },
) => forge.asn1.Asn1;

const OID_EXTENDED_KEY_USAGE = "2.5.29.37";

/** CertificateInfo (shared/evidence/certificate.ts) plus what a signing identity is judged by. */
export interface CertificateDetails extends CertificateInfo {
  /** Key usage bits by name; empty when the certificate has no keyUsage extension. */
  keyUsage: KeyUsageName[];
  /** Whether the keyUsage extension is present at all (absent means: no restriction, RFC 5280 §4.2.1.3). */
  hasKeyUsage: boolean;
  /** Extended key usages by name (an OID where the name is unknown); empty when the extension is absent. */
  extendedKeyUsage: string[];
}

/** "CN=…, O=…, C=…": RFC 4514 order, most specific first. */
export function formatName(nodeName: string): string {
  return nodeName.split("\n").filter(Boolean).reverse().join(", ");
}

/** One attribute ("CN", "O", …) of a one-line name, or "" when it has none. */
export function nameAttribute(name: string, key: string): string {
  const match = new RegExp(`(?:^|, )${key}=((?:\\\\.|[^,\\\\])*)`).exec(name);
  return match?.[1] === undefined ? "" : match[1].replace(/\\(.)/g, "$1");
}

/** The CN of a one-line name, or the whole name when it has none. */
export function commonName(name: string): string {
  return nameAttribute(name, "CN") || name;
}

export function sha256Fingerprint(der: Uint8Array): string {
  return new X509Certificate(Buffer.from(der)).fingerprint256.toUpperCase();
}

export function describeCertificate(
  certificate: string | Uint8Array,
): CertificateDetails {
  const x509 = new X509Certificate(
    typeof certificate === "string" ? certificate : Buffer.from(certificate),
  );
  const der = new Uint8Array(x509.raw);
  const parsed = readExtensions(der);
  const key = x509.publicKey;
  const details = key.asymmetricKeyDetails ?? {};
  const keyType = knownKeyType(key.asymmetricKeyType);
  const keyBits =
    details.modulusLength ??
    (details.namedCurve === undefined ? 0 : curveBits(details.namedCurve));
  return {
    pem: x509.toString(),
    subject: formatName(x509.subject),
    issuer: formatName(x509.issuer),
    serialNumber: x509.serialNumber.toUpperCase(),
    subjectAltNames: subjectAltNames(x509.subjectAltName),
    notBefore: new Date(x509.validFrom).toISOString(),
    notAfter: new Date(x509.validTo).toISOString(),
    keyType,
    keyBits,
    curve: details.namedCurve ?? "",
    signatureAlgorithm: parsed.signatureAlgorithm,
    fingerprintSha256: x509.fingerprint256.toUpperCase(),
    selfSigned: isSelfSigned(x509),
    isCA: x509.ca,
    keyUsage: parsed.keyUsage,
    hasKeyUsage: parsed.hasKeyUsage,
    extendedKeyUsage: parsed.extendedKeyUsage,
  };
}

/** Issued by itself: same name and its own key verifies it (checkIssued would also demand keyCertSign). */
export function isSelfSigned(x509: X509Certificate): boolean {
  return x509.subject === x509.issuer && x509.verify(x509.publicKey);
}

/** The subject Name of a certificate as DER-ready ASN.1, byte for byte as the certificate has it. */
export function subjectNameAsn1(
  certificate: string | Uint8Array,
): forge.asn1.Asn1 {
  const x509 = new X509Certificate(
    typeof certificate === "string" ? certificate : Buffer.from(certificate),
  );
  const tbs = children(
    fromDer(x509.raw.toString("binary"), { decodeBitStrings: false }),
  )[0];
  const fields = children(tbs);
  const hasVersion = isContextTag(fields[0], 0);
  const subject = fields[hasVersion ? 5 : 4];
  if (subject === undefined) throw new Error("The certificate has no subject.");
  return subject;
}

function knownKeyType(type: string | undefined): CertificateInfo["keyType"] {
  switch (type) {
    case "rsa":
    case "rsa-pss":
    case "ec":
    case "dsa":
    case "ed25519":
    case "ed448":
      return type;
    default:
      return "unknown";
  }
}

function curveBits(curve: string): number {
  const bits = /(\d{3})/.exec(curve);
  return bits?.[1] === undefined ? 0 : Number(bits[1]);
}

function subjectAltNames(
  text: string | undefined,
): CertificateInfo["subjectAltNames"] {
  if (text === undefined || text === "") return [];
  return text.split(/, (?=[A-Za-z ]+:)/).map((entry) => {
    const colon = entry.indexOf(":");
    const label = entry.slice(0, colon).trim();
    const value = entry.slice(colon + 1).trim();
    const type =
      label === "DNS"
        ? "dns"
        : label === "IP Address"
          ? "ip"
          : label === "email"
            ? "email"
            : label === "URI"
              ? "uri"
              : "other";
    return { type, value };
  });
}

interface ParsedExtensions {
  signatureAlgorithm: string;
  keyUsage: KeyUsageName[];
  hasKeyUsage: boolean;
  extendedKeyUsage: string[];
}

function readExtensions(der: Uint8Array): ParsedExtensions {
  const result: ParsedExtensions = {
    signatureAlgorithm: "unknown",
    keyUsage: [],
    hasKeyUsage: false,
    extendedKeyUsage: [],
  };
  const certificate = fromDer(Buffer.from(der).toString("binary"), {
    decodeBitStrings: false,
  });
  const [tbs, algorithm] = children(certificate);
  const algorithmOid = children(algorithm)[0];
  if (algorithmOid !== undefined) {
    const oid = forge.asn1.derToOid(bytesOf(algorithmOid));
    result.signatureAlgorithm = SIGNATURE_ALGORITHM_NAMES[oid] ?? oid;
  }
  // Extensions are the [3] EXPLICIT field of the TBSCertificate.
  const wrapper = children(tbs).find((node) => isContextTag(node, 3));
  for (const extension of children(children(wrapper)[0])) {
    const parts = children(extension);
    const oidNode = parts[0];
    const valueNode = parts[parts.length - 1];
    if (oidNode === undefined || valueNode === undefined) continue;
    const oid = forge.asn1.derToOid(bytesOf(oidNode));
    if (oid === OID_KEY_USAGE) {
      result.hasKeyUsage = true;
      const bits = bytesOf(
        fromDer(bytesOf(valueNode), { decodeBitStrings: false }),
      );
      result.keyUsage = KEY_USAGE_NAMES.filter((_name, index) => {
        const byte = bits.charCodeAt(1 + Math.floor(index / 8));
        return !Number.isNaN(byte) && (byte & (0x80 >> (index % 8))) !== 0;
      });
    } else if (oid === OID_EXTENDED_KEY_USAGE) {
      const usages = fromDer(bytesOf(valueNode), { decodeBitStrings: false });
      result.extendedKeyUsage = children(usages).map((node) => {
        const usage = forge.asn1.derToOid(bytesOf(node));
        return EXTENDED_KEY_USAGE_NAMES[usage] ?? usage;
      });
    }
  }
  return result;
}

/** `[tag]` in ASN.1 notation (node-forge types its tag fields as enums that do not cover context tags). */
function isContextTag(node: forge.asn1.Asn1 | undefined, tag: number): boolean {
  const raw = node as { tagClass: number; type: number } | undefined;
  return raw?.tagClass === CONTEXT_SPECIFIC && raw.type === tag;
}

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}

function bytesOf(node: forge.asn1.Asn1): string {
  return typeof node.value === "string" ? node.value : "";
}
