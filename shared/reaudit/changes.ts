// What changed between two audits of one plant (issue 20): an earlier certificate against a later one
// (`cellcert diff`), or against the plan re-audited from it (the overview, and the new certificate's "Changes since
// certificate <number>"). One model for all three, computed in the engine (electron/engine/reaudit/) from the
// signed evidence, read by its schema version; this is its shape, shared with the contract and docs/cli-json.md.
import { z } from "zod";
import { plantVerdicts } from "../plant-words";

/**
 * worse / better: a verdict (plant, boundary or check) moved down or up the order of CHECK_VERDICT_RANK;
 * changed: a fact that moved without a verdict saying whether for good or bad (a certificate renewed, a suite
 * gained, a port opened, an endpoint added, a waiver added); not-comparable: one side cannot be read or does not
 * hold it, said, never guessed; pending: the re-audit has not measured it yet (the overview only).
 */
export const changeDirections = [
  "worse",
  "better",
  "changed",
  "not-comparable",
  "pending",
] as const;
export type ChangeDirection = (typeof changeDirections)[number];

export const changeKinds = [
  "plant",
  "boundary",
  "endpoint",
  "verdict",
  "certificate",
  "protocol",
  "suite",
  "port",
  "waiver",
] as const;
export type ChangeKind = (typeof changeKinds)[number];

export const Change = z.object({
  kind: z.enum(changeKinds),
  direction: z.enum(changeDirections),
  boundaryId: z.string().nullable(),
  endpointId: z.string().nullable(),
  checkId: z.string().nullable(),
  /** Where the laptop stood, for ports (the same port is judged from several vantages). */
  vantage: z.string().nullable(),
  /** What it was and what it is now, in a few words; null where it did not exist on that side. */
  was: z.string().nullable(),
  now: z.string().nullable(),
  /** One sentence saying what changed. */
  message: z.string(),
});
export type Change = z.infer<typeof Change>;

/** One side of the comparison: a certificate, or the plan being re-audited (no number yet). */
export const AuditSide = z.object({
  /** Null for the plan being re-audited, which has no certificate yet. */
  certificateNumber: z.string().nullable(),
  /** The signing time (laptop clock); null for the plan. */
  issuedAt: z.string().nullable(),
  plantName: z.string(),
  site: z.string(),
  plantVerdict: z.enum(plantVerdicts),
  practice: z.boolean(),
  /** The evidence's schema (`cellcert.evidence/1`); null for the plan. */
  evidenceSchema: z.string().nullable(),
  rulesetVersion: z.string(),
  toolVersion: z.string(),
});
export type AuditSide = z.infer<typeof AuditSide>;

export const ChangeCounts = z.object({
  worse: z.number().int().nonnegative(),
  better: z.number().int().nonnegative(),
  changed: z.number().int().nonnegative(),
  notComparable: z.number().int().nonnegative(),
  pending: z.number().int().nonnegative(),
});
export type ChangeCounts = z.infer<typeof ChangeCounts>;

export const AuditChanges = z.object({
  old: AuditSide,
  new: AuditSide,
  /** What the reader must know before the rows: what could not be compared, rulesets that differ, two plants. */
  notes: z.array(z.string()),
  /** Plant first, then boundaries, then per endpoint (its own changes, its checks in catalog order, its facts). */
  changes: z.array(Change),
  counts: ChangeCounts,
  /** Something got worse (`cellcert diff` exits 1). */
  worse: z.boolean(),
});
export type AuditChanges = z.infer<typeof AuditChanges>;

// ---- the app: the plan re-audited from a certificate, against that certificate -------------------------------
export const PlanChanges = z.object({
  /** The certificate the plan was started from. */
  previous: z.object({
    number: z.string(),
    issuedAt: z.string(),
    plantVerdict: z.enum(plantVerdicts),
    verified: z.enum(["valid", "signer-not-checked"]),
  }),
  /** Null when the earlier certificate's evidence cannot be read now (`problem` says why). */
  changes: AuditChanges.nullable(),
  problem: z.string().nullable(),
});
export type PlanChanges = z.infer<typeof PlanChanges>;
