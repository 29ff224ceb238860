// One target of a run: probed by its family unless Stop was pressed, the target is blocked, or every check waits
// on a failed prerequisite; a family that throws leaves its checks not-tested with the sentence why, and one that
// Stop interrupted leaves them not-tested ("stopped") with what its probe saw kept as evidence.
import type { RunTarget } from "../../../shared/run-plan";
import { notTested } from "../../../shared/verdicts/outcome";
import {
  applyPrerequisites,
  blockingPrerequisite,
  prerequisiteFailed,
  type EndpointDecisions,
} from "../../../shared/verdicts/prerequisites";
import { UserError } from "../errors";
import type {
  FamilyProbes,
  ProbeContext,
  ProbeOutput,
} from "../families/types";
import type { Logger } from "../log";

export interface TargetHooks {
  /** The families by kind: all of them in a run; `cellcert probe` loads only the one its command runs. */
  probes: Partial<FamilyProbes>;
  log: Pick<Logger, "error">;
  /** Each check of the target goes to running as its family starts. */
  running(checkId: string): void;
}

/**
 * Probes one target, unless Stop was pressed or every check waits on a failed prerequisite. `decided` is what the
 * endpoint's earlier targets decided; this target's outcomes, and what its probe found absent, are added to it.
 */
export async function probeTarget(
  target: RunTarget,
  context: ProbeContext,
  decided: EndpointDecisions,
  hooks: TargetHooks,
): Promise<ProbeOutput> {
  const blockedBy = (checkId: string): string | null =>
    blockingPrerequisite(checkId, {
      decided: (id) => decided.outcomes.get(id),
      absent: decided.absent,
    });
  const fixed = (
    reason: string,
    message: (checkId: string) => string,
  ): ProbeOutput => ({
    evidence: [],
    outcomes: target.checks.map((c) => notTested(c.id, reason, message(c.id))),
  });
  let output: ProbeOutput;
  if (context.signal.aborted) {
    output = fixed("stopped", () => "Stopped before this check was made.");
  } else if (target.blocked !== null) {
    output = fixed("not configured", () => target.blocked ?? "");
  } else if (target.checks.every((c) => blockedBy(c.id) !== null)) {
    output = {
      evidence: [],
      outcomes: target.checks.map((c) =>
        prerequisiteFailed(c.id, blockedBy(c.id) ?? ""),
      ),
    };
  } else {
    for (const check of target.checks) hooks.running(check.id);
    try {
      const family = hooks.probes[target.family];
      if (family === undefined)
        throw new Error(`No ${target.family} probe was loaded.`);
      output = await family(target, context);
      // Stop pressed while the probe ran: what it saw is kept, and nothing is judged from half a probe, whichever
      // family it was (a probe records the Stop in its evidence; this holds for the ones that only break off).
      if (isAborted(context.signal))
        output = {
          evidence: output.evidence,
          outcomes: fixed("stopped", stoppedWhileMade).outcomes,
        };
    } catch (error) {
      // Read the signal again: Stop may have been pressed while the probe ran.
      if (isAborted(context.signal))
        output = fixed("stopped", stoppedWhileMade);
      else {
        const message =
          error instanceof UserError
            ? error.message
            : `The ${target.family} probe failed: ${error instanceof Error ? error.message : String(error)}`;
        if (!(error instanceof UserError)) hooks.log.error(message);
        output = fixed("probe failed", () => message);
      }
    }
  }
  // DESIGN §2: one fault, one failing check, over what the earlier families decided on this endpoint. Checks
  // are in catalog order, so a prerequisite of the same target is decided before its dependents.
  for (const id of output.absent ?? []) decided.absent.add(id);
  const outcomes = applyPrerequisites(
    target.checks.map(
      (check) =>
        output.outcomes.find((o) => o.checkId === check.id) ??
        notTested(
          check.id,
          "not judged",
          `The ${target.family} probe gave no verdict for this check.`,
        ),
    ),
    { before: decided.outcomes, absent: decided.absent },
  );
  return { evidence: output.evidence, outcomes };
}

const stoppedWhileMade = (): string =>
  "Stopped while this check was being made.";

function isAborted(signal: AbortSignal): boolean {
  return signal.aborted;
}
