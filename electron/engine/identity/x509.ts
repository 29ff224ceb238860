// Reading a signing identity's certificate: everything certs/ reads for evidence (subject, issuer, validity,
// key, signature algorithm, fingerprint), plus the key usages a signer is judged by, which Node's
// X509Certificate does not expose and come from the DER through node-forge's ASN.1 reader.
import forge from "node-forge";
import { X509Certificate } from "node:crypto";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  certificateInfoFromDer,
  derToPem,
  isSelfSigned,
  oneLineName,
  splitPemCertificates,
  x509Of,
} from "../x509/certificate-info";

export { derToPem, isSelfSigned, splitPemCertificates };

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
export const formatName = oneLineName;

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
  const der =
    typeof certificate === "string"
      ? new Uint8Array(x509Of(certificate).raw)
      : certificate;
  return { ...certificateInfoFromDer(der), ...readKeyUsages(der) };
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

interface KeyUsages {
  keyUsage: KeyUsageName[];
  hasKeyUsage: boolean;
  extendedKeyUsage: string[];
}

/** keyUsage and extendedKeyUsage: what a signing identity is judged by, beyond CertificateInfo. */
function readKeyUsages(der: Uint8Array): KeyUsages {
  const result: KeyUsages = {
    keyUsage: [],
    hasKeyUsage: false,
    extendedKeyUsage: [],
  };
  const certificate = fromDer(Buffer.from(der).toString("binary"), {
    decodeBitStrings: false,
  });
  const [tbs] = children(certificate);
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
