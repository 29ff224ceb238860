// The roll-up of DESIGN §2 as pure functions: check → boundary → plant.
// The same functions give the UI its colours, the CLI its summary and the certificate its stamp.
import {
  BOUNDARIES,
  CHECKS,
  type BoundaryDefinition,
  type CheckDefinition,
} from "../catalog/catalog";
import { endpointFingerprint } from "../model/endpoint-fingerprint";
import type {
  Attestation,
  CheckResult,
  Endpoint,
  Plan,
  Run,
  Waiver,
} from "../model/plan";
import {
  checkVerdicts,
  type BoundaryVerdict,
  type CellKind,
  type CheckVerdict,
  type MeasuredVerdict,
  type PlantVerdict,
  type Severity,
} from "../plant-words";

/** Cells whose endpoints must not be reachable from the enterprise cell (ENT-PER.segmentation). */
export const PROTECTED_CELL_KINDS: readonly CellKind[] = [
  "mes",
  "database",
  "process-control",
];

// ---- check level ----------------------------------------------------------------------------------------

export interface EffectiveVerdictInput {
  satisfiedBy: CheckDefinition["satisfiedBy"];
  /** The latest measured verdict; undefined when the check never ran. */
  measured: MeasuredVerdict | undefined;
  waived: boolean;
  attested: boolean;
  /** The latest result measured an endpoint that has changed since (DESIGN §1). */
  outOfDate?: boolean;
}

/**
 * A check's verdict once waivers and attestations are applied. A pass or warning stands on its own (a waiver
 * then was not needed). An attestation satisfies an attestable check that was not measured to fail; a measured
 * failure is never attested away, only waived. An out-of-date result is not-tested until the endpoint is probed
 * again: no waiver or attestation made for what was measured before carries over to the changed endpoint.
 */
export function effectiveVerdict({
  satisfiedBy,
  measured,
  waived,
  attested,
  outOfDate = false,
}: EffectiveVerdictInput): CheckVerdict {
  if (outOfDate) return "not-tested";
  const verdict = measured ?? "not-tested";
  if (verdict === "pass" || verdict === "warn") return verdict;
  if (attested && satisfiedBy !== "probe" && verdict === "not-tested")
    return "attested";
  if (waived) return "waived";
  return verdict;
}

// ---- boundary level ---------------------------------------------------------------------------------------

export interface JudgedCheck {
  severity: Severity;
  verdict: CheckVerdict;
}

/**
 * DESIGN §2, boundary row: fail if a mandatory check fails (not waived); else incomplete if a mandatory check is
 * not-tested (not waived); else warn if any check warns or a recommended check fails or is not-tested; else pass.
 */
export function boundaryVerdict(
  checks: readonly JudgedCheck[],
): BoundaryVerdict {
  const mandatory = checks.filter((c) => c.severity === "mandatory");
  if (mandatory.some((c) => c.verdict === "fail")) return "fail";
  if (mandatory.some((c) => c.verdict === "not-tested")) return "incomplete";
  const recommendedMissed = checks.some(
    (c) =>
      c.severity === "recommended" &&
      (c.verdict === "fail" || c.verdict === "not-tested"),
  );
  if (recommendedMissed || checks.some((c) => c.verdict === "warn"))
    return "warn";
  return "pass";
}

// ---- plant level ------------------------------------------------------------------------------------------

/**
 * DESIGN §2, plant row: commissioned if every boundary is pass or warn and nothing is waived; commissioned with
 * waivers if waivers were needed for that; otherwise not commissioned. A plant with no boundary in scope has
 * nothing to commission.
 */
export function plantVerdict(
  boundaries: readonly BoundaryVerdict[],
  waiversNeeded: boolean,
): PlantVerdict {
  if (boundaries.length === 0) return "not commissioned";
  if (!boundaries.every((b) => b === "pass" || b === "warn"))
    return "not commissioned";
  return waiversNeeded ? "commissioned with waivers" : "commissioned";
}

// ---- a whole plan -----------------------------------------------------------------------------------------

