// What the four certificate checks share (evaluate.ts): the certificates judged, each with its role on the path,
// and how a certificate's name is quoted in their sentences.
import type { CertificateInfo } from "../../../shared/evidence/certificate";

export const quote = (name: string): string => `«${name}»`;

export interface JudgedCertificate {
  info: CertificateInfo;
  role: "leaf" | "intermediate" | "root" | "anchor";
}

export function roleOf(
  index: number,
  info: CertificateInfo,
): JudgedCertificate["role"] {
  if (index === 0) return "leaf";
  return info.selfSigned ? "root" : "intermediate";
}
