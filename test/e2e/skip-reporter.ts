// Prints why each skipped test was skipped, so a skip is never silent.
import type { Reporter, TestCase, TestResult } from "@playwright/test/reporter";

export default class SkipReporter implements Reporter {
  onTestEnd(test: TestCase, result: TestResult): void {
    if (result.status !== "skipped") return;
    const reason =
      test.annotations.find((a) => a.type === "skip")?.description ??
      "no reason given";
    process.stdout.write(`  skipped: ${test.title} — ${reason}\n`);
  }
}
