import { describe, expect, it } from "vitest";
import { notTested, outcome } from "../../shared/verdicts/outcome";
import { ExitCode } from "./exit-codes";
import { probeExitCode, probeReport } from "./probe-report";

const report = (
  checks: ReturnType<typeof outcome>[],
  unjudged?: string | null,
) =>
  probeReport({
    command: "probe tcp",
    target: "127.0.0.1:1",
    startedAt: "2026-12-01T00:00:00.000Z",
    durationMs: 1,
    checks,
    evidence: null,
    ...(unjudged !== undefined && { unjudged }),
  });

describe("one rule for 'nothing could be judged' (exit 2)", () => {
  it.each([
    [
      "a check judged",
      [outcome("a", "pass", "fine")],
      undefined,
      null,
      ExitCode.ok,
    ],
    [
      "a check failed",
      [outcome("a", "fail", "bad"), notTested("b", "unreachable", "gone")],
      undefined,
      null,
      ExitCode.failed,
    ],
    [
      "no check got a verdict: the first says why",
      [
        notTested("a", "unreachable", "Nothing listens."),
        notTested("b", "unreachable", "x"),
      ],
      undefined,
      "Nothing listens.",
      ExitCode.unjudged,
    ],
    [
      "the command knew why",
      [outcome("a", "warn", "meh")],
      "needs a server name",
      "needs a server name",
      ExitCode.unjudged,
    ],
    [
      "a failure outweighs it",
      [outcome("a", "fail", "bad")],
      "unreachable",
      "unreachable",
      ExitCode.failed,
    ],
  ])("%s", (_name, checks, given, unjudged, code) => {
    const made = report(checks, given);
    expect(made.unjudged).toBe(unjudged);
    expect(probeExitCode(made)).toBe(code);
  });
});
