// Reading a plan from text: JSON, then migration, then the schema. Every failure names the field as a JSON
// pointer and gives the reason, so `check-plan`, the store and the UI say the same thing.
import type { z } from "zod";
import { migratePlanJson } from "./migrate";
import { Plan } from "./plan";

export interface PlanProblem {
  /** RFC 6901 pointer to the field, "" for the whole file. */
  pointer: string;
  reason: string;
}

export type PlanParse =
  | { ok: true; plan: Plan; fromVersion: number }
  | { ok: false; problems: PlanProblem[] };

export function parsePlanText(text: string): PlanParse {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(detail);
    const stopsAtEnd =
      position !== null && Number(position[1]) >= text.trimEnd().length - 1;
    const truncated =
      stopsAtEnd || /end of (JSON )?input/i.test(detail)
        ? " (the file looks truncated)"
        : "";
    return {
      ok: false,
      problems: [
        { pointer: "", reason: `not valid JSON${truncated}: ${detail}` },
      ],
    };
  }
  return parsePlanJson(json);
}

export function parsePlanJson(json: unknown): PlanParse {
  const migrated = migratePlanJson(json);
  if (!migrated.ok)
    return {
      ok: false,
      problems: [{ pointer: migrated.pointer, reason: migrated.reason }],
    };
  const parsed = Plan.safeParse(migrated.json);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  return { ok: true, plan: parsed.data, fromVersion: migrated.fromVersion };
}

export function problemsOf(error: z.ZodError): PlanProblem[] {
  return error.issues.map((issue) => ({
    pointer: toPointer(issue.path),
    reason: issue.message,
  }));
}

export function toPointer(path: readonly PropertyKey[]): string {
  return path
    .map(
      (part) => `/${String(part).replaceAll("~", "~0").replaceAll("/", "~1")}`,
    )
    .join("");
}

/** "/endpoints/3/port: a port is 1 to 65535" */
export function describeProblem(problem: PlanProblem): string {
  return problem.pointer === ""
    ? problem.reason
    : `${problem.pointer}: ${problem.reason}`;
}
