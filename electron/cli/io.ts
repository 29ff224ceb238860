// What a command may touch of the outside world, so tests can run commands in-process.
import { resolve } from "node:path";
import { visibleText } from "../../shared/visible-text";
import { ExitCode } from "./exit-codes";
import { askHidden } from "./prompt";

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The built renderer, served by browser mode. */
  rendererDir: string;
  /** resources/: the reference plant template and other runtime assets. */
  resourcesDir: string;
  /** The built practice plant process (out/cli/practice-plant.js), forked by browser mode. */
  practiceEntry: string;
  /** The built verify worker (out/cli/verify-worker.js), where browser mode checks uploaded certificates. */
  verifyEntry: string;
  /** Resolves when the user asks the command to stop (Ctrl-C). */
  untilInterrupted(): Promise<void>;
  /** A one-line status (a progress bar) redrawn in place; absent when stderr is not a terminal. */
  progress?: (line: string) => void;
  /** Asks for a secret without echo; absent when there is no terminal to ask on. */
  ask?: (question: string) => Promise<string | null>;
}

/**
 * The same io with everything written passed through visibleText: escape sequences, carriage returns, bidi
 * overrides and other invisible characters a server sent are printed as visible \uXXXX escapes (line breaks
 * kept). JSON stays valid JSON that decodes to the same values.
 */
export function visibleIo(io: CliIo): CliIo {
  const safe = (text: string): string => visibleText(text, { keep: "\n" });
  const progress = io.progress;
  return {
    ...io,
    stdout: (text) => io.stdout(safe(text)),
    stderr: (text) => io.stderr(safe(text)),
    ...(progress !== undefined && {
      progress: (line: string) => progress(safe(line)),
    }),
  };
}

/**
 * Writes to one of the process's streams, and outlives its reader. A reader that stops early (`cellcert … | head`,
 * with `2>&1` too) closes the pipe: what is left has nowhere to go, and the command still finishes with its own exit
 * code instead of a stack trace. Any other failure to write (a full disk) means the report cannot be delivered: it
 * is said on stderr where it can be, and the process ends at once with exit 2.
 */
function streamWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    closed = true;
    if (error.code === "EPIPE") return;
    if (stream !== process.stderr)
      process.stderr.write(
        `cellcert: the output could not be written (${error.code ?? error.message}), so nothing is reported.\n`,
      );
    process.exit(ExitCode.unjudged);
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

/** The real process; the paths are where the built CLI finds the renderer and resources/. */
export function processIo(paths: {
  rendererDir: string;
  resourcesDir: string;
  practiceEntry: string;
  verifyEntry: string;
}): CliIo {
  const stdout = streamWriter(process.stdout);
  const stderr = streamWriter(process.stderr);
  const line = (text: string): string =>
    text.endsWith("\n") ? text : `${text}\n`;
  return {
    stdout: (text) => stdout(line(text)),
    stderr: (text) => stderr(line(text)),
    env: process.env,
    cwd: process.cwd(),
    ...paths,
    untilInterrupted: () =>
      new Promise((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      }),
    ...(process.stderr.isTTY && {
      progress: (status: string) => stderr(`\r\x1b[2K${status}`),
    }),
    ...(process.stdin.isTTY && { ask: askHidden }),
  };
}

/** From out/cli/: the renderer built beside it, resources/ at the project's (or package's) root. */
export function builtPaths(cliDir: string): {
  rendererDir: string;
  resourcesDir: string;
  practiceEntry: string;
  verifyEntry: string;
} {
  return {
    rendererDir: resolve(cliDir, "../renderer"),
    resourcesDir: resolve(cliDir, "../../resources"),
    practiceEntry: resolve(cliDir, "practice-plant.js"),
    verifyEntry: resolve(cliDir, "verify-worker.js"),
  };
}
