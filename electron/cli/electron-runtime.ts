// Finds the Electron runtime on disk without touching `require('electron')`, which would try to download it.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";

const BINARY_BY_PLATFORM: Partial<Record<NodeJS.Platform, string>> = {
  win32: "electron.exe",
  darwin: "Electron.app/Contents/MacOS/Electron",
};

/** The Electron binary's path, or null when it is not on disk (as on machines that cannot download it). */
export function findElectronRuntime(
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  const packageDir = join(projectRoot, "node_modules", "electron");
  const pathFile = join(packageDir, "path.txt");
  const executable = existsSync(pathFile)
    ? readFileSync(pathFile, "utf8").trim()
    : (BINARY_BY_PLATFORM[process.platform] ?? "electron");
  const distDir = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, "dist");
  const binary = join(distDir, executable);
  return existsSync(binary) ? binary : null;
}

export const ELECTRON_MISSING_REASON =
  "the Electron runtime is not on disk (node_modules/electron/dist, or ELECTRON_OVERRIDE_DIST_PATH) and cannot be downloaded on this machine";
