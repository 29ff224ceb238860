// The one place where a schema's findings become the sentences shown beside a field. zod's own wording ("Too
// small: expected number to be >=500", "Invalid input") never reaches the screen: each kind of finding gets a
// sentence an engineer can act on, and the plan schema's own reasons are kept, written as sentences.
import { capitalized } from "../../../shared/wording";
import type { z } from "zod";
import { problemsOf, type PlanProblem } from "../../../shared/model/parse-plan";

type RawIssue = Parameters<z.core.$ZodErrorMap>[0];

/** "a port is 1 to 65535" → "A port is 1 to 65535." */
export function asSentence(reason: string): string {
  const text = reason.trim();
  if (text === "") return text;
  const capital = capitalized(text);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

const FORMATS: Record<string, string> = {
  date: "Enter a date as YYYY-MM-DD.",
  datetime: "Enter a date and time with its time zone.",
  email: "Enter an email address.",
  url: "Enter an address starting with https://.",
};

/** zod's finding as a sentence; every schema-level reason (our own wording) takes precedence over this. */
export function issueSentence(issue: RawIssue): string {
  switch (issue.code) {
    case "too_small": {
      const minimum = String(issue.minimum);
      if (issue.origin === "string")
        return issue.minimum === 1
          ? "This cannot be empty."
          : `Enter at least ${minimum} characters.`;
      if (issue.origin === "array" || issue.origin === "set")
        return `Give at least ${minimum}.`;
      return issue.inclusive === false
        ? `Enter a number above ${minimum}.`
        : `Enter ${minimum} or more.`;
    }
    case "too_big": {
      const maximum = String(issue.maximum);
      if (issue.origin === "string")
        return `Keep it to ${maximum} characters at most.`;
      if (issue.origin === "array" || issue.origin === "set")
        return `Give ${maximum} at most.`;
      return issue.inclusive === false
        ? `Enter a number below ${maximum}.`
        : `Enter ${maximum} or less.`;
    }
    case "invalid_type":
      if (issue.input === undefined) return "This is required.";
      if (issue.expected === "int") return "Enter a whole number.";
      if (issue.expected === "number") return "Enter a number.";
      if (issue.expected === "string") return "Enter text here.";
      return "This is not the kind of value expected here.";
    case "invalid_format":
      return FORMATS[issue.format] ?? "This is not written the way it must be.";
    case "invalid_value":
      return issue.values.length === 1
        ? `Only ${String(issue.values[0])} is accepted here.`
        : `Choose one of ${issue.values.map(String).join(", ")}.`;
    case "not_multiple_of":
      return `Enter a multiple of ${String(issue.divisor)}.`;
    default:
      return "This value is not accepted here.";
  }
}

export type FieldCheck<T> =
  | { success: true; data: T; problems: readonly PlanProblem[] }
  | { success: false; data?: undefined; problems: PlanProblem[] };

const NONE: readonly PlanProblem[] = [];

/** Checks a value against a schema; the problems, by JSON pointer, are sentences for the fields they name. */
export function checkFields<S extends z.ZodType>(
  schema: S,
  value: unknown,
): FieldCheck<z.output<S>> {
  const parsed = schema.safeParse(value, { error: issueSentence });
  if (parsed.success)
    return { success: true, data: parsed.data, problems: NONE };
  return {
    success: false,
    problems: problemsOf(parsed.error).map((problem) => ({
      pointer: problem.pointer,
      reason: asSentence(problem.reason),
    })),
  };
}
