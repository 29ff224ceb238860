// Reading a signing identity's certificate: everything engine/x509 reads for evidence (subject, issuer, validity,
// key, signature algorithm, fingerprint), plus the key usages a signer is judged by — read by the same module.
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
import {
  KEY_USAGE_NAMES,
  ekuName,
  parseCertificate,
  type KeyUsageName,
} from "../x509/parse";

export { derToPem, isSelfSigned, splitPemCertificates };

export { KEY_USAGE_NAMES, type KeyUsageName };

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

/** keyUsage and extendedKeyUsage, as the one certificate reader (engine/x509) reads them. */
function readKeyUsages(der: Uint8Array): {
  keyUsage: KeyUsageName[];
  hasKeyUsage: boolean;
  extendedKeyUsage: string[];
} {
  const parsed = parseCertificate(der);
  return {
    keyUsage: parsed.keyUsage ?? [],
    hasKeyUsage: parsed.keyUsage !== null,
    extendedKeyUsage: (parsed.extendedKeyUsage ?? []).map(ekuName),
  };
}

/** `[tag]` in ASN.1 notation (node-forge types its tag fields as enums that do not cover context tags). */
function isContextTag(node: forge.asn1.Asn1 | undefined, tag: number): boolean {
  const raw = node as { tagClass: number; type: number } | undefined;
  return raw?.tagClass === CONTEXT_SPECIFIC && raw.type === tag;
}

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}
