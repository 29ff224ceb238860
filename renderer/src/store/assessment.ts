// Read-only views of the open plan for the screens, built on the shared roll-up (assessPlan) and run planner,
// memoised on the plan object so components may select them without re-computing on every store change.
import { boundaryDefinition } from "../../../shared/catalog/catalog";
import type { Endpoint, Evidence, Plan } from "../../../shared/model/plan";
import type {
  BoundaryId,
  CheckVerdict,
  PlantVerdict,
  VantageId,
} from "../../../shared/plant-words";
import {
  assessPlan,
  type BoundaryAssessment,
  type CheckAssessment,
  type PlantAssessment,
} from "../../../shared/verdicts/rollup";
import type { AppState } from "./app-store";

function memoOnObject<A extends object, R>(compute: (a: A) => R): (a: A) => R {
  const cache = new WeakMap<A, R>();
  return (a) => {
    const hit = cache.get(a);
    if (hit !== undefined) return hit;
    const value = compute(a);
    cache.set(a, value);
    return value;
  };
}

export const assessmentOf = memoOnObject((plan: Plan) => assessPlan(plan));

export const selectAssessment = (state: AppState): PlantAssessment | null =>
  state.plan.draft === null ? null : assessmentOf(state.plan.draft);

const checksByVantage = memoOnObject((assessment: PlantAssessment) => {
  const byVantage = new Map<VantageId, CheckAssessment[]>();
  for (const boundary of assessment.boundaries) {
    if (!boundary.inScope) continue;
    for (const item of boundary.checks) {
      const list = byVantage.get(item.check.vantage) ?? [];
      list.push(item);
      byVantage.set(item.check.vantage, list);
    }
  }
  return byVantage;
});

const NO_CHECKS: CheckAssessment[] = [];

/** The in-scope checks made from a vantage, boundary by boundary in catalog order. */
export function checksOfVantage(
  assessment: PlantAssessment,
  vantage: VantageId,
): CheckAssessment[] {
  return checksByVantage(assessment).get(vantage) ?? NO_CHECKS;
}

export const selectVantageChecks =
  (vantage: VantageId) =>
  (state: AppState): CheckAssessment[] => {
    const assessment = selectAssessment(state);
    return assessment === null
      ? NO_CHECKS
      : checksOfVantage(assessment, vantage);
  };

const retiredByVantage = memoOnObject((plan: Plan) => {
  const byVantage = new Map<VantageId, Endpoint[]>();
  for (const endpoint of plan.endpoints) {
    if (endpoint.retired !== true) continue;
    if (
      plan.boundaries.find((b) => b.id === endpoint.boundary)?.inScope !== true
    )
      continue;
    // The steps that probe its boundary, and any other that measured it (segmentation from the enterprise cell).
    const vantages = new Set<VantageId>([
      ...boundaryDefinition(endpoint.boundary).vantages,
      ...plan.runs
        .filter((run) => run.results.some((r) => r.endpointId === endpoint.id))
        .map((run) => run.vantage),
    ]);
    for (const vantage of vantages) {
      const list = byVantage.get(vantage) ?? [];
      list.push(endpoint);
      byVantage.set(vantage, list);
    }
  }
  return byVantage;
});

const NO_ENDPOINTS: Endpoint[] = [];

/** The retired endpoints of in-scope boundaries probed or measured from a vantage: shown as retired on its step. */
export const selectRetiredOfVantage =
  (vantage: VantageId) =>
  (state: AppState): Endpoint[] =>
    state.plan.draft === null
      ? NO_ENDPOINTS
      : (retiredByVantage(state.plan.draft).get(vantage) ?? NO_ENDPOINTS);

export type StepTone =
  "todo" | "running" | "pass" | "warn" | "waived" | "fail" | "incomplete";

export interface StepState {
  tone: StepTone;
  /** Words, never colour alone: "Not walked yet", "2 failed", "1 waived, 2 warnings", "All passed". */
  label: string;
}

const plural = (n: number, one: string, many: string): string =>
  `${n} ${n === 1 ? one : many}`;

/**
 * A vantage's state for the stepper: not walked, running, or the worst verdict among its checks. A waived failure
 * is named as waived beside whatever else is worse, an out-of-date result as out of date (it counts as not tested
 * until the endpoint is probed again), and "All passed" is said only when nothing failed, waived or not, nothing
 * is untested and nothing warns.
 */