export interface CheckAssessment {
  check: CheckDefinition;
  endpoint: Endpoint;
  verdict: CheckVerdict;
  /** The latest measured result and the run it came from, if any (also when it is out of date). */
  result: CheckResult | null;
  run: Pick<Run, "id" | "sequence" | "vantage" | "startedAt"> | null;
  /**
   * Set when the latest result measured the endpoint as it was before a change (DESIGN §1 "out of date"): the
   * sequence of the run that measured it. Such a check is not-tested until the endpoint is probed again.
   */
  outOfDate: { afterRun: number } | null;
  /** The plan's waiver for this check and endpoint, also when it has expired (see `waiverExpired`). */
  waiver: Waiver | null;
  /** The waiver's expiry date has passed: it no longer waives anything. */
  waiverExpired: boolean;
  /** The plan's attestation, also when a later measurement contradicted it (`contradictedByRun`). */
  attestation: Attestation | null;
  /** One line: the result's message, or why nothing was measured. */
  summary: string;
}

export interface BoundaryAssessment {
  boundary: BoundaryDefinition;
  inScope: boolean;
  outOfScopeReason: string;
  /** Null when out of scope. */
  verdict: BoundaryVerdict | null;
  checks: CheckAssessment[];
  /** Why the boundary is incomplete even before its checks are judged (e.g. no endpoint configured). */
  gaps: string[];
  /** The boundary's retired endpoints: kept with their results in the runs, judged no more. */
  retired: Endpoint[];
}

export interface PlantAssessment {
  verdict: PlantVerdict;
  boundaries: BoundaryAssessment[];
  /** Every check of the boundaries in scope, by verdict; out-of-date results count as not-tested. */
  counts: Record<CheckVerdict, number>;
  /**
   * Every failing and not-tested check counted in `counts` (mandatory ones keep the plant from `commissioned`,
   * recommended ones are listed with their severity and only make a boundary warn), and the gaps.
   */
  blockers: Blocker[];
  waiversNeeded: boolean;
}

export interface Blocker {
  boundaryId: BoundaryDefinition["id"];
  checkId: string | null;
  endpointId: string | null;
  verdict: CheckVerdict | "incomplete";
  /** A gap is mandatory: the boundary cannot pass with it. */
  severity: Severity;
  /** The check is not-tested because its latest result is out of date (the message says after which run). */
  outOfDate: boolean;
  message: string;
}

/** The words of DESIGN §1 for a result of an endpoint that has changed since. */
export function outOfDateMessage(afterRun: number): string {
  return `Out of date: the endpoint changed after run ${afterRun}; probe it again.`;
}

const pairKey = (checkId: string, endpointId: string): string =>
  `${checkId}\u0000${endpointId}`;

/** The latest measured result per (check, endpoint): from the run with the highest sequence that has one. */
export function latestResults(
  runs: readonly Run[],
): Map<string, { result: CheckResult; run: Run }> {
  const latest = new Map<string, { result: CheckResult; run: Run }>();
  const ordered = [...runs].sort((a, b) => a.sequence - b.sequence);
  for (const run of ordered) {
    for (const result of run.results)
      latest.set(pairKey(result.checkId, result.endpointId), { result, run });
  }
  return latest;
}

/**
 * The latest result of one check on one endpoint and whether it still describes the endpoint as the plan holds
 * it now; null when never measured. What the roll-up, the attestation rule and the UI read alike.
 */
export function currentResult(
  plan: Plan,
  checkId: string,
  endpointId: string,
  latest = latestResults(plan.runs),
): { result: CheckResult; run: Run; outOfDate: boolean } | null {
  const found = latest.get(pairKey(checkId, endpointId));
  const endpoint = plan.endpoints.find((e) => e.id === endpointId);
  if (found === undefined || endpoint === undefined) return null;
  return {
    ...found,
    outOfDate:
      found.result.endpointFingerprint !== endpointFingerprint(plan, endpoint),
  };
}

/** A waiver waives through its expiry date (inclusive, the laptop's calendar day); none means no end. */
export function waiverExpired(waiver: Waiver, now: Date): boolean {
  return waiver.expires !== undefined && waiver.expires < calendarDay(now);
}

