// What a command may touch of the outside world, so tests can run commands in-process.
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The built renderer, served by browser mode. */
  rendererDir: string;
  /** Resolves when the user asks the command to stop (Ctrl-C). */
  untilInterrupted(): Promise<void>;
}

export function processIo(rendererDir: string): CliIo {
  return {
    stdout: (text) =>
      process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    stderr: (text) =>
      process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    env: process.env,
    cwd: process.cwd(),
    rendererDir,
    untilInterrupted: () =>
      new Promise((resolve) => {
        process.once("SIGINT", () => resolve());
        process.once("SIGTERM", () => resolve());
      }),
  };
}
