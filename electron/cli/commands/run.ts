// `cellcert run --plan F (--vantage V | --all-vantages) [--json]`: runs the checks of one vantage or all,
// records the runs in the plan, shows progress, then the summary (DESIGN §8).
import { resolve } from "node:path";
import type { RunProgress } from "../../../shared/contract/run";
import type { Plan } from "../../../shared/model/plan";
import { vantageIds, type VantageId } from "../../../shared/plant-words";
import type { Engine } from "../../engine/engine";
import { UserError } from "../../engine/errors";
import type { FamilyProbes } from "../../engine/families/types";
import { createCliEngine } from "../cli-engine";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { renderRunReport, runReport, type RunReport } from "../run-summary";

export interface RunOptions {
  plan: string;
  vantage?: VantageId;
  allVantages?: boolean;
  json?: boolean;
}

export async function runCommand(
  options: RunOptions,
  io: CliIo,
  probes?: FamilyProbes,
): Promise<ExitCode> {
  if ((options.vantage === undefined) === (options.allVantages !== true)) {
    io.stderr("Give either --vantage V or --all-vantages.");
    return ExitCode.unjudged;
  }
  const path = resolve(io.cwd, options.plan);
  const engine = createCliEngine(io, probes);
  try {
    const opened = await engine.context.plans.open({ kind: "path", path });
    if (opened === null) return ExitCode.unjudged;
    const configured = opened.plan.vantages.map((v) => v.id);
    const vantages =
      options.allVantages === true
        ? vantageIds.filter((v) => configured.includes(v))
        : [options.vantage as VantageId];
    const report = await runVantages(engine, path, vantages, io);
    io.stdout(
      options.json === true
        ? JSON.stringify(report, null, 2)
        : renderRunReport(report, currentPlan(engine)),
    );
    return runExitCode(report);
  } finally {
    await engine.shutdown();
  }
}

/** Runs the vantages one after the other, drawing a progress bar, and returns the report over these runs. */
export async function runVantages(
  engine: Engine,
  file: string,
  vantages: readonly VantageId[],
  io: CliIo,
): Promise<RunReport> {
  const { runner, plans, events } = engine.context;
  // Every vantage is checked before the first probe: a laptop that cannot probe from one of them records nothing.
  const problems: string[] = [];
  for (const vantage of vantages) {
    const problem = (await runner.preview(vantage)).problem;
    if (problem !== null) problems.push(problem);
  }
  if (problems.length > 0)
    throw new UserError(
      "unavailable",
      `No run was started. ${problems.join(" ")}`,
    );
  const runIds: string[] = [];
  const unsubscribe = events.subscribe((event, payload) => {
    if (event === "run:progress")
      io.progress?.(progressBar(payload as RunProgress));
  });
  try {
    for (const vantage of vantages) {
      const started = await runner.start({ vantage });
      runIds.push(started.runId);
      await runner.idle();
      io.progress?.("");
    }
  } finally {
    unsubscribe();
  }
  await plans.flush();
  return runReport(file, currentPlan(engine), runIds);
}

/** 1 when a check failed that the plan does not waive; 2 when no check could be judged at all; else 0. */
export function runExitCode(report: RunReport): ExitCode {
  const verdicts = report.runs.flatMap((r) => r.results.map((x) => x.verdict));
  if (report.failing.length > 0) return ExitCode.failed;
  if (verdicts.every((v) => v === "not-tested")) return ExitCode.unjudged;
  return ExitCode.ok;
}

function progressBar(progress: RunProgress): string {
  const width = 30;
  const filled =
    progress.total === 0
      ? width
      : Math.round((progress.done / progress.total) * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${progress.done}/${progress.total} ${progress.vantage}`;
}

function currentPlan(engine: Engine): Plan {
  const document = engine.context.plans.current();
  if (document === null) throw new Error("The plan was closed during the run.");
  return document.plan;
}
