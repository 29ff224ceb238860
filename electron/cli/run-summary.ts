// How `run` and `demo` report a plan after running it: a row per boundary, every failing check on its own
// line (check id, endpoint, one-line message), and the plant verdict. A failure the plan waives is listed as
// waived and does not count as failing (nor in the exit code), as in the roll-up and `certify` (DESIGN §2); a
// waiver past its expiry date no longer waives. Results of an endpoint that changed since its run are listed as
// out of date, each on its own line, and retired endpoints as retired.
import { runsMeasuring } from "../../shared/model/endpoint-removal";
import { formatHostPort } from "../../shared/model/net";
import type { Plan } from "../../shared/model/plan";
import {
  assessPlan,
  type CheckAssessment,
  type PlantAssessment,
} from "../../shared/verdicts/rollup";
import { renderTable } from "./table";
import { RUN_REPORT_SCHEMA } from "./report-schemas";

export interface RunReport {
  schema: typeof RUN_REPORT_SCHEMA;
  plan: { file: string; plant: string; practice: boolean };
  runs: {
    id: string;
    vantage: string;
    status: string;
    vantageAddress: { verdict: string; message: string };
    results: {
      checkId: string;
      endpointId: string;
      verdict: string;
      message: string;
      reason: string;
    }[];
  }[];
  boundaries: {
    id: string;
    verdict: string | null;
    outOfScopeReason: string;
  }[];
  /** Failures of these runs that no waiver covers: what makes the exit code 1. */
  failing: { checkId: string; endpointId: string; message: string }[];
  /** Failures of these runs the plan waives, with the waiver's justification. */
  waived: {
    checkId: string;
    endpointId: string;
    message: string;
    justification: string;
  }[];
  /** Checks whose latest result measured an endpoint that has changed since: not-tested until probed again. */
  outOfDate: {
    checkId: string;
    endpointId: string;
    /** The run that measured the endpoint as it was. */
    afterRun: number;
    message: string;
  }[];
  /** Endpoints retired after they were probed: kept in their runs, judged no more. */
  retired: { endpointId: string; name: string; runs: number[] }[];
  plantVerdict: PlantAssessment["verdict"];
}

export function runReport(
  file: string,
  plan: Plan,
  runIds: readonly string[],
): RunReport {
  const assessment = assessPlan(plan);
  const runs = plan.runs.filter((r) => runIds.includes(r.id));
  const failures = runs.flatMap((run) =>
    run.results
      .filter((r) => r.verdict === "fail")
      .map((r) => ({
        checkId: r.checkId,
        endpointId: r.endpointId,
        message: firstLine(r.message),
      })),
  );
  const judged = new Map<string, CheckAssessment>(
    assessment.boundaries.flatMap((b) =>
      b.checks.map((c) => [`${c.check.id} ${c.endpoint.id}`, c] as const),
    ),
  );
  // The waiver the roll-up applies: none once it has expired.
  const waiverOf = (failure: { checkId: string; endpointId: string }) => {
    const item = judged.get(`${failure.checkId} ${failure.endpointId}`);
    return item?.verdict === "waived" ? (item.waiver ?? undefined) : undefined;
  };
  return {
    schema: RUN_REPORT_SCHEMA,
    plan: { file, plant: plan.plant.name, practice: plan.practice },
    runs: runs.map((run) => ({
      id: run.id,
      vantage: run.vantage,
      status: run.status,
      vantageAddress: run.vantageAddress,
      results: run.results.map((r) => ({
        checkId: r.checkId,
        endpointId: r.endpointId,
        verdict: r.verdict,
        message: r.message,
        reason: r.reason,
      })),
    })),
    boundaries: assessment.boundaries.map((b) => ({
      id: b.boundary.id,
      verdict: b.verdict,
      outOfScopeReason: b.outOfScopeReason,
    })),
    failing: failures
      .filter((f) => waiverOf(f) === undefined)
      .map(({ checkId, endpointId, message }) => ({
        checkId,
        endpointId,
        message,
      })),
    waived: failures.flatMap((f) => {
      const waiver = waiverOf(f);
      return waiver === undefined
        ? []
        : [{ ...f, justification: firstLine(waiver.justification) }];
    }),
    outOfDate: outOfDateOf(assessment),
    retired: plan.endpoints
      .filter((e) => e.retired === true)
      .map((e) => ({
        endpointId: e.id,
        name: e.name,
        runs: runsMeasuring(plan, e.id),
      })),
    plantVerdict: assessment.verdict,
  };
}

