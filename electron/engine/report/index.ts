// The signed commissioning certificate (DESIGN §10): issue it from a plan, and what it is made of.
export {
  certificatePreview,
  issueCertificate,
  timeStampAuthorityOf,
  type IssueOptions,
  type IssuedCertificateDocument,
} from "./issue";
export {
  EVIDENCE_FILE_NAME,
  EVIDENCE_SCHEMA,
  buildEvidenceDocument,
  serializeEvidence,
  type EvidenceDocument,
} from "./evidence";
export {
  nextAuditDate,
  nextCertificateNumber,
  plantCode,
} from "./certificate-number";
export { INFO_KEYS, PRACTICE_BANNER } from "./certificate-pdf";
