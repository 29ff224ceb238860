// What changed between two audits of one plant, per endpoint and check (issue 20): verdicts better or worse;
// the server's certificate renewed, from a new issuer, with a new key, its expiry moved; TLS protocols and suites
// (and OPC UA security policies) gained or lost; ports opened or closed; endpoints added, removed, retired or
// moved; waivers added, dropped or expired. Pure: two AuditRecords in, the AuditChanges model out. Only verdicts
// are better or worse; every other fact is "changed" (its verdict says whether it matters). What one side cannot
// say is "not-comparable", with the reason.
import { CHECKS } from "../../../shared/catalog/catalog";
import {
  TLS_PROTOCOL_LABELS,
  type TlsProtocol,
} from "../../../shared/catalog/thresholds";
import type {
  BoundaryVerdict,
  CheckVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import type {
  AuditChanges,
  Change,
  ChangeDirection,
} from "../../../shared/reaudit/changes";
import type {
  AuditRecord,
  CertificateSummary,
  EndpointObservations,
  RecordCheck,
  RecordEndpoint,
} from "./record";

/** Higher is better. An attested check stands as a pass; a waived failure above not-tested, below a warning. */
export const CHECK_VERDICT_RANK: Readonly<Record<CheckVerdict, number>> = {
  pass: 5,
  attested: 5,
  warn: 4,
  waived: 3,
  "not-tested": 2,
  fail: 1,
};
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

/** The words a side is named by in sentences: "certificate PLANT-20260302-1", "this re-audit". */
export function sideLabel(record: AuditRecord): string {
  return record.side.certificateNumber === null
    ? "this re-audit"
    : `certificate ${record.side.certificateNumber}`;
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
    compareChecks(endpointId, at.boundaryId);
    compareObservations(
      endpointId,
      at.boundaryId,
      old.observations.get(endpointId),
      next.observations.get(endpointId),
    );
    compareWaivers(endpointId, at.boundaryId);
  }

  const notes = [
    ...(old.side.rulesetVersion !== next.side.rulesetVersion
      ? [
          `${cap(was)} was judged by ruleset ${old.side.rulesetVersion} and ${now} by ${next.side.rulesetVersion}: checks are compared by id, and a verdict may have changed with the rules rather than the plant.`,
        ]
      : []),
    ...(old.side.plantName !== next.side.plantName ||
    old.side.site !== next.side.site
      ? [
          `${cap(was)} is of "${old.side.plantName}"${old.side.site === "" ? "" : ` (${old.side.site})`} and ${now} of "${next.side.plantName}"${next.side.site === "" ? "" : ` (${next.side.site})`}: they are compared endpoint by endpoint all the same.`,
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
          `${cap(was)}'s evidence is ${old.side.evidenceSchema} and ${now}'s ${next.side.evidenceSchema}: each was read by its own version.`,
        ]
      : []),
    ...(old.side.issuedAt !== null &&
    next.side.issuedAt !== null &&
    old.side.issuedAt > next.side.issuedAt
      ? [
          `${cap(was)} was issued after ${now}: "before" and "now" follow the order the certificates were given in.`,
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

  function compareChecks(endpointId: string, boundaryId: string | null): void {
    const ids = [
      ...new Set([
        ...old.checks
          .filter((c) => c.endpointId === endpointId)
          .map((c) => c.checkId),
        ...next.checks
          .filter((c) => c.endpointId === endpointId)
          .map((c) => c.checkId),
      ]),
    ].sort((a, b) => catalogOrder(a) - catalogOrder(b));
    for (const checkId of ids) {
      const before = old.checks.find(
        (c) => c.checkId === checkId && c.endpointId === endpointId,
      );
      const after = next.checks.find(
        (c) => c.checkId === checkId && c.endpointId === endpointId,
      );
      const at = { endpointId, boundaryId, checkId };
      if (before === undefined && after !== undefined) {
        row({
          ...at,
          kind: "verdict",
          direction: "not-comparable",
          now: after.verdict,
          message: `Judged only in ${now} (${after.verdict}): ${after.summary}`,
        });
        continue;
      }
      if (before === undefined) continue;
      if (after === undefined) {
        row({
          ...at,
          kind: "verdict",
          direction: "not-comparable",
          was: before.verdict,
          message: `Judged ${before.verdict} in ${was}; not judged in ${now} (the rules or the endpoint's kind changed).`,
        });
        continue;
      }
      if (pending(after)) {
        const attest = before.verdict === "attested";
        row({
          ...at,
          kind: "verdict",
          direction: "pending",
          was: before.verdict,
          now: attest ? "to attest again" : "not probed again yet",
          message: attest
            ? `Attested in ${was}: each audit attests anew, attest it again.`
            : `${cap(before.verdict)} in ${was}; not probed again yet.`,
        });
        continue;
      }
      if (before.verdict === after.verdict) continue;
      const direction = rankDirection(
        CHECK_VERDICT_RANK[before.verdict],
        CHECK_VERDICT_RANK[after.verdict],
      );
      row({
        ...at,
        kind: "verdict",
        direction,
        was: before.verdict,
        now: after.verdict,
        message: `${cap(before.verdict)} in ${was}, ${after.verdict} now: ${after.summary}`,
      });
    }
  }

  function compareObservations(
    endpointId: string,
    boundaryId: string | null,
    before: EndpointObservations | undefined,
    after: EndpointObservations | undefined,
  ): void {
    if (before === undefined || after === undefined) return;
    const at = { endpointId, boundaryId };
    // The server's own certificate.
    const a = before.certificate?.leaf;
    const b = after.certificate?.leaf;
    if (
      a !== undefined &&
      b !== undefined &&
      a.fingerprintSha256 !== b.fingerprintSha256
    )
      row({
        ...at,
        kind: "certificate",
        direction: "changed",
        was: certificateText(a),
        now: certificateText(b),
        message: `The server's certificate changed: ${certificateChanges(a, b).join(", ")}.`,
      });
    // TLS protocols, then the suites of each protocol accepted on both sides.
    if (before.protocols !== null && after.protocols !== null) {
      for (const [protocol, accepted] of after.protocols) {
        if (!before.protocols.has(protocol)) continue;
        const earlier = before.protocols.get(protocol) ?? null;
        if (earlier === accepted) continue;
        const label = protocolLabel(protocol);
        const said = (v: boolean | null): string =>
          v === null ? "could not tell" : v ? "accepted" : "refused";
        row({
          ...at,
          kind: "protocol",
          direction:
            earlier === null || accepted === null
              ? "not-comparable"
              : "changed",
          was: `${label} ${said(earlier)}`,
          now: `${label} ${said(accepted)}`,
          message:
            earlier === null || accepted === null
              ? `Whether the server accepts ${label} could not be told in ${earlier === null ? was : now}.`
              : accepted
                ? `${label} gained: the server accepts it now, and refused it in ${was}.`
                : `${label} lost: the server refuses it now, and accepted it in ${was}.`,
        });
      }
    }
    if (before.suites !== null && after.suites !== null) {
      for (const [protocol, suites] of after.suites) {
        const earlier = before.suites.get(protocol);
        if (earlier === undefined) continue;
        const label = protocolLabel(protocol);
        if (!earlier.complete || !suites.complete) {
          row({
            ...at,
            kind: "suite",
            direction: "not-comparable",
            message: `The ${label} suites are not compared: their enumeration stopped early in ${!earlier.complete ? was : now}.`,
          });
          continue;
        }
        setRows(at, `${label} suites`, earlier.suites, suites.suites);
      }
    }
    if (before.opcuaOffers !== null && after.opcuaOffers !== null)
      setRows(
        at,
        "OPC UA security policies",
        before.opcuaOffers,
        after.opcuaOffers,
      );
    // Ports, per vantage.
    for (const [key, port] of after.ports) {
      const earlier = before.ports.get(key);
      if (earlier === undefined || earlier.state === port.state) continue;
      const comparable =
        earlier.state !== "unknown" && port.state !== "unknown";
      row({
        ...at,
        kind: "port",
        direction: comparable ? "changed" : "not-comparable",
        vantage: port.vantage,
        was: `${port.port} ${earlier.state}`,
        now: `${port.port} ${port.state}`,
        message: comparable
          ? `Port ${port.port}, seen from the ${port.vantage} vantage, is ${port.state === "open" ? "opened" : "closed"} now (${earlier.state} in ${was}).`
          : `Port ${port.port}, seen from the ${port.vantage} vantage, could not be told open or closed in ${earlier.state === "unknown" ? was : now}.`,
      });
    }
  }

  function setRows(
    at: { endpointId: string; boundaryId: string | null },
    what: string,
    before: ReadonlySet<string>,
    after: ReadonlySet<string>,
  ): void {
    const gained = [...after].filter((s) => !before.has(s)).sort();
    const lost = [...before].filter((s) => !after.has(s)).sort();
    if (gained.length > 0)
      row({
        ...at,
        kind: "suite",
        direction: "changed",
        now: gained.join(", "),
        message: `${what} gained: ${gained.join(", ")}.`,
      });
    if (lost.length > 0)
      row({
        ...at,
        kind: "suite",
        direction: "changed",
        was: lost.join(", "),
        message: `${what} lost: ${lost.join(", ")}.`,
      });
  }

  function compareWaivers(endpointId: string, boundaryId: string | null): void {
    const keys = [
      ...new Set(
        [...old.waivers, ...next.waivers]
          .filter((w) => w.endpointId === endpointId)
          .map((w) => w.checkId),
      ),
    ].sort((a, b) => catalogOrder(a) - catalogOrder(b));
    for (const checkId of keys) {
      const before = old.waivers.find(
        (w) => w.checkId === checkId && w.endpointId === endpointId,
      );
      const after = next.waivers.find(
        (w) => w.checkId === checkId && w.endpointId === endpointId,
      );
      const at = { endpointId, boundaryId, checkId, kind: "waiver" as const };
      const until = (expires: string | null): string =>
        expires === null ? "with no end" : `until ${expires}`;
      if (before === undefined && after !== undefined)
        row({
          ...at,
          direction: "changed",
          now: `approved by ${after.approvedBy}, ${until(after.expires)}`,
          message: `A waiver was added in ${now}, approved by ${after.approvedBy}, ${until(after.expires)}${after.expired ? ", and it had expired" : ""}.`,
        });
      else if (before !== undefined && after === undefined)
        row({
          ...at,
          direction: "changed",
          was: `approved by ${before.approvedBy}, ${until(before.expires)}`,
          message: live
            ? `The waiver of ${was} is not carried over: waive it again only if it is still needed.`
            : `The waiver of ${was} is not in ${now}.`,
        });
      else if (
        before !== undefined &&
        after !== undefined &&
        after.expired &&
        !before.expired
      )
        row({
          ...at,
          direction: "changed",
          was: `waived ${until(before.expires)}`,
          now: `expired on ${after.expires ?? ""}`,
          message: `The waiver approved by ${after.approvedBy} expired on ${after.expires ?? ""}: it waives nothing in ${now}.`,
        });
    }
  }
}

function rankDirection(before: number, after: number): ChangeDirection {
  return after > before ? "better" : after < before ? "worse" : "changed";
}

function catalogOrder(checkId: string): number {
  const index = CHECKS.findIndex((c) => c.id === checkId);
  return index === -1 ? CHECKS.length : index;
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

function certificateText(certificate: CertificateSummary): string {
  return `${certificate.subject}, issued by ${certificate.issuer}, expires ${certificate.notAfter.slice(0, 10)}`;
}

/** renewed / new subject, new issuer, new key or same key, expiry moved. */
function certificateChanges(
  a: CertificateSummary,
  b: CertificateSummary,
): string[] {
  const parts: string[] = [];
  if (a.subject === b.subject) parts.push("renewed");
  else parts.push(`new subject ${b.subject} (was ${a.subject})`);
  if (a.issuer !== b.issuer)
    parts.push(`new issuer ${b.issuer} (was ${a.issuer})`);
  if (a.keySha256 === null || b.keySha256 === null)
    parts.push("whether the key changed could not be told");
  else parts.push(a.keySha256 === b.keySha256 ? "same key" : "new key");
  const from = a.notAfter.slice(0, 10);
  const to = b.notAfter.slice(0, 10);
  if (from !== to)
    parts.push(
      `expiry moved ${to > from ? "later" : "earlier"}, from ${from} to ${to}`,
    );
  return parts;
}

function protocolLabel(protocol: string): string {
  return protocol in TLS_PROTOCOL_LABELS
    ? TLS_PROTOCOL_LABELS[protocol as TlsProtocol]
    : protocol;
}

function cap(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
