// What this build of Cellcert is: name, version, ruleset; shown in the UI, the CLI and on every certificate.
import pkg from "../../package.json" with { type: "json" };
import { PRODUCT_NAME, RULESET_VERSION } from "../../shared/product";
import type { AppInfo, AppMode } from "../../shared/contract/schemas";

export const TOOL_VERSION: string = pkg.version;

export function appInfo(mode: AppMode): AppInfo {
  return {
    name: PRODUCT_NAME,
    version: TOOL_VERSION,
    rulesetVersion: RULESET_VERSION,
    platform: `${process.platform}-${process.arch}`,
    mode,
  };
}