/** Every check in scope whose latest result is out of date, in catalog order. */
export function outOfDateOf(
  assessment: PlantAssessment,
): RunReport["outOfDate"] {
  return assessment.boundaries
    .filter((b) => b.inScope)
    .flatMap((b) => b.checks)
    .flatMap((c) =>
      c.outOfDate === null
        ? []
        : [
            {
              checkId: c.check.id,
              endpointId: c.endpoint.id,
              afterRun: c.outOfDate.afterRun,
              message: c.summary,
            },
          ],
    );
}

/** One line per out-of-date result, the words "out of date" whole on it (DESIGN §1). */
export function outOfDateLines(items: RunReport["outOfDate"]): string[] {
  return items.map(
    (item) =>
      `  OUT OF DATE  ${item.checkId}  ${item.endpointId}  the endpoint changed after run ${item.afterRun}, so this result is out of date: probe it again.`,
  );
}

/** One line per retired endpoint. */
export function retiredLines(
  plan: Plan,
  items: RunReport["retired"],
): string[] {
  return items.map((item) => {
    const endpoint = plan.endpoints.find((e) => e.id === item.endpointId);
    const place =
      endpoint === undefined || endpoint.host === ""
        ? ""
        : ` (${endpoint.port === undefined ? endpoint.host : formatHostPort(endpoint.host, endpoint.port)})`;
    return `  RETIRED  ${item.endpointId}  "${item.name}"${place} is retired: its results stay in run ${item.runs.join(", ")} and no longer count.`;
  });
}

export function renderRunReport(report: RunReport, plan: Plan): string {
  const lines: string[] = [];
  for (const run of report.runs) {
    const counts = countVerdicts(run.results.map((r) => r.verdict));
    lines.push(
      `${run.id} · ${run.vantage} vantage · ${run.status} · ${counts}`,
    );
    if (run.vantageAddress.verdict !== "pass")
      lines.push(`  WARN  VANTAGE.address  ${run.vantageAddress.message}`);
  }
  const assessment = assessPlan(plan);
  const rows = assessment.boundaries.map((b) => {
    const judged = b.checks.map((c) => c.verdict);
    return [
      b.boundary.id,
      b.verdict === null ? "out of scope" : b.verdict.toUpperCase(),
      b.verdict === null ? b.outOfScopeReason : countVerdicts(judged),
    ];
  });
  lines.push(
    "",
    renderTable(["BOUNDARY", "VERDICT", "CHECKS"], rows, { width: 120 }),
  );
  lines.push("");
  for (const waived of report.waived)
    lines.push(
      `  WAIVED  ${waived.checkId}  ${waived.endpointId}  ${waived.message} Waived: ${waived.justification}`,
    );
  if (report.waived.length > 0) lines.push("");
  if (report.outOfDate.length > 0)
    lines.push(
      `Out of date (${report.outOfDate.length}), counted as not tested:`,
      ...outOfDateLines(report.outOfDate),
      "",
    );
  if (report.retired.length > 0)
    lines.push(...retiredLines(plan, report.retired), "");
  if (report.failing.length === 0)
    lines.push(
      report.waived.length === 0
        ? "No check failed."
        : "No check failed that is not waived.",
    );
  else {
    lines.push(`Failing checks (${report.failing.length}):`);
    for (const failing of report.failing)
      lines.push(
        `  FAIL  ${failing.checkId}  ${failing.endpointId}  ${failing.message}`,
      );
  }
  lines.push(
    "",
    `Plant verdict: ${report.plantVerdict}${plan.practice ? " (PRACTICE)" : ""}`,
  );
  return lines.join("\n");
}

function countVerdicts(verdicts: readonly string[]): string {
  const order = ["pass", "warn", "fail", "not-tested", "waived", "attested"];
  const parts = order.flatMap((verdict) => {
    const n = verdicts.filter((v) => v === verdict).length;
    return n === 0 ? [] : [`${n} ${verdict}`];
  });
  return parts.length === 0 ? "nothing judged" : parts.join(", ");
}

function firstLine(text: string): string {
  return text.split("\n")[0] ?? "";
}
