// The engine as the CLI uses it: plans by path, secrets from the environment or the terminal, no recent list.
import { dirname } from "node:path";
import { createEngine, type Engine } from "../engine/engine";
import { workspaceLocations } from "../engine/plan-store/locations";
import type { FamilyProbes } from "../engine/runner/types";
import type { CliIo } from "./io";

export function createCliEngine(
  io: CliIo,
  planPath: string,
  probes?: FamilyProbes,
): Engine {
  return createEngine({
    mode: "cli",
    locations: workspaceLocations(dirname(planPath)),
    recentFile: null,
    resourcesDir: io.resourcesDir,
    env: io.env,
    ...(io.ask !== undefined && { ask: io.ask }),
    echo: (line) => {
      if (line.level === "error") io.stderr(`error: ${line.message}`);
    },
    ...(probes !== undefined && { probes }),
  });
}