/** YYYY-MM-DD of the laptop's own calendar, as waivers and attestations are dated. */
export function calendarDay(now: Date): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/**
 * The endpoints a check is made on in this plan: never a retired one. Segmentation (ENT-PER.segmentation) is
 * made on the endpoints of the protected cells whose own boundary is in scope: an out-of-scope boundary's
 * endpoints (its template placeholders included) are nobody's target.
 */
export function endpointsForCheck(
  plan: Plan,
  check: CheckDefinition,
): Endpoint[] {
  const live = plan.endpoints.filter(
    (e) => e.retired !== true && check.appliesTo.includes(e.kind),
  );
  if (check.targets === "protected-cells") {
    const protectedCells = new Set(
      plan.cells
        .filter((cell) => PROTECTED_CELL_KINDS.includes(cell.kind))
        .map((cell) => cell.id),
    );
    const inScope = new Set(
      plan.boundaries.filter((b) => b.inScope).map((b) => b.id),
    );
    return live.filter(
      (e) => protectedCells.has(e.cell) && inScope.has(e.boundary),
    );
  }
  return live.filter((e) => e.boundary === check.boundary);
}

export interface AssessOptions {
  /** Decides which waivers have expired; the laptop clock by default. */
  now?: Date;
  checks?: readonly CheckDefinition[];
}

export function assessPlan(
  plan: Plan,
  options: AssessOptions = {},
): PlantAssessment {
  const checks = options.checks ?? CHECKS;
  const now = options.now ?? new Date();
  const latest = latestResults(plan.runs);
  const fingerprints = new Map<string, string>();
  const fingerprintOf = (endpoint: Endpoint): string => {
    let known = fingerprints.get(endpoint.id);
    if (known === undefined) {
      known = endpointFingerprint(plan, endpoint);
      fingerprints.set(endpoint.id, known);
    }
    return known;
  };
  const waivers = new Map(
    plan.waivers.map((w) => [pairKey(w.checkId, w.endpointId), w]),
  );
  const attestations = new Map(
    plan.attestations.map((a) => [pairKey(a.checkId, a.endpointId), a]),
  );
  const counts = Object.fromEntries(checkVerdicts.map((v) => [v, 0])) as Record<
    CheckVerdict,
    number
  >;
  const blockers: Blocker[] = [];
  let waiversNeeded = false;

  const boundaries = BOUNDARIES.map((definition): BoundaryAssessment => {
    const planned = plan.boundaries.find((b) => b.id === definition.id);
    const inScope = planned?.inScope ?? false;
    const outOfScopeReason =
      planned === undefined
        ? "The plan does not include this boundary."
        : planned.inScope
          ? ""
          : planned.outOfScopeReason;
    const assessed: CheckAssessment[] = [];
    for (const check of checks.filter((c) => c.boundary === definition.id)) {
      for (const endpoint of endpointsForCheck(plan, check)) {
        const key = pairKey(check.id, endpoint.id);
        const measured = latest.get(key);
        const outOfDate =
          measured !== undefined &&
          measured.result.endpointFingerprint !== fingerprintOf(endpoint)
            ? { afterRun: measured.run.sequence }
            : null;
        const waiver = waivers.get(key) ?? null;
        const expired = waiver !== null && waiverExpired(waiver, now);
        const attestation = attestations.get(key) ?? null;
        const verdict = effectiveVerdict({
          satisfiedBy: check.satisfiedBy,
          measured: measured?.result.verdict,
          waived: waiver !== null && !expired,
          attested:
            attestation !== null && attestation.contradictedByRun === undefined,
          outOfDate: outOfDate !== null,
        });
        assessed.push({
          check,
          endpoint,
          verdict,
          result: measured?.result ?? null,
          run: measured === undefined ? null : measured.run,
          outOfDate,
          waiver,
          waiverExpired: expired,
          attestation,
          summary: summarize({
            verdict,
            check,
            result: measured?.result,
            outOfDate,
            waiver,
            expired,
            attestation,
          }),
        });
      }
    }
    const ownEndpoints = plan.endpoints.filter(
      (e) => e.boundary === definition.id && e.retired !== true,
    );
    const retired = plan.endpoints.filter(
      (e) => e.boundary === definition.id && e.retired === true,
    );
    // Every endpoint of the boundary must be judged by one of its own checks; one that none applies to
    // would otherwise leave the boundary passing on what was never looked at.
    const unjudged = ownEndpoints.filter(
      (e) =>
        !checks.some(
          (c) =>
            c.boundary === definition.id &&
            c.targets === "own" &&
            c.appliesTo.includes(e.kind),
        ),
    );
    const gaps =
      ownEndpoints.length === 0
        ? [`No endpoint is configured for ${definition.id}.`]
        : unjudged.map(
            (e) =>
              `No check of ${definition.id} judges "${e.name}", a ${e.kind} endpoint.`,
          );
    if (!inScope)
      return {
        boundary: definition,
        inScope,
        outOfScopeReason,
        verdict: null,
        checks: assessed,
        gaps,
        retired,
      };

    for (const item of assessed) {
      counts[item.verdict] += 1;
      if (item.verdict === "waived") waiversNeeded = true;
      if (item.verdict === "fail" || item.verdict === "not-tested") {
        blockers.push({
          boundaryId: definition.id,
          checkId: item.check.id,
          endpointId: item.endpoint.id,
          verdict: item.verdict,
          severity: item.check.severity,
          outOfDate: item.outOfDate !== null,
          message: item.summary,
        });
      }
    }
    for (const gap of gaps) {
      blockers.push({
        boundaryId: definition.id,
        checkId: null,
        endpointId: null,
        verdict: "incomplete",
        severity: "mandatory",
        outOfDate: false,
        message: gap,
      });
    }
    const judged = boundaryVerdict(
      assessed.map((a) => ({ severity: a.check.severity, verdict: a.verdict })),
    );
    const verdict =
      gaps.length > 0 && judged !== "fail" ? "incomplete" : judged;
    return {
      boundary: definition,
      inScope,
      outOfScopeReason,
      verdict,
      checks: assessed,
      gaps,
      retired,
    };
  });

  const inScope = boundaries.flatMap((b) =>
    b.verdict === null ? [] : [b.verdict],
  );
  return {
    verdict: plantVerdict(inScope, waiversNeeded),
    boundaries,
    counts,
    blockers,
    waiversNeeded,
  };
}

