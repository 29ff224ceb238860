// How a run's results and evidence reach the plan: as results and evidence of the run (ids, the endpoint's
// fingerprint, the plan's field limits), in batches — every change re-validates the whole plan, and a run makes
// hundreds — so a crash keeps what was measured up to the last batch.
import type { CheckResult, Evidence, Plan } from "../../../shared/model/plan";
import { endpointFingerprint } from "../../../shared/model/endpoint-fingerprint";
import type { Endpoint } from "../../../shared/model/plan";
import type { ProbeOutput } from "../families/types";
import type { Logger } from "../log";
import type { PlanStore } from "../plan-store/plan-store";

/** Results reach the plan in batches: every change re-validates the whole plan, and a run makes hundreds. */
export const RECORD_INTERVAL_MS = 500;

/** One target's output as the run records it: evidence with run-wide ids, results tied to that evidence. */
export function recordsOf(
  output: ProbeOutput,
  where: {
    endpoint: Endpoint;
    runId: string;
    fingerprint: string;
    finishedAt: string;
    onlyCheckId: string | undefined;
    nextEvidenceId: () => string;
  },
): { results: CheckResult[]; evidence: Evidence[]; skews: number[] } {
  const evidence: Evidence[] = output.evidence.map((draft) => ({
    id: where.nextEvidenceId(),
    endpointId: where.endpoint.id,
    probe: draft.probe,
    target: draft.target,
    startedAt: draft.startedAt,
    durationMs: Math.round(draft.durationMs),
    data: toJson(draft.data),
  }));
  const results: CheckResult[] = output.outcomes
    .filter(
      (o) => where.onlyCheckId === undefined || o.checkId === where.onlyCheckId,
    )
    .map((o) => ({
      ...o,
      // The plan bounds these fields; a long measurement is cut, never a reason to lose the result.
      measured: clip(o.measured, 2000),
      threshold: clip(o.threshold, 2000),
      headroom: clip(o.headroom, 500),
      message: clip(o.message, 4000),
      reason: clip(o.reason, 500),
      endpointId: where.endpoint.id,
      endpointFingerprint: where.fingerprint,
      runId: where.runId,
      evidenceIds: evidence
        .filter(
          (_, i) => output.evidence[i]?.checkIds?.includes(o.checkId) ?? true,
        )
        .map((e) => e.id),
      finishedAt: where.finishedAt,
    }));
  const skews = output.evidence.flatMap((d) =>
    d.clockSkewMs === undefined ? [] : [d.clockSkewMs],
  );
  return { results, evidence, skews };
}

/** What each result measured: the endpoint as the plan held it when the run started (DESIGN §1 "out of date"). */
export function fingerprintsOf(
  plan: Plan,
  endpoints: readonly Endpoint[],
): (endpoint: Endpoint) => string {
  const fingerprints = new Map(
    endpoints.map((e) => [e.id, endpointFingerprint(plan, e)]),
  );
  return (endpoint) =>
    fingerprints.get(endpoint.id) ?? endpointFingerprint(plan, endpoint);
}

/** Appends a run's records to the plan in batches, with the median clock skew seen so far. */
export class RunRecorder {
  private pending: {
    results: CheckResult[];
    evidence: Evidence[];
    skews: number[];
  } = { results: [], evidence: [], skews: [] };
  /** Every clock skew seen in this run; the run records their median. */
  private readonly skews: number[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly runId: string,
    private readonly plans: PlanStore,
    private readonly log: Pick<Logger, "error">,
    /** Called when the plan refuses a record: the run stops cleanly. */
    private readonly onRefused: () => void,
  ) {}

  add(records: {
    results: CheckResult[];
    evidence: Evidence[];
    skews: number[];
  }): void {
    this.pending.results.push(...records.results);
    this.pending.evidence.push(...records.evidence);
    this.pending.skews.push(...records.skews);
    this.timer ??= setTimeout(() => {
      this.timer = null;
      this.flush();
    }, RECORD_INTERVAL_MS);
  }

  flush(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const { results, evidence, skews } = this.pending;
    if (results.length === 0 && evidence.length === 0) return;
    this.pending = { results: [], evidence: [], skews: [] };
    try {
      this.skews.push(...skews);
      const sorted = [...this.skews].sort((a, b) => a - b);
      this.plans.appendToRun(this.runId, {
        results,
        evidence,
        ...(sorted.length > 0 && {
          clockSkewMs: sorted[Math.floor(sorted.length / 2)],
        }),
      });
    } catch (error) {
      // Never lose a run to one record the plan refuses: log it, and stop the run cleanly.
      this.log.error(
        `Run ${this.runId}: results could not be recorded: ${error instanceof Error ? error.message : String(error)}`,
      );
      this.onRefused();
    }
  }
}

/** Evidence is stored as JSON: drop undefined, turn buffers into base64, keep everything else as is. */
function toJson(value: unknown): Evidence["data"] {
  return JSON.parse(stringify(value) ?? "null") as Evidence["data"];
}

/** JSON.stringify says undefined for undefined and functions; its typings do not. */
function stringify(value: unknown): string | undefined {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Uint8Array ? Buffer.from(item).toString("base64") : item,
  );
}

/** Cuts text to the plan's limit, saying so. */
function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
