// A plan re-audited from a certificate, against that certificate: what the overview shows beside the topology
// (planChanges, live: what is not measured again yet is pending), and what its next certificate prints after the
// findings as "Changes since certificate <number>" (changesSinceCertificate, as the certificate will state it).
import type { Plan } from "../../../shared/model/plan";
import type {
  AuditChanges,
  PlanChanges,
} from "../../../shared/reaudit/changes";
import { isUserError } from "../errors";
import {
  changeNotes,
  changeRows,
  changesSummary,
  changesTitle,
  type ChangeRow,
} from "../../../shared/reaudit/change-rows";
import { compareAudits } from "./compare";
import { readPreviousEvidence } from "./plan-files";
import { recordOfPlan } from "./plan-record";

export interface ChangesOptions {
  now?: Date;
  toolVersion: string;
}

/** The overview's changes; null for a plan not started from a certificate. */
export async function planChanges(
  plan: Plan,
  planPath: string,
  options: ChangesOptions,
): Promise<PlanChanges | null> {
  const previous = plan.previousCertificate;
  if (previous === undefined) return null;
  const compared = await compareWithPrevious(plan, planPath, options, true);
  return {
    previous: {
      number: previous.number,
      issuedAt: previous.issuedAt,
      plantVerdict: previous.plantVerdict,
      verified: previous.verified,
    },
    ...compared,
  };
}

/** The section "Changes since certificate <number>", printed after the findings. */
export interface ChangesSection {
  /** "Changes since certificate PLANT-20260302-1" */
  title: string;
  /** One line: "2 worse, 1 better, 5 changed; something got worse." — or why nothing could be compared. */
  summary: string;
  /** What the reader must know before the rows (what could not be compared…). */
  notes: string[];
  /** One per change: direction in words and symbol, what, endpoint, was, now, the sentence. */
  rows: ChangeRow[];
  /** The model itself, for the evidence JSON. Null when the earlier evidence could not be read (see summary). */
  changes: AuditChanges | null;
}

/**
 * THE ONE FUNCTION THE CERTIFICATE CALLS (issue 20): for a plan started from a certificate, the section
 * "Changes since certificate <number>" as this certificate states it (nothing pending: what was not measured
 * again is not-tested, as everywhere in the certificate); null for any other plan. Never throws for the earlier
 * evidence: when it cannot be read, the section says so in `summary` and has no rows.
 */
export async function changesSinceCertificate(
  plan: Plan,
  planPath: string | undefined,
  options: ChangesOptions,
): Promise<ChangesSection | null> {
  const previous = plan.previousCertificate;
  if (previous === undefined) return null;
  const title = `Changes since certificate ${previous.number}`;
  const compared =
    planPath === undefined
      ? {
          changes: null,
          problem: `the plan was given without its folder, where the evidence of certificate ${previous.number} is kept.`,
        }
      : await compareWithPrevious(plan, planPath, options, false);
  if (compared.changes === null)
    return {
      title,
      summary: `Not compared: ${compared.problem ?? ""}`,
      notes: [],
      rows: [],
      changes: null,
    };
  return {
    title: changesTitle(compared.changes),
    summary: changesSummary(compared.changes),
    notes: changeNotes(compared.changes),
    rows: changeRows(compared.changes),
    changes: compared.changes,
  };
}

async function compareWithPrevious(
  plan: Plan,
  planPath: string,
  options: ChangesOptions,
  live: boolean,
): Promise<{ changes: AuditChanges | null; problem: string | null }> {
  try {
    const previous = await readPreviousEvidence(plan, planPath);
    const changes = compareAudits(
      previous.record,
      recordOfPlan(plan, {
        toolVersion: options.toolVersion,
        ...(options.now !== undefined && { now: options.now }),
      }),
      { live },
    );
    return { changes, problem: null };
  } catch (error) {
    if (isUserError(error)) return { changes: null, problem: error.message };
    throw error;
  }
}
