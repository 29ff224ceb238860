// Plan files of older schema versions, brought up to this one on open (the file itself is never rewritten
// on open). Version history:
//   1  the foundation's draft: policy.warnDays, endpoints[].sni and endpoints[].anchors, no vantages list,
//      runs without a sequence number.
//   2  policy.headroomDays, endpoints[].serverName and trustAnchorIds, explicit vantages, run sequence.
//   3  current. Trust material: crls (CRLs beside the trust anchors) and policy.requireRevocation, both with
//      defaults. What was measured: results[].endpointFingerprint, endpoints[].retired, waivers[].approvedBy and
//      expires, attestations[].contradictedByRun, certificates[].signerCaFile and pdfFile. The signature for years: policy.timestampAuthority, optional.
//      Re-audit (issue 20): previousCertificate, optional (no migration: older plans were not started from one).
import { findCheck } from "../catalog/catalog";
import { vantageIds } from "../plant-words";
import { endpointFingerprint } from "./endpoint-fingerprint";
import {
  Endpoint,
  Identity,
  PLAN_SCHEMA_VERSION,
  SqlCredential,
  TrustAnchor,
} from "./plan";

export type MigrationOutcome =
  | { ok: true; json: Record<string, unknown>; fromVersion: number }
  | { ok: false; pointer: string; reason: string };

type Json = Record<string, unknown>;
type Migration = (plan: Json) => Json;

/** MIGRATIONS[n] turns version n into version n + 1. */
const MIGRATIONS: Readonly<Record<number, Migration>> = {
  1: (plan) => {
    const policy = isObject(plan.policy) ? { ...plan.policy } : {};
    if ("warnDays" in policy) {
      policy.headroomDays = policy.warnDays;
      delete policy.warnDays;
    }
    const endpoints = Array.isArray(plan.endpoints)
      ? plan.endpoints.map((endpoint: unknown) => {
          if (!isObject(endpoint)) return endpoint;
          const { sni, anchors, ...rest } = endpoint;
          return {
            ...rest,
            ...(sni !== undefined && { serverName: sni }),
            ...(anchors !== undefined && { trustAnchorIds: anchors }),
          };
        })
      : plan.endpoints;
    const cells = Array.isArray(plan.cells) ? plan.cells.filter(isObject) : [];
    const vantages = cells.flatMap((cell) => {
      const id = cell.id;
      if (
        typeof id !== "string" ||
        !(vantageIds as readonly string[]).includes(id)
      )
        return [];
      const own = { id, cell: id, notes: "" };
      return id === "remote-site"
        ? [own, { id: "remote-site-no-vpn", cell: id, notes: "" }]
        : [own];
    });
    // Runs keep their place in the file; their sequence follows the time they started.
    const runs = Array.isArray(plan.runs) ? plan.runs.filter(isObject) : [];
    const byTime = [...runs].sort((a, b) =>
      String(a.startedAt).localeCompare(String(b.startedAt)),
    );
    const numbered = runs.map((run) => ({
      ...run,
      sequence: byTime.indexOf(run) + 1,
    }));
    return {
      ...plan,
      schemaVersion: 2,
      policy,
      endpoints,
      vantages,
      runs: numbered,
    };
  },
  2: migrateTo3,
};

/**
 * 2 → 3 (issue 15). A version 2 result recorded no fingerprint of what it measured: it gets the fingerprint of its
 * endpoint as the plan holds it at migration, the only reading the file allows (an endpoint edited after its run
 * and before the migration cannot be told apart). A waiver's approver is the person who signed it. An attestation
 * next to a failure measured later is kept and marked as contradicted by that run, as the engine marks it now.
 */
