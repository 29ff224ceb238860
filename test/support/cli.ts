// Runs `cellcert` commands in-process with captured output and a Ctrl-C the test presses.
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
