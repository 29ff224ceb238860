// DESIGN §2, one fault, one failing check: a check whose prerequisite (declared in the catalog) failed is
// not-tested with that reason, not failed again. The one rule and the one wording, for the rules, the runner and
// `cellcert probe` alike.
import { prerequisitesOf } from "../catalog/catalog";
import { notTested, type CheckOutcome } from "./outcome";

/** The reason of every check left not-tested by a failed prerequisite. */
export const PREREQUISITE_FAILED = "prerequisite failed";

/** The failed check a prerequisite-failed outcome names (its sentence is written here, below, and only here). */
const NAMES_FAILED = /^Not judged: (\S+) failed on this endpoint/;

/** The outcome of a check not judged because `prerequisite` failed on the same endpoint. */
export function prerequisiteFailed(
  checkId: string,
  prerequisite: string,
): CheckOutcome {
  return notTested(
    checkId,
    PREREQUISITE_FAILED,
    `Not judged: ${prerequisite} failed on this endpoint, and this check builds on it.`,
  );
}

/**
 * What one endpoint has decided so far in a run (or a `cellcert probe`), family after family: each check's outcome,
 * and the failed checks whose subject is not there at all (PrerequisiteContext.absent).
 */
export interface EndpointDecisions {
  outcomes: Map<string, CheckOutcome>;
  absent: Set<string>;
}

export function endpointDecisions(): EndpointDecisions {
  return { outcomes: new Map(), absent: new Set() };
}

export interface PrerequisiteContext {
  /** What is decided already on this endpoint (earlier checks of the run, in catalog order). */
  decided(checkId: string): CheckOutcome | undefined;
  /**
   * The checks that failed because what they look at is not there at all (the endpoint does not speak TLS or
   * OPC UA, the chain could not be read): they also keep their `presencePrerequisites` dependents from being
   * judged. A measured failure (TLS 1.0 accepted) does not.
   */
  absent?: ReadonlySet<string>;
}

/**
 * The failed check that keeps `checkId` from being judged, or null. A prerequisite that was itself not judged
 * for a failed prerequisite passes that one on, so the sentence always names the check that failed.
 */
export function blockingPrerequisite(
  checkId: string,
  context: PrerequisiteContext,
): string | null {
  const check = prerequisitesOf(checkId);
  const root = (id: string, failed: boolean): string | null => {
    const before = context.decided(id);
    if (before === undefined) return null;
    if (before.verdict === "fail") return failed ? id : null;
    if (before.reason === PREREQUISITE_FAILED)
      return NAMES_FAILED.exec(before.message)?.[1] ?? id;
    return null;
  };
  for (const id of check.prerequisites) {
    const failed = root(id, true);
    if (failed !== null) return failed;
  }
  for (const id of check.presencePrerequisites) {
    const failed = root(id, context.absent?.has(id) === true);
    if (failed !== null) return failed;
  }
  return null;
}

/**
 * The outcomes of one endpoint's checks (in catalog order, so a prerequisite is decided before the checks that
 * build on it) with every check whose prerequisite failed made not-tested, naming it.
 */
export function applyPrerequisites(
  outcomes: readonly CheckOutcome[],
  options: {
    /** Outcomes decided before on this endpoint (the runner's earlier families); updated as this goes. */
    before?: Map<string, CheckOutcome>;
    absent?: Iterable<string>;
  } = {},
): CheckOutcome[] {
  const decided = options.before ?? new Map<string, CheckOutcome>();
  const context: PrerequisiteContext = {
    decided: (id) => decided.get(id),
    absent: new Set(options.absent ?? []),
  };
  return outcomes.map((own) => {
    // Applied once already (by the rule that knew what was absent): kept as it is.
    const blocker =
      own.reason === PREREQUISITE_FAILED
        ? null
        : blockingPrerequisite(own.checkId, context);
    const outcome =
      blocker === null ? own : prerequisiteFailed(own.checkId, blocker);
    decided.set(own.checkId, outcome);
    return outcome;
  });
}