function migrateTo3(plan: Json): Json {
  const parsedList = <T>(
    value: unknown,
    schema: { safeParse(v: unknown): { success: boolean; data?: T } },
  ): T[] =>
    (Array.isArray(value) ? value : []).flatMap((item: unknown) => {
      const parsed = schema.safeParse(item);
      return parsed.success && parsed.data !== undefined ? [parsed.data] : [];
    });
  const context = {
    trustAnchors: parsedList(plan.trustAnchors, TrustAnchor),
    crls: [], // version 2 had no CRLs
    identities: parsedList(plan.identities, Identity),
    credentials: parsedList(plan.credentials, SqlCredential),
  };
  const fingerprints = new Map(
    parsedList(plan.endpoints, Endpoint).map((endpoint) => [
      endpoint.id,
      endpointFingerprint(context, endpoint),
    ]),
  );
  const runs = (Array.isArray(plan.runs) ? plan.runs : []).map(
    (run: unknown) => {
      if (!isObject(run) || !Array.isArray(run.results)) return run;
      return {
        ...run,
        results: run.results.map((result: unknown) => {
          if (!isObject(result) || "endpointFingerprint" in result)
            return result;
          const fingerprint = fingerprints.get(String(result.endpointId));
          return fingerprint === undefined
            ? result
            : { ...result, endpointFingerprint: fingerprint };
        }),
      };
    },
  );
  // The latest verdict per check and endpoint, by run sequence, as the roll-up reads it.
  const latest = new Map<string, { verdict: unknown; sequence: number }>();
  const bySequence = runs
    .filter(isObject)
    .sort((a, b) => Number(a.sequence) - Number(b.sequence));
  for (const run of bySequence) {
    for (const result of Array.isArray(run.results) ? run.results : []) {
      if (!isObject(result)) continue;
      latest.set(`${String(result.checkId)} ${String(result.endpointId)}`, {
        verdict: result.verdict,
        sequence: Number(run.sequence),
      });
    }
  }
  const waivers = Array.isArray(plan.waivers)
    ? plan.waivers.map((waiver: unknown) =>
        isObject(waiver) && !("approvedBy" in waiver)
          ? { ...waiver, approvedBy: waiver.name }
          : waiver,
      )
    : plan.waivers;
  const attestations = Array.isArray(plan.attestations)
    ? plan.attestations.map((attestation: unknown) => {
        if (!isObject(attestation)) return attestation;
        const measured = latest.get(
          `${String(attestation.checkId)} ${String(attestation.endpointId)}`,
        );
        const check = findCheck(String(attestation.checkId));
        return measured?.verdict === "fail" &&
          check !== undefined &&
          check.satisfiedBy !== "probe" &&
          Number.isInteger(measured.sequence) &&
          measured.sequence > 0
          ? { ...attestation, contradictedByRun: measured.sequence }
          : attestation;
      })
    : plan.attestations;
  return {
    ...plan,
    schemaVersion: 3,
    runs,
    waivers,
    attestations,
  };
}

export function migratePlanJson(json: unknown): MigrationOutcome {
  if (!isObject(json))
    return { ok: false, pointer: "", reason: "a plan is a JSON object" };
  const version = json.schemaVersion;
  if (
    typeof version !== "number" ||
    !Number.isInteger(version) ||
    version < 1
  ) {
    return {
      ok: false,
      pointer: "/schemaVersion",
      reason: "a plan needs a schemaVersion, a whole number from 1",
    };
  }
  if (version > PLAN_SCHEMA_VERSION) {
    return {
      ok: false,
      pointer: "/schemaVersion",
      reason: `the plan was written by a newer Cellcert (schema version ${version}); this Cellcert reads versions up to ${PLAN_SCHEMA_VERSION}. Update Cellcert to open it.`,
    };
  }
  let plan = json;
  for (let from = version; from < PLAN_SCHEMA_VERSION; from++) {
    const migrate = MIGRATIONS[from];
    if (migrate === undefined)
      return {
        ok: false,
        pointer: "/schemaVersion",
        reason: `no migration from version ${from}`,
      };
    plan = migrate(plan);
  }
  return { ok: true, json: plan, fromVersion: version };
}

function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
