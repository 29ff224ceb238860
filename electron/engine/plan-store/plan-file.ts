// Reading and writing one plan file. Reading never writes; a bad file is refused with a sentence naming the
// file, the field (JSON pointer) and the reason, and is left untouched.
import { basename } from "node:path";
import { MAX_PLAN_BYTES, type Plan } from "../../../shared/model/plan";
import {
  describeProblem,
  parsePlanText,
  type PlanProblem,
} from "../../../shared/model/parse-plan";
import { serializePlan } from "../../../shared/model/serialize";
import { UserError } from "../errors";
import { writeFileAtomic } from "./atomic-write";
import { NotRegularFileError, readRegularFile } from "./regular-file";

export class PlanFileError extends UserError {
  constructor(
    readonly file: string,
    readonly problems: readonly PlanProblem[],
    code: UserError["code"] = "invalid-input",
  ) {
    super(
      code,
      `${basename(file)}: ${problems.map(describeProblem).join("; ")}`,
    );
  }
}

export interface PlanFile {
  plan: Plan;
  /** The schema version the file was written in; older ones were migrated in memory only. */
  fromVersion: number;
}

export async function readPlanFile(file: string): Promise<PlanFile> {
  const text = await readBounded(file);
  const parsed = parsePlanText(text);
  if (!parsed.ok) throw new PlanFileError(file, parsed.problems);
  return { plan: parsed.plan, fromVersion: parsed.fromVersion };
}

/** Writes the plan crash-safely, keeping the previous version as `<file>.bak`. */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  await writeFileAtomic(file, serializePlan(plan), { backup: true });
}

/**
 * Reads a file as UTF-8, refusing it before reading when it is larger than a plan may be or not a regular file
 * (a named pipe is never opened, so nothing hangs on one).
 */
async function readBounded(file: string): Promise<string> {
  try {
    const bytes = await readRegularFile(
      file,
      MAX_PLAN_BYTES,
      (size) =>
        new PlanFileError(file, [
          {
            pointer: "",
            reason: `the file is ${(size / 1024 / 1024).toFixed(1)} MiB; a plan may be at most ${MAX_PLAN_BYTES / 1024 / 1024} MiB`,
          },
        ]),
    );
    return bytes.toString("utf8");
  } catch (error) {
    if (error instanceof PlanFileError) throw error;
    if (error instanceof NotRegularFileError)
      throw new UserError(
        "invalid-input",
        `${basename(file)} is ${error.what}, not a plan file.`,
        { cause: error },
      );
    throw fileSystemError(file, error);
  }
}

export function fileSystemError(file: string, error: unknown): UserError {
  const code = (error as NodeJS.ErrnoException).code;
  const name = basename(file);
  switch (code) {
    case "ENOENT":
      return new UserError(
        "not-found",
        `${name}: there is no such file (${file}).`,
        { cause: error },
      );
    case "EACCES":
    case "EPERM":
      return new UserError(
        "forbidden",
        `${name}: Cellcert may not read or write this file; check its permissions.`,
        {
          cause: error,
        },
      );
    case "EISDIR":
      return new UserError(
        "invalid-input",
        `${name} is a folder, not a plan file.`,
        { cause: error },
      );
    default:
      return new UserError(
        "unavailable",
        `${name}: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
  }
}
