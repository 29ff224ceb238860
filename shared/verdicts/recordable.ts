// What may be attested or waived (DESIGN §4 "how"): one rule for the plan's schema, the engine's handlers and the
// UI's buttons. Attest only where the catalog allows it and never on a measured failure; waive only what failed
// or could not be tested. Nothing is recorded on an out-of-date result: probe the changed endpoint first.
import type { CheckDefinition } from "../catalog/catalog";
import type { CheckResult, Run } from "../model/plan";

/** The latest result of a check on an endpoint, as `currentResult` gives it; null when never measured. */
export interface ResultState {
  result: Pick<CheckResult, "verdict">;
  run: Pick<Run, "sequence">;
  outOfDate: boolean;
}

/**
 * Why an attestation of this check on this endpoint contradicts what the plan holds, or null: the catalog proves
 * the check by a probe only, or its current result (not out of date) is a measured failure. The plan's schema
 * refuses such a record; an attestation a LATER failure contradicts is kept, marked `contradictedByRun`.
 */
export function attestationContradiction(
  check: Pick<CheckDefinition, "id" | "satisfiedBy">,
  current: ResultState | null,
): string | null {
  if (check.satisfiedBy === "probe")
    return `"${check.id}" is proven by a probe and cannot be attested; waive it instead`;
  if (
    current !== null &&
    !current.outOfDate &&
    current.result.verdict === "fail"
  )
    return `${check.id} was measured to fail in run ${current.run.sequence}: an attestation cannot stand next to a measured failure; fix the fault and probe again, or waive the check`;
  return null;
}

/**
 * Why this check may not be attested on this endpoint now, or null when it may (what the UI offers and the
 * engine records): a contradiction, or a result of the endpoint as it was before a change.
 */
export function attestationRefusal(
  check: Pick<CheckDefinition, "id" | "satisfiedBy">,
  current: ResultState | null,
): string | null {
  const contradiction = attestationContradiction(check, current);
  if (contradiction !== null || current === null) return contradiction;
  if (current.outOfDate)
    return `${check.id} was measured on the endpoint as it was before a change (run ${current.run.sequence}): probe it again before attesting it`;
  return null;
}

/** Why this check may not be waived on this endpoint now, or null when it may. */
export function waiverRefusal(
  check: Pick<CheckDefinition, "id">,
  current: ResultState | null,
): string | null {
  if (current === null) return null;
  if (current.outOfDate)
    return `${check.id} was measured on the endpoint as it was before a change (run ${current.run.sequence}): probe it again before waiving it`;
  const verdict = current.result.verdict;
  if (verdict === "pass" || verdict === "warn")
    return `${check.id} ${verdict === "pass" ? "passed" : "passed with a warning"} in run ${current.run.sequence}: there is nothing to waive`;
  return null;
}
