// What changed between two audits of one plant, per endpoint and check (issue 20): verdicts better or worse;
// the server's certificate renewed, from a new issuer, with a new key, its expiry moved; TLS protocols and suites
// (and OPC UA security policies) gained or lost; ports opened or closed; endpoints added, removed, retired or
// moved; waivers added, dropped or expired. Pure: two AuditRecords in, the AuditChanges model out. Only verdicts
// are better or worse; every other fact is "changed" (its verdict says whether it matters). What one side cannot
// say is "not-comparable", with the reason.
// The parts: compare-checks.ts (verdicts, waivers), compare-observations.ts (certificate, protocols, suites,
// ports), compare-shared.ts (what they share); this file compares the plant, its boundaries and endpoints.
import { capitalized } from "../../../shared/wording";
import type {
  BoundaryVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import type {
  AuditChanges,
  Change,
  ChangeDirection,
} from "../../../shared/reaudit/changes";
import type { AuditRecord, RecordCheck, RecordEndpoint } from "./record";
import { compareChecks, compareWaivers } from "./compare-checks";
import { compareObservations } from "./compare-observations";
import { rankDirection, sideLabel, type Comparison } from "./compare-shared";

export { CHECK_VERDICT_RANK, sideLabel } from "./compare-shared";

const BOUNDARY_RANK: Readonly<Record<BoundaryVerdict, number>> = {
  pass: 4,
  warn: 3,
  incomplete: 2,
  fail: 1,
};
const PLANT_RANK: Readonly<Record<PlantVerdict, number>> = {
  commissioned: 3,
  "commissioned with waivers": 2,
  "not commissioned": 1,
};

export interface CompareOptions {
  /**
   * The new side is a plan still being re-audited (the overview): a check it has not measured yet is "pending",
   * not worse, and so is a boundary or plant verdict that is lower while checks are pending.
   */
  live?: boolean;
}

export function compareAudits(
  old: AuditRecord,
  next: AuditRecord,
  options: CompareOptions = {},
): AuditChanges {
  const live = options.live === true;
  const was = sideLabel(old);
  const now = sideLabel(next);
  const changes: Change[] = [];
  const row = (
    fields: Partial<Change> & Pick<Change, "kind" | "direction" | "message">,
  ): void => {
    changes.push({
      boundaryId: null,
      endpointId: null,
      checkId: null,
      vantage: null,
      was: null,
      now: null,
      ...fields,
    });
  };
  const pending = (check: RecordCheck | undefined): boolean =>
    live &&
    check !== undefined &&
    !check.measured &&
    check.verdict === "not-tested";
  const anyPending = next.checks.some((c) => pending(c));
  const comparison: Comparison = { old, next, was, now, live, row, pending };

  // ---- the plant and its boundaries ----
  if (old.side.plantVerdict !== next.side.plantVerdict) {
    const direction = rankDirection(
      PLANT_RANK[old.side.plantVerdict],
      PLANT_RANK[next.side.plantVerdict],
    );
    row({
      kind: "plant",
      direction: direction === "worse" && anyPending ? "pending" : direction,
      was: old.side.plantVerdict,
      now: next.side.plantVerdict,
      message: `The plant was ${old.side.plantVerdict} in ${was}; it is ${next.side.plantVerdict} in ${now}${direction === "worse" && anyPending ? ", with checks not probed again yet" : ""}.`,
    });
  }
  for (const boundary of next.boundaries) {
    const before = old.boundaries.find((b) => b.id === boundary.id);
    if (before === undefined || before.verdict === boundary.verdict) continue;
    const describe = (v: BoundaryVerdict | null): string => v ?? "out of scope";
    let direction: ChangeDirection =
      before.verdict === null || boundary.verdict === null
        ? "changed"
        : rankDirection(
            BOUNDARY_RANK[before.verdict],
            BOUNDARY_RANK[boundary.verdict],
          );
    if (
      direction === "worse" &&
      next.checks.some((c) => c.boundaryId === boundary.id && pending(c))
    )
      direction = "pending";
    row({
      kind: "boundary",
      direction,
      boundaryId: boundary.id,
      was: describe(before.verdict),
      now: describe(boundary.verdict),
      message: `${boundary.id} was ${describe(before.verdict)}; it is ${describe(boundary.verdict)} now.`,
    });
  }

  // ---- per endpoint ----
  const endpointIds = [
    ...new Set([
      ...old.endpoints.map((e) => e.id),
      ...next.endpoints.map((e) => e.id),
    ]),
  ];
  for (const endpointId of endpointIds) {
    const before = old.endpoints.find((e) => e.id === endpointId);
    const after = next.endpoints.find((e) => e.id === endpointId);
    const at = { endpointId, boundaryId: (after ?? before)?.boundary ?? null };
    const name = (after ?? before)?.name ?? endpointId;
    const gone = before !== undefined && !before.retired;
    if (before === undefined || before.retired) {
      if (after !== undefined && !after.retired)
        row({
          ...at,
          kind: "endpoint",
          direction: "changed",
          now: where(after),
          message: `"${name}" (${where(after)}) is new in ${now}.`,
        });
      continue;
    }
    if (after === undefined || after.retired) {
      if (gone)
        row({
          ...at,
          kind: "endpoint",
          direction: "changed",
          was: where(before),
          now: after === undefined ? null : "retired",
          message:
            after === undefined
              ? `"${name}" (${where(before)}) is no longer in ${now}: its checks are not judged any more.`
              : `"${name}" (${where(before)}) is retired in ${now}: its checks are not judged any more.`,
        });
      continue;
    }
    const moved = endpointChanges(before, after);
    if (moved.length > 0)
      row({
        ...at,
        kind: "endpoint",
        direction: "changed",
        was: where(before),
        now: where(after),
        message: `"${name}" changed: ${moved.join("; ")}.`,
      });
    compareChecks(comparison, endpointId, at.boundaryId);
    compareObservations(
      comparison,
      endpointId,
      at.boundaryId,
      old.observations.get(endpointId),
      next.observations.get(endpointId),
    );
    compareWaivers(comparison, endpointId, at.boundaryId);
  }

  const notes = [
    ...(old.side.rulesetVersion !== next.side.rulesetVersion
      ? [
          `${capitalized(was)} was judged by ruleset ${old.side.rulesetVersion} and ${now} by ${next.side.rulesetVersion}: checks are compared by id, and a verdict may have changed with the rules rather than the plant.`,
        ]
      : []),
    ...(old.side.plantName !== next.side.plantName ||
    old.side.site !== next.side.site
      ? [
          `${capitalized(was)} is of "${old.side.plantName}"${old.side.site === "" ? "" : ` (${old.side.site})`} and ${now} of "${next.side.plantName}"${next.side.site === "" ? "" : ` (${next.side.site})`}: they are compared endpoint by endpoint all the same.`,
        ]
      : []),
    ...(old.side.practice !== next.side.practice
      ? [
          `Only ${old.side.practice ? was : now} was made with the practice plant (PRACTICE).`,
        ]
      : []),
    ...(old.side.evidenceSchema !== null &&
    next.side.evidenceSchema !== null &&
    old.side.evidenceSchema !== next.side.evidenceSchema
      ? [
          `${capitalized(was)}'s evidence is ${old.side.evidenceSchema} and ${now}'s ${next.side.evidenceSchema}: each was read by its own version.`,
        ]
      : []),
    ...(old.side.issuedAt !== null &&
    next.side.issuedAt !== null &&
    old.side.issuedAt > next.side.issuedAt
      ? [
          `${capitalized(was)} was issued after ${now}: "before" and "now" follow the order the certificates were given in.`,
        ]
      : []),
    ...old.unreadable.map((text) => `In ${was}: ${text}`),
    ...next.unreadable.map((text) => `In ${now}: ${text}`),
  ];
  const counts = {
    worse: changes.filter((c) => c.direction === "worse").length,
    better: changes.filter((c) => c.direction === "better").length,
    changed: changes.filter((c) => c.direction === "changed").length,
    notComparable: changes.filter((c) => c.direction === "not-comparable")
      .length,
    pending: changes.filter((c) => c.direction === "pending").length,
  };
  return {
    old: old.side,
    new: next.side,
    notes,
    changes,
    counts,
    worse: counts.worse > 0,
  };
}

function where(endpoint: RecordEndpoint): string {
  if (endpoint.kind === "manual") return "manual";
  const host = endpoint.host.includes(":")
    ? `[${endpoint.host}]`
    : endpoint.host;
  return `${endpoint.kind} ${endpoint.port === null ? host : `${host}:${endpoint.port}`}`;
}

function endpointChanges(a: RecordEndpoint, b: RecordEndpoint): string[] {
  const list = (ports: readonly number[]): string =>
    ports.length === 0 ? "none" : [...ports].sort((x, y) => x - y).join(", ");
  const changed: string[] = [];
  if (a.kind !== b.kind) changed.push(`kind ${b.kind} (was ${a.kind})`);
  if (a.host !== b.host || a.port !== b.port)
    changed.push(`now ${where(b)} (was ${where(a)})`);
  if (a.serverName !== b.serverName)
    changed.push(
      `server name ${b.serverName || "none"} (was ${a.serverName || "none"})`,
    );
  if ([...a.paths].sort().join(" ") !== [...b.paths].sort().join(" "))
    changed.push(`paths ${b.paths.join(", ")} (were ${a.paths.join(", ")})`);
  if (list(a.allowedPorts) !== list(b.allowedPorts))
    changed.push(
      `allowed ports ${list(b.allowedPorts)} (were ${list(a.allowedPorts)})`,
    );
  if (list(a.deniedPorts) !== list(b.deniedPorts))
    changed.push(
      `denied ports ${list(b.deniedPorts)} (were ${list(a.deniedPorts)})`,
    );
  return changed;
}
