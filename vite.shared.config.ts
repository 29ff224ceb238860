// What every build of Cellcert's Node code shares (the app's main process, the CLI, the benchmarks, the tests):
// the git build id compiled in as __CELLCERT_BUILD__, and the ICC profile the certificate embeds (bundled as
// data, so no build has to find resources/ at run time).
import { execFileSync } from "node:child_process";

/** The short commit this build is made from; CELLCERT_BUILD wins, and without git it says so. */
export function buildId(): string {
  const given = process.env.CELLCERT_BUILD?.trim();
  if (given !== undefined && given !== "") return given;
  try {
    return execFileSync("git", ["rev-parse", "--short=7", "HEAD"], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

export const nodeBuildShared = {
  define: { __CELLCERT_BUILD__: JSON.stringify(buildId()) },
  assetsInclude: ["**/*.icc"],
};
