// A real engine over a temporary workspace, as browser mode builds it, for tests.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createWorkspaceEngine,
  type Engine,
} from "../../electron/engine/engine";

export function createTestEngine(
  options: { env?: NodeJS.ProcessEnv; autosaveDelayMs?: number } = {},
): Engine & {
  workspace: string;
} {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-workspace-"));
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: options.env ?? {},
    autosaveDelayMs: options.autosaveDelayMs ?? 20,
  });
  return { ...engine, workspace };
}
