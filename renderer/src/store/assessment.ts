// Read-only views of the open plan for the screens, built on the shared roll-up (assessPlan) and run planner,
// memoised on the plan object so components may select them without re-computing on every store change.
import type { Evidence, Plan } from "../../../shared/model/plan";
import type {
  BoundaryId,
  CheckVerdict,
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

export type StepTone =
  "todo" | "running" | "pass" | "warn" | "fail" | "incomplete";

export interface StepState {
  tone: StepTone;
  /** Words, never colour alone: "Not walked yet", "2 failed", "All passed". */
  label: string;
}

/** A vantage's state for the stepper: not walked, running, or the worst verdict among its checks. */
export function stepStateOf(
  plan: Plan,
  assessment: PlantAssessment,
  vantage: VantageId,
  running: boolean,
): StepState {
  if (running) return { tone: "running", label: "Running" };
  if (!plan.runs.some((run) => run.vantage === vantage))
    return { tone: "todo", label: "Not walked yet" };
  const counts = countVerdicts(checksOfVantage(assessment, vantage));
  if (counts.fail > 0) return { tone: "fail", label: `${counts.fail} failed` };
  if (counts["not-tested"] > 0)
    return { tone: "incomplete", label: `${counts["not-tested"]} not tested` };
  if (counts.warn > 0)
    return {
      tone: "warn",
      label: `${counts.warn} ${counts.warn === 1 ? "warning" : "warnings"}`,
    };
  return { tone: "pass", label: "All passed" };
}

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
