// A real engine over a temporary workspace, as browser mode builds it, for tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createWorkspaceEngine,
  type Engine,
} from "../../electron/engine/engine";
import type { FamilyProbes } from "../../electron/engine/families/types";

export interface TestEngineOptions {
  env?: NodeJS.ProcessEnv;
  autosaveDelayMs?: number;
  /** Stand-in probes; the real ones by default. */
  probes?: FamilyProbes;
}

export function createTestEngine(
  options: TestEngineOptions = {},
): Engine & { workspace: string } {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-workspace-"));
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: options.env ?? {},
    autosaveDelayMs: options.autosaveDelayMs ?? 20,
    ...(options.probes !== undefined && { probes: options.probes }),
  });
  return { ...engine, workspace };
}
