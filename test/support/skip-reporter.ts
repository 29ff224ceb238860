// Prints why each skipped Vitest test was skipped (its `ctx.skip(note)`), so a skip is never silent.
import type { Reporter, TestCase } from "vitest/node";

export default class SkipReporter implements Reporter {
  onTestCaseResult(testCase: TestCase): void {
    const result = testCase.result();
    if (result.state !== "skipped") return;
    const note = result.note ?? "no reason given";
    process.stdout.write(
      `  skipped: ${testCase.module.moduleId.replace(`${process.cwd()}/`, "")} › ${testCase.fullName} — ${note}\n`,
    );
  }
}
