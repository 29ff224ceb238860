// Re-audit (issue 20): a new plan from an earlier certificate, and what changed between two audits of a plant.
export {
  changeRows,
  changesSummary,
  changesTitle,
  changeNotes,
  DIRECTION_WORDS,
  type ChangeRow,
} from "../../../shared/reaudit/change-rows";
// changes-since.ts is imported where it is used, and only when it is (report/issue.ts, api/reaudit-handlers.ts):
// a plan not started from a certificate never loads it.
export { compareAudits, sideLabel, CHECK_VERDICT_RANK } from "./compare";
export {
  EVIDENCE_ADAPTERS,
  readCertificateEvidence,
  type CertificateEvidence,
} from "./evidence-adapters";
export {
  openCertificate,
  verificationSentence,
  type CheckedCertificate,
} from "./open-certificate";
export { readPreviousEvidence, writeReauditPlan } from "./plan-files";
export { reauditPlan, type ReauditPlan } from "./plan-from";
export { recordOfPlan } from "./plan-record";
