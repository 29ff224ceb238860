// The engine as the CLI uses it: plans by path, secrets from the environment or the terminal, no recent list.
import { createEngine, type Engine } from "../engine/engine";
import { givenPlanLocations } from "../engine/plan-store/locations";
import type { FamilyProbes } from "../engine/families/types";
import type { CliIo } from "./io";

export function createCliEngine(io: CliIo, probes?: FamilyProbes): Engine {
  return createEngine({
    mode: "cli",
    locations: givenPlanLocations(),
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