/**
 * How a boundary reads where one word stands for it (topology, summary rows): a boundary that passes or warns
 * only because a failure or an untested check was waived reads WAIVED, never pass.
 */
export function shownBoundaryVerdict(
  boundary: Pick<BoundaryAssessment, "verdict" | "checks">,
): BoundaryVerdict | "waived" | "out-of-scope" {
  if (boundary.verdict === null) return "out-of-scope";
  if (
    (boundary.verdict === "pass" || boundary.verdict === "warn") &&
    boundary.checks.some((c) => c.verdict === "waived")
  )
    return "waived";
  return boundary.verdict;
}

function summarize({
  verdict,
  check,
  result,
  outOfDate,
  waiver,
  expired,
  attestation,
}: {
  verdict: CheckVerdict;
  check: CheckDefinition;
  result: CheckResult | undefined;
  outOfDate: { afterRun: number } | null;
  waiver: Waiver | null;
  expired: boolean;
  attestation: Attestation | null;
}): string {
  if (outOfDate !== null) return outOfDateMessage(outOfDate.afterRun);
  if (verdict === "waived" && waiver !== null)
    return `Waived by ${waiver.name}, approved by ${waiver.approvedBy}${waiver.expires === undefined ? "" : ` until ${waiver.expires}`}: ${waiver.justification}`;
  if (verdict === "attested" && attestation !== null)
    return `Attested by ${attestation.name}: ${attestation.statement}`;
  const measured =
    result?.message ??
    (check.satisfiedBy === "attest"
      ? "Not attested yet: the engineer attests this check."
      : `Not tested yet: run the ${check.vantage} vantage.`);
  if (
    expired &&
    waiver !== null &&
    (verdict === "fail" || verdict === "not-tested")
  )
    return `The waiver by ${waiver.name} expired on ${waiver.expires ?? ""}: ${measured}`;
  return measured;
}
