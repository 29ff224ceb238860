// Handlers for the practice plant: start it (good or broken) in its own process and open its plan with the
// documented practice passphrase already entered; stop it; say whether it runs.
import type { Handlers } from "../../../shared/contract/schemas";
import { UserError } from "../errors";
import type { PlanLocations } from "../plan-store/locations";
import type { PlanStore } from "../plan-store/plan-store";
import type {
  PracticeLauncher,
  RunningPracticePlant,
} from "../practice/launcher";
import { PRACTICE_PASSPHRASE } from "../practice/protocol";
import type { SecretVault } from "../secrets/vault";
import { planDocumentView, secretsOf } from "./plan-handlers";

export interface PracticeServices {
  plans: PlanStore;
  locations: PlanLocations;
  vault: SecretVault;
  /** Null where the practice plant cannot run (its entry is not built). */
  practice: { launcher: PracticeLauncher; dir: string } | null;
}

export interface PracticeControl {
  handlers: Pick<
    Handlers,
    "practice:start" | "practice:stop" | "practice:status"
  >;
  /** Stops the plant, if it runs; call before the process ends. */
  stop(): Promise<void>;
  /** The running practice plant's TSA, for signing practice plans in this session; null when none runs. */
  timestampAuthority: () => string | null;
}

export function practiceHandlers({
  plans,
  locations,
  vault,
  practice,
}: PracticeServices): PracticeControl {
  let running: { plant: RunningPracticePlant; broken: boolean } | null = null;
  const stop = async (): Promise<void> => {
    const current = running;
    running = null;
    await current?.plant.stop();
  };
  const status = () =>
    practice === null
      ? null
      : {
          running: running !== null,
          broken: running?.broken ?? false,
          folder: practice.dir,
          passphraseHint: `Every practice identity and the practice SQL login use the passphrase "${PRACTICE_PASSPHRASE}".`,
        };
  return {
    stop,
    timestampAuthority: () => running?.plant.timestampAuthority ?? null,
    handlers: {
      "practice:start": async ({ broken }) => {
        if (practice === null) {
          throw new UserError(
            "unavailable",
            'The practice plant is not part of this build; run "npm run build" first.',
          );
        }
        await stop();
        const plant = await practice.launcher.start({
          dir: practice.dir,
          broken,
        });
        running = { plant, broken };
        const document = await plans.open({
          kind: "path",
          path: plant.planPath,
        });
        if (document === null)
          throw new UserError(
            "not-found",
            "The practice plan could not be opened.",
          );
        for (const { owner, ref } of secretsOf(document.plan))
          await vault.provide(owner, ref, PRACTICE_PASSPHRASE);
        return planDocumentView(document, locations.mode);
      },
      "practice:stop": async () => {
        await stop();
        return null;
      },
      "practice:status": () => Promise.resolve(status()),
    },
  };
}
