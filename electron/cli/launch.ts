// `npm start`: the desktop app where the Electron runtime is on disk, otherwise browser mode, saying why in one line.
import { spawn } from "node:child_process";
import { resolve } from "node:path";
import {
  ELECTRON_MISSING_REASON,
  findElectronRuntime,
} from "./electron-runtime";
import { builtPaths, processIo } from "./io";
import { runCli } from "./program";

const projectRoot = resolve(import.meta.dirname, "../..");
const electronBinary = findElectronRuntime(projectRoot);

if (electronBinary !== null) {
  const child = spawn(electronBinary, [projectRoot], { stdio: "inherit" });
  child.on("exit", (code) => {
    process.exitCode = code ?? 0;
  });
} else {
  process.stdout.write(
    `Cellcert: ${ELECTRON_MISSING_REASON}; starting browser mode instead.\n`,
  );
  // The build is CommonJS (vite.cli.config.ts), where a top-level await cannot be.
  void runCli(["serve"], processIo(builtPaths(import.meta.dirname))).then(
    (exitCode) => {
      process.exitCode = exitCode;
    },
  );
}
