// Runs `cellcert` commands in-process with captured output and a Ctrl-C the test presses; what it printed before.
import { readFileSync } from "node:fs";
import type { CliIo } from "../../electron/cli/io";

export interface CapturedIo extends CliIo {
  out: string[];
  err: string[];
  interrupt(): void;
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp): Promise<string>;
}

export function captureIo(overrides: Partial<CliIo> = {}): CapturedIo {
  let interrupt: () => void = () => undefined;
  const interrupted = new Promise<void>((resolve) => {
    interrupt = resolve;
  });
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout(text) {
      out.push(text);
      for (const waiter of waiters.filter((w) => w.pattern.test(text)))
        waiter.resolve(text);
    },
    stderr: (text) => err.push(text),
    env: {},
    cwd: process.cwd(),
    rendererDir: "out/renderer",
    resourcesDir: "resources",
    practiceEntry: "out/cli/practice-plant.js",
    verifyEntry: "out/cli/verify-worker.js",
    untilInterrupted: () => interrupted,
    interrupt: () => interrupt(),
    waitForLine(pattern) {
      const seen = out.find((line) => pattern.test(line));
      if (seen !== undefined) return Promise.resolve(seen);
      return new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
    ...overrides,
  };
}

/** One command line of test/fixtures/cli/help-and-usage.txt and what `cellcert` printed for it. */
export interface PrintedCase {
  argv: string[];
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** What `cellcert` prints for --help and usage errors, as pinned in test/fixtures/cli/help-and-usage.txt. */
export function helpAndUsageCases(): PrintedCase[] {
  const text = readFileSync("test/fixtures/cli/help-and-usage.txt", "utf8");
  const cases: PrintedCase[] = [];
  const pattern =
    /^=== (\[.*\]) → (\d+)\n--- stdout\n([\s\S]*?)--- stderr\n([\s\S]*?)(?=^=== |(?![\s\S]))/gm;
  for (const match of text.matchAll(pattern))
    cases.push({
      argv: JSON.parse(match[1] ?? "[]") as string[],
      exitCode: Number(match[2]),
      stdout: match[3] ?? "",
      stderr: match[4] ?? "",
    });
  return cases;
}

/** What a captured io holds, as the real process prints it: every write ends with a line break. */
export function printed(lines: readonly string[]): string {
  return lines
    .map((line) => (line.endsWith("\n") ? line : `${line}\n`))
    .join("");
}
