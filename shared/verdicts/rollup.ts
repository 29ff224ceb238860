// The roll-up of DESIGN §2 as pure functions: check → boundary → plant.
// The same functions give the UI its colours, the CLI its summary and the certificate its stamp.
import {
  BOUNDARIES,
  CHECKS,
  type BoundaryDefinition,
  type CheckDefinition,
} from "../catalog/catalog";
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
}

/**
 * A check's verdict once waivers and attestations are applied. A pass or warning stands on its own (a waiver
 * then was not needed). An attestation satisfies an attestable check that was not measured to fail; a measured
 * failure is never attested away, only waived.
 */
export function effectiveVerdict({
  satisfiedBy,
  measured,
  waived,
  attested,
}: EffectiveVerdictInput): CheckVerdict {
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
  /** The latest measured result and the run it came from, if any. */
  result: CheckResult | null;
  run: Pick<Run, "id" | "sequence" | "vantage" | "startedAt"> | null;
  waiver: Waiver | null;
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
}

export interface PlantAssessment {
  verdict: PlantVerdict;
  boundaries: BoundaryAssessment[];
  counts: Record<CheckVerdict, number>;
  /** What keeps the plant from `commissioned`: failing and untested mandatory checks, and gaps. */
  blockers: Blocker[];
  waiversNeeded: boolean;
}

export interface Blocker {
  boundaryId: BoundaryDefinition["id"];
  checkId: string | null;
  endpointId: string | null;
  verdict: CheckVerdict | "incomplete";
  message: string;
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

/** The endpoints a check is made on in this plan. */
export function endpointsForCheck(
  plan: Plan,
  check: CheckDefinition,
): Endpoint[] {
  if (check.targets === "protected-cells") {
    const protectedCells = new Set(
      plan.cells
        .filter((cell) => PROTECTED_CELL_KINDS.includes(cell.kind))
        .map((cell) => cell.id),
    );
    return plan.endpoints.filter(
      (e) => protectedCells.has(e.cell) && check.appliesTo.includes(e.kind),
    );
  }
  return plan.endpoints.filter(
    (e) => e.boundary === check.boundary && check.appliesTo.includes(e.kind),
  );
}

export function assessPlan(
  plan: Plan,
  checks: readonly CheckDefinition[] = CHECKS,
): PlantAssessment {
  const latest = latestResults(plan.runs);
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
        const waiver = waivers.get(key) ?? null;
        const attestation = attestations.get(key) ?? null;
        const verdict = effectiveVerdict({
          satisfiedBy: check.satisfiedBy,
          measured: measured?.result.verdict,
          waived: waiver !== null,
          attested: attestation !== null,
        });
        assessed.push({
          check,
          endpoint,
          verdict,
          result: measured?.result ?? null,
          run: measured === undefined ? null : measured.run,
          waiver,
          attestation,
          summary: summarize(
            verdict,
            check,
            measured?.result,
            waiver,
            attestation,
          ),
        });
      }
    }
    const ownEndpoints = plan.endpoints.filter(
      (e) => e.boundary === definition.id,
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
      };

    for (const item of assessed) {
      counts[item.verdict] += 1;
      if (item.verdict === "waived") waiversNeeded = true;
      if (
        item.check.severity === "mandatory" &&
        (item.verdict === "fail" || item.verdict === "not-tested")
      ) {
        blockers.push({
          boundaryId: definition.id,
          checkId: item.check.id,
          endpointId: item.endpoint.id,
          verdict: item.verdict,
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

function summarize(
  verdict: CheckVerdict,
  check: CheckDefinition,
  result: CheckResult | undefined,
  waiver: Waiver | null,
  attestation: Attestation | null,
): string {
  if (verdict === "waived" && waiver !== null)
    return `Waived by ${waiver.name}: ${waiver.justification}`;
  if (verdict === "attested" && attestation !== null)
    return `Attested by ${attestation.name}: ${attestation.statement}`;
  if (result !== undefined) return result.message;
  return check.satisfiedBy === "attest"
    ? "Not attested yet: the engineer attests this check."
    : `Not tested yet: run the ${check.vantage} vantage.`;
}
