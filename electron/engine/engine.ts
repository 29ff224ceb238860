// Builds the engine behind the contract: events, log, plan store, secrets and the handlers over them.
// Electron main builds it with dialogs and the keychain; browser mode and the tests with a workspace folder.
import { join } from "node:path";
import type { AppMode, Handlers } from "../../shared/contract/schemas";
import type { LogLine } from "../../shared/contract/schemas";
import { createHandlers, type EngineContext } from "./api/handlers";
import {
  practiceHandlers,
  type PracticeServices,
} from "./api/practice-handlers";
import { planDocumentView } from "./api/plan-handlers";
import { createEventHub } from "./events";
import { nodePracticeProcess, practiceLauncher } from "./practice/launcher";
import { browserFiles, type FilePlatform } from "./files";
import { createLogger } from "./log";
import { workspaceLocations, type PlanLocations } from "./plan-store/locations";
import type { WorkspaceMigration } from "./plan-store/workspace-migration";
import { PlanStore } from "./plan-store/plan-store";
import { RecentPlans } from "./plan-store/recent-plans";
import { defaultProbes } from "./families/index";
import { Runner } from "./runner/runner";
import type { FamilyProbes } from "./families/types";
import { SecretVault, type Keychain } from "./secrets/vault";
import {
  inProcessVerifier,
  workerVerifier,
  type CertificateVerifier,
} from "./signing/verifier";

export const TEMPLATE_FILE = join("templates", "reference-plant.cellcert.json");

export interface EngineOptions {
  mode: AppMode;
  locations: PlanLocations;
  /** The app's own list of recent plans; null keeps none (the CLI). */
  recentFile: string | null;
  /** Folder holding templates/ (resources/ in a checkout, the app's resources when packaged). */
  resourcesDir: string;
  env: NodeJS.ProcessEnv;
  keychain?: Keychain;
  /** The CLI's terminal prompt for `prompt` secrets. */
  ask?: (question: string) => Promise<string | null>;
  echo?: (line: LogLine) => void;
  autosaveDelayMs?: number;
  /** Where the practice plant runs from, and the folder it writes its plan into; null where it cannot run. */
  practice?: PracticeServices["practice"];
  /** How files come in and exports go out; browser mode's uploads and downloads by default. */
  files?: FilePlatform;
  /** The probes behind each family; the real ones by default. */
  probes?: FamilyProbes;
  /** How `report:verify` runs; in this thread by default (tests), a worker where the app or browser mode runs. */
  verifier?: CertificateVerifier;
}

export interface Engine {
  context: EngineContext;
  handlers: Handlers;
  /** Saves what is pending; call before the process ends. */
  shutdown(): Promise<void>;
}

export function createEngine(options: EngineOptions): Engine {
  const events = createEventHub();
  const log = createLogger(
    events,
    options.echo === undefined ? {} : { echo: options.echo },
  );
  const recent = new RecentPlans(options.recentFile);
  const vault = new SecretVault({
    env: options.env,
    ...(options.keychain !== undefined && { keychain: options.keychain }),
    ...(options.ask !== undefined && { ask: options.ask }),
  });
  const plans = new PlanStore({
    locations: options.locations,
    recent,
    templatePath: join(options.resourcesDir, TEMPLATE_FILE),
    log,
    onChange: (document) =>
      events.emit(
        "plan:changed",
        planDocumentView(document, options.locations.mode),
      ),
    // Secrets typed for one plan's identities are that plan's: another plan may use the same ids.
    onClose: () => vault.clearSession(),
    ...(options.autosaveDelayMs !== undefined && {
      autosaveDelayMs: options.autosaveDelayMs,
    }),
  });
  const runner = new Runner({
    plans,
    probes: options.probes ?? defaultProbes(),
    vault,
    events,
    log,
  });
  const context: EngineContext = {
    mode: options.mode,
    events,
    log,
    plans,
    locations: options.locations,
    recent,
    vault,
    runner,
    files: options.files ?? browserFiles,
    verifier: options.verifier ?? inProcessVerifier,
    practice: options.practice ?? null,
  };
  const practice = practiceHandlers(context);
  return {
    context,
    handlers: createHandlers(context, practice),
    shutdown: async () => {
      await runner.stop();
      await practice.stop();
      await plans.flush();
    },
  };
}

/** Browser mode and tests: plans in a workspace folder, the recent list beside them, secrets in memory. */
export function createWorkspaceEngine(options: {
  workspace: string;
  resourcesDir: string;
  env: NodeJS.ProcessEnv;
  echo?: (line: LogLine) => void;
  autosaveDelayMs?: number;
  probes?: FamilyProbes;
  /** The built practice plant process to fork; without it the practice plant is not offered. */
  practiceEntry?: string;
  /** The built verify worker (verify-worker.js); without it `report:verify` runs in this thread. */
  verifyEntry?: string;
  /** The port bases the practice plant tries, where not its own list. */
  practicePortBases?: readonly number[];
}): Engine & { prepared: Promise<WorkspaceMigration> } {
  const recentFile = join(options.workspace, ".cellcert-recent.json");
  const locations = workspaceLocations(options.workspace, {
    recent: new RecentPlans(recentFile),
  });
  // Opening the workspace moves a flat one into a folder per plan (DESIGN §11); every plan request waits for it.
  const prepared = locations.prepare();
  prepared.catch(() => undefined); // reported by whoever awaits it, and again by every plan request
  const engine = createEngine({
    mode: "browser",
    ...(options.practiceEntry !== undefined && {
      practice: {
        launcher: practiceLauncher(nodePracticeProcess(options.practiceEntry), {
          portBases: options.practicePortBases,
        }),
        dir: join(options.workspace, "practice"),
      },
    }),
    locations,
    recentFile,
    resourcesDir: options.resourcesDir,
    env: options.env,
    ...(options.echo !== undefined && { echo: options.echo }),
    ...(options.autosaveDelayMs !== undefined && {
      autosaveDelayMs: options.autosaveDelayMs,
    }),
    ...(options.probes !== undefined && { probes: options.probes }),
    ...(options.verifyEntry !== undefined && {
      verifier: workerVerifier(options.verifyEntry),
    }),
  });
  return { ...engine, prepared };
}
