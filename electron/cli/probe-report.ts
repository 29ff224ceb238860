// What every `cellcert probe …` command prints: a readable table, or with --json one versioned document
// (docs/cli-json.md). The exit code follows DESIGN §2 from the same report.
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import { RULESET_VERSION } from "../../shared/product";
import { TOOL_VERSION } from "../engine/about";
import { ExitCode } from "./exit-codes";
import type { CliIo } from "./io";
import { renderTable } from "./table";

export const PROBE_REPORT_SCHEMA = "cellcert.probe-report/1";

export interface ProbeReport {
  schema: typeof PROBE_REPORT_SCHEMA;
  tool: { name: "cellcert"; version: string };
  rulesetVersion: string;
  /** e.g. "probe tls" */
  command: string;
  /** host:port as probed (IPv6 in brackets). */
  target: string;
  startedAt: string;
  durationMs: number;
  /** Set when nothing could be judged (unreachable, not listening, DNS failure): exit 2. */
  unjudged: string | null;
  checks: CheckOutcome[];
  /** The probe's raw observations, in the shape its documentation gives. */
  evidence: unknown;
}

/**
 * The report of one probe command. The one rule for "nothing could be judged" (exit 2, DESIGN §2): the command
 * knew why (unreachable, a server that needs a name) and says so in `unjudged`, or no check got a verdict, and
 * the first check's sentence says why.
 */
export function probeReport(
  fields: Pick<
    ProbeReport,
    "command" | "target" | "startedAt" | "durationMs" | "checks" | "evidence"
  > & {
    unjudged?: string | null;
  },
): ProbeReport {
  const { unjudged, ...rest } = fields;
  return {
    schema: PROBE_REPORT_SCHEMA,
    tool: { name: "cellcert", version: TOOL_VERSION },
    rulesetVersion: RULESET_VERSION,
    ...rest,
    unjudged: unjudged ?? nothingJudged(fields.checks),
  };
}

/** Why nothing of `checks` could be judged (the first one's sentence when none got a verdict), or null. */
export function nothingJudged(checks: readonly CheckOutcome[]): string | null {
  if (!checks.every((c) => c.verdict === "not-tested")) return null;
  return checks[0]?.message ?? "Nothing could be judged.";
}

/** DESIGN §2: 1 when a check failed; 2 when nothing could be judged; else 0 (not-tested is listed, not counted). */
export function probeExitCode(
  report: Pick<ProbeReport, "checks" | "unjudged">,
): ExitCode {
  if (report.checks.some((c) => c.verdict === "fail")) return ExitCode.failed;
  if (report.unjudged !== null) return ExitCode.unjudged;
  return ExitCode.ok;
}

const VERDICT_WORD: Record<CheckOutcome["verdict"], string> = {
  pass: "PASS",
  warn: "WARN",
  fail: "FAIL",
  "not-tested": "NOT TESTED",
};

export function renderProbeReport(report: ProbeReport): string {
  const header = `${report.command} ${report.target} · Cellcert ${report.tool.version} · ruleset ${report.rulesetVersion} · ${report.durationMs} ms`;
  const rows = report.checks.map((c) => [
    VERDICT_WORD[c.verdict],
    c.checkId,
    c.measured === "" ? "—" : c.measured,
    [c.message, c.headroom === "" ? "" : `(${c.headroom})`].join(" ").trim(),
  ]);
  const table = renderTable(
    ["VERDICT", "CHECK", "MEASURED", "WHAT IT MEANS"],
    rows,
    { width: 150 },
  );
  const footer =
    report.unjudged === null
      ? []
      : [`Nothing could be judged. ${report.unjudged}`];
  return [
    header,
    "",
    table,
    ...(footer.length > 0 ? ["", ...footer] : []),
  ].join("\n");
}

/** Prints the report as the user asked and returns the exit code. */
export function emitProbeReport(
  report: ProbeReport,
  io: CliIo,
  json: boolean,
): ExitCode {
  io.stdout(json ? JSON.stringify(report, null, 2) : renderProbeReport(report));
  return probeExitCode(report);
}
