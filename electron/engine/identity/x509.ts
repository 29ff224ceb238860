// What the signing code reads of a certificate beyond its summary (engine/x509's summarizeCertificate): the
// subject Name as DER-ready ASN.1, a fingerprint of bare DER, and node-forge's DER reader with its options.
import forge from "node-forge";
import { X509Certificate } from "node:crypto";
import {
  derToPem,
  isSelfSigned,
  splitPemCertificates,
} from "../x509/certificate-info";

export { derToPem, isSelfSigned, splitPemCertificates };

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

export function sha256Fingerprint(der: Uint8Array): string {
  return new X509Certificate(Buffer.from(der)).fingerprint256.toUpperCase();
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

/** `[tag]` in ASN.1 notation (node-forge types its tag fields as enums that do not cover context tags). */
function isContextTag(node: forge.asn1.Asn1 | undefined, tag: number): boolean {
  const raw = node as { tagClass: number; type: number } | undefined;
  return raw?.tagClass === CONTEXT_SPECIFIC && raw.type === tag;
}

function children(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}
