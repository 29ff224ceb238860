// `cellcert check-plan FILE [--json]`: 0 for a valid plan; 2 naming the file, the field (JSON pointer) and the reason.
import { resolve } from "node:path";
import {
  describeProblem,
  type PlanProblem,
} from "../../../shared/model/parse-plan";
import { PLAN_SCHEMA_VERSION } from "../../../shared/model/plan";
import { planWarnings } from "../../../shared/model/plan-warnings";
import { UserError } from "../../engine/errors";
import { PlanFileError, readPlanFile } from "../../engine/plan-store/plan-file";
import type { CliIo } from "../io";
import { ExitCode } from "../exit-codes";
import { CHECK_PLAN_SCHEMA } from "../report-schemas";

export interface CheckPlanReport {
  schema: typeof CHECK_PLAN_SCHEMA;
  file: string;
  valid: boolean;
  /** The schema version the file is written in, when it could be read. */
  schemaVersion: number | null;
  problems: PlanProblem[];
  /** What a valid plan should still have looked at (overlapping cell networks…): never a reason to refuse it. */
  warnings: PlanProblem[];
}

export async function checkPlanCommand(
  file: string,
  options: { json?: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const path = resolve(io.cwd, file);
  const report: CheckPlanReport = {
    schema: CHECK_PLAN_SCHEMA,
    file: path,
    valid: false,
    schemaVersion: null,
    problems: [],
    warnings: [],
  };
  try {
    const read = await readPlanFile(path);
    report.valid = true;
    report.schemaVersion = read.fromVersion;
    report.warnings = planWarnings(read.plan);
  } catch (error) {
    if (error instanceof PlanFileError) report.problems = [...error.problems];
    else if (error instanceof UserError)
      report.problems = [{ pointer: "", reason: error.message }];
    else throw error;
  }
  if (options.json === true) io.stdout(JSON.stringify(report, null, 2));
  else if (report.valid) {
    const migrated =
      report.schemaVersion !== PLAN_SCHEMA_VERSION
        ? ` (schema version ${report.schemaVersion}; Cellcert saves it as version ${PLAN_SCHEMA_VERSION} at the next change)`
        : "";
    io.stdout(`${path}: a valid plan${migrated}.`);
    for (const warning of report.warnings)
      io.stdout(`  warning: ${describeProblem(warning)}`);
  } else {
    for (const problem of report.problems)
      io.stderr(`${path}: ${describeProblem(problem)}`);
  }
  return report.valid ? ExitCode.ok : ExitCode.unjudged;
}
