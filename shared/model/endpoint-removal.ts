// Removing an endpoint (issue 15): one never probed goes outright, with its waivers and attestations; one with
// results is retired instead, so what was measured stays in its runs and in the evidence while new runs and the
// roll-up leave it out (shared/verdicts/rollup.ts `endpointsForCheck`). The engine refuses an edit that drops a
// measured endpoint, so this is the one way the UI removes one.
import type { Plan } from "./plan";

/** The sequences of the runs holding a result for the endpoint, in order; empty when it was never probed. */
export function runsMeasuring(
  plan: Pick<Plan, "runs">,
  endpointId: string,
): number[] {
  return plan.runs
    .filter((run) => run.results.some((r) => r.endpointId === endpointId))
    .map((run) => run.sequence)
    .sort((a, b) => a - b);
}

export interface EndpointRemoval {
  plan: Plan;
  /** "removed": gone from the plan; "retired": kept with its results, judged no more; "absent": no such endpoint. */
  outcome: "removed" | "retired" | "absent";
  /** The runs that measured it (why it was retired rather than removed). */
  runs: number[];
}

export function removeEndpoint(
  plan: Plan,
  endpointId: string,
): EndpointRemoval {
  const endpoint = plan.endpoints.find((e) => e.id === endpointId);
  if (endpoint === undefined) return { plan, outcome: "absent", runs: [] };
  const runs = runsMeasuring(plan, endpointId);
  if (runs.length > 0) {
    return {
      plan: {
        ...plan,
        endpoints: plan.endpoints.map((e) =>
          e.id === endpointId ? { ...e, retired: true } : e,
        ),
      },
      outcome: "retired",
      runs,
    };
  }
  return {
    plan: {
      ...plan,
      endpoints: plan.endpoints.filter((e) => e.id !== endpointId),
      waivers: plan.waivers.filter((w) => w.endpointId !== endpointId),
      attestations: plan.attestations.filter(
        (a) => a.endpointId !== endpointId,
      ),
    },
    outcome: "removed",
    runs,
  };
}
