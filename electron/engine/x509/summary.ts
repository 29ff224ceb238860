// The one summarizer of a certificate: CertificateSummary (shared/evidence/certificate.ts) from its DER or PEM —
// the evidence reading (certificateInfoFromDer: names, validity, key, signature algorithm, fingerprint, SANs) and
// the key usages path validation reads (parseCertificate). Every shape that describes a certificate is a part of
// this one, picked with summaryPart.
import type { CertificateSummary } from "../../../shared/evidence/certificate";
import { certificateInfoFromDer, pemToDer } from "./certificate-info";
import { ekuName, parseCertificate } from "./parse";

/** Everything Cellcert states about one certificate; throws CertificateParseError with a sentence when it cannot read it. */
export function summarizeCertificate(
  certificate: string | Uint8Array,
): CertificateSummary {
  const der =
    typeof certificate === "string" ? pemToDer(certificate) : certificate;
  const parsed = parseCertificate(der);
  return {
    ...certificateInfoFromDer(der),
    keyUsage: parsed.keyUsage ?? [],
    hasKeyUsage: parsed.keyUsage !== null,
    extendedKeyUsage: (parsed.extendedKeyUsage ?? []).map(ekuName),
  };
}
