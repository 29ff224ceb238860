// What a file imported as a trust anchor is: a CA that can anchor paths, or a leaf that only pins itself.
import { parseCertificate } from "./parse";

export interface TrustAnchorReading {
  subject: string;
  fingerprintSha256: string;
  isCA: boolean;
  /** Sentences to show at import; empty for a proper CA certificate. */
  warnings: string[];
}

/** Reads a trust anchor's certificate (DER) and says plainly when it is not a CA. */
export function describeTrustAnchor(der: Uint8Array): TrustAnchorReading {
  const certificate = parseCertificate(der);
  const constraints = certificate.basicConstraints;
  // A v1 certificate has no extensions; a self-issued v1 certificate is an old-style root.
  const isCA =
    (constraints !== null && constraints.cA) ||
    (certificate.version === 1 && certificate.selfIssued);
  const warnings: string[] = [];
  if (!isCA)
    warnings.push(
      `${certificate.subject} is a leaf certificate, not a CA (${constraints === null ? "it has no basicConstraints" : "basicConstraints CA:FALSE"}): as a trust anchor it trusts only this exact certificate (pinning) and no certificate it might seem to issue. To trust the servers a CA issued, import that CA's certificate instead.`,
    );
  else if (
    certificate.keyUsage !== null &&
    !certificate.keyUsage.includes("keyCertSign")
  )
    warnings.push(
      `${certificate.subject} is marked as a CA but may not sign certificates (its key usage lacks keyCertSign): no path through it will validate.`,
    );
  return {
    subject: certificate.subject,
    fingerprintSha256: certificate.fingerprint,
    isCA,
    warnings,
  };
}
