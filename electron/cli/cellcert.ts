#!/usr/bin/env node
// Entry of the built `cellcert` command (out/cli/cellcert.js).
import { builtPaths, processIo } from "./io";
import { runCli } from "./program";

try {
  process.exitCode = await runCli(
    process.argv.slice(2),
    processIo(builtPaths(import.meta.dirname)),
  );
} catch (error) {
  process.stderr.write(
    `cellcert: an unexpected error stopped the command.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
}
