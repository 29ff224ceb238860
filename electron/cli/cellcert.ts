#!/usr/bin/env node
// Entry of the built `cellcert` command (out/cli/cellcert.js). It turns on the code cache for the CLI's own
// files first (code-cache.ts), then loads the program, so the program and every command's chunk go through it.
import { codeCacheDir, installCodeCache } from "./code-cache";

async function main(): Promise<number> {
  const dir = codeCacheDir();
  if (dir !== null) installCodeCache({ root: import.meta.dirname, dir });
  const [{ runCli }, { builtPaths, processIo }] = await Promise.all([
    import("./program"),
    import("./io"),
  ]);
  return runCli(
    process.argv.slice(2),
    processIo(builtPaths(import.meta.dirname)),
  );
}

main().then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error: unknown) => {
    process.stderr.write(
      `cellcert: an unexpected error stopped the command.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
