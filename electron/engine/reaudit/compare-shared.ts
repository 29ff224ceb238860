// What the parts of a comparison of two audits share (compare.ts): the two sides and how they are named, the
// row being written, whether a check of a live re-audit is still pending, and the order and ranks of verdicts.
import { CHECKS } from "../../../shared/catalog/catalog";
import type { CheckVerdict } from "../../../shared/plant-words";
import type { Change, ChangeDirection } from "../../../shared/reaudit/changes";
import type { AuditRecord, RecordCheck } from "./record";

/** Higher is better. An attested check stands as a pass; a waived failure above not-tested, below a warning. */
export const CHECK_VERDICT_RANK: Readonly<Record<CheckVerdict, number>> = {
  pass: 5,
  attested: 5,
  warn: 4,
  waived: 3,
  "not-tested": 2,
  fail: 1,
};

/** One comparison under way: both sides, their names in sentences, and where its rows go. */
export interface Comparison {
  old: AuditRecord;
  next: AuditRecord;
  /** sideLabel of each side. */
  was: string;
  now: string;
  /** CompareOptions.live. */
  live: boolean;
  row: (
    fields: Partial<Change> & Pick<Change, "kind" | "direction" | "message">,
  ) => void;
  /** A check of the new side not measured yet in a live re-audit. */
  pending: (check: RecordCheck | undefined) => boolean;
}

/** The words a side is named by in sentences: "certificate PLANT-20260302-1", "this re-audit". */
export function sideLabel(record: AuditRecord): string {
  return record.side.certificateNumber === null
    ? "this re-audit"
    : `certificate ${record.side.certificateNumber}`;
}

export function rankDirection(before: number, after: number): ChangeDirection {
  return after > before ? "better" : after < before ? "worse" : "changed";
}

export function catalogOrder(checkId: string): number {
  const index = CHECKS.findIndex((c) => c.id === checkId);
  return index === -1 ? CHECKS.length : index;
}
