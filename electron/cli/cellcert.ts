#!/usr/bin/env node
// Entry of the built `cellcert` command (out/cli/cellcert.js).
import { resolve } from "node:path";
import { processIo } from "./io";
import { runCli } from "./program";

const rendererDir = resolve(import.meta.dirname, "../renderer");
try {
  process.exitCode = await runCli(
    process.argv.slice(2),
    processIo(rendererDir),
  );
} catch (error) {
  process.stderr.write(
    `cellcert: an unexpected error stopped the command.\n${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exitCode = 2;
}
