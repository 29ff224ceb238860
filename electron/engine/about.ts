// What this build of Cellcert is: name, version, ruleset, git build, and the runtime it probes with; shown in the
// UI, the CLI and on every certificate, and recorded in every run (what probed is what matters).
import { readFileSync } from "node:fs";
import { release, type as osType, version as osVersion } from "node:os";
import pkg from "../../package.json" with { type: "json" };
import { PRODUCT_NAME, RULESET_VERSION } from "../../shared/product";
import type { AppInfo, AppMode } from "../../shared/contract/schemas";
import type { RunInstrument } from "../../shared/model/plan";

export const TOOL_VERSION: string = pkg.version;

/** The git commit this build was made from (vite.shared.config.ts); "unknown" when built without git. */
export const BUILD_ID: string =
  typeof __CELLCERT_BUILD__ === "string" && __CELLCERT_BUILD__ !== ""
    ? __CELLCERT_BUILD__
    : "unknown";

export function appInfo(mode: AppMode): AppInfo {
  return {
    name: PRODUCT_NAME,
    version: TOOL_VERSION,
    rulesetVersion: RULESET_VERSION,
    platform: `${process.platform}-${process.arch}`,
    mode,
  };
}

let instrument: RunInstrument | undefined;

/** The instrument a run records: Cellcert's build, Node, OpenSSL, Electron where it runs in it, the OS. */
export function instrumentInfo(): RunInstrument {
  // Node's typings say every version is there; Electron's is only there inside Electron.
  const versions = process.versions as Partial<Record<string, string>>;
  instrument ??= {
    build: BUILD_ID,
    node: process.version,
    openssl: versions.openssl ?? "unknown",
    ...(versions.electron !== undefined && { electron: versions.electron }),
    os: operatingSystem(),
  };
  return instrument;
}

/** "Debian 12", "Ubuntu 24.04", "Windows 11 Pro (10.0.22631)", else the kernel's type and release. */
export function operatingSystem(
  osRelease: string | null = readOsRelease(),
): string {
  if (process.platform === "linux" && osRelease !== null) {
    const field = (key: string): string =>
      new RegExp(`^${key}="?([^"\\n]*)"?$`, "m").exec(osRelease)?.[1] ?? "";
    const name = field("NAME").split(" ")[0] ?? "";
    const versionId = field("VERSION_ID");
    if (name !== "") return versionId === "" ? name : `${name} ${versionId}`;
  }
  try {
    const described = osVersion();
    if (process.platform !== "linux" && described !== "")
      return `${described} (${release()})`;
  } catch {
    // os.version() is missing on some platforms: the kernel's words below.
  }
  return `${osType()} ${release()}`;
}

function readOsRelease(): string | null {
  try {
    return readFileSync("/etc/os-release", "utf8");
  } catch {
    return null;
  }
}