export function stepStateOf(
  plan: Plan,
  assessment: PlantAssessment,
  vantage: VantageId,
  running: boolean,
): StepState {
  if (running) return { tone: "running", label: "Running" };
  if (!plan.runs.some((run) => run.vantage === vantage))
    return { tone: "todo", label: "Not walked yet" };
  const checks = checksOfVantage(assessment, vantage);
  const counts = countVerdicts(checks);
  const outOfDate = checks.filter((c) => c.outOfDate !== null).length;
  const untested = counts["not-tested"] - outOfDate;
  const waived = counts.waived > 0 ? [`${counts.waived} waived`] : [];
  const stale = outOfDate > 0 ? [`${outOfDate} out of date`] : [];
  const said = (tone: StepTone, ...parts: string[]): StepState => ({
    tone,
    label: parts.join(", "),
  });
  if (counts.fail > 0)
    return said("fail", `${counts.fail} failed`, ...stale, ...waived);
  if (counts["not-tested"] > 0)
    return said(
      "incomplete",
      ...stale,
      ...(untested > 0 ? [`${untested} not tested`] : []),
      ...waived,
    );
  const warnings =
    counts.warn > 0 ? [plural(counts.warn, "warning", "warnings")] : [];
  if (counts.waived > 0) return said("waived", ...waived, ...warnings);
  if (counts.warn > 0) return said("warn", ...warnings);
  return said(
    "pass",
    counts.attested > 0 ? "All passed or attested" : "All passed",
  );
}

/** The waived checks of in-scope boundaries: what "commissioned with waivers" rests on. */
export const waivedChecks = memoOnObject(
  (assessment: PlantAssessment): CheckAssessment[] =>
    assessment.boundaries.flatMap((b) =>
      b.inScope ? b.checks.filter((c) => c.verdict === "waived") : [],
    ),
);

/**
 * The checks of in-scope boundaries whose latest result measured the endpoint as it was before a change: counted
 * as not tested until the endpoint is probed again.
 */
export const outOfDateChecks = memoOnObject(
  (assessment: PlantAssessment): CheckAssessment[] =>
    assessment.boundaries.flatMap((b) =>
      b.inScope ? b.checks.filter((c) => c.outOfDate !== null) : [],
    ),
);

/** What sign-off asks the engineer to confirm before signing: the verdict, the counts, what it rests on. */
export interface SignOffSummary {
  verdict: PlantVerdict;
  counts: Record<CheckVerdict, number>;
  waived: readonly CheckAssessment[];
  /** Results measured on an endpoint that has changed since: in the counts as not tested. */
  outOfDate: readonly CheckAssessment[];
}

const signOffSummaryOf = memoOnObject(
  (assessment: PlantAssessment): SignOffSummary => ({
    verdict: assessment.verdict,
    counts: assessment.counts,
    waived: waivedChecks(assessment),
    outOfDate: outOfDateChecks(assessment),
  }),
);

export const selectSignOffSummary = (
  state: AppState,
): SignOffSummary | null => {
  const assessment = selectAssessment(state);
  return assessment === null ? null : signOffSummaryOf(assessment);
};

export function countVerdicts(
  checks: readonly CheckAssessment[],
): Record<CheckVerdict, number> {
  const counts: Record<CheckVerdict, number> = {
    pass: 0,
    warn: 0,
    fail: 0,
    "not-tested": 0,
    waived: 0,
    attested: 0,
  };
  for (const item of checks) counts[item.verdict] += 1;
  return counts;
}

/** The evidence a result points to, from its run. */
export function evidenceOf(plan: Plan, item: CheckAssessment): Evidence[] {
  const result = item.result;
  if (result === null || result.evidenceIds.length === 0) return [];
  const run = plan.runs.find((r) => r.id === result.runId);
  if (run === undefined) return [];
  return run.evidence.filter((e) => result.evidenceIds.includes(e.id));
}

export function boundaryOf(
  assessment: PlantAssessment,
  id: BoundaryId,
): BoundaryAssessment | undefined {
  return assessment.boundaries.find((b) => b.boundary.id === id);
}
