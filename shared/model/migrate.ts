// Plan files of older schema versions, brought up to this one on open (the file itself is never rewritten
// on open). Version history:
//   1  the foundation's draft: policy.warnDays, endpoints[].sni and endpoints[].anchors, no vantages list,
//      runs without a sequence number.
//   2  policy.headroomDays, endpoints[].serverName and trustAnchorIds, explicit vantages, run sequence.
//   3  current. The signature for years (issue 19): policy.timestampAuthority, optional — a version 2 plan only
//      changes its number. (Other v3 additions join this step.)
import { vantageIds } from "../plant-words";
import { PLAN_SCHEMA_VERSION } from "./plan";

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
  // ---- 2 → 3 ----
  2: (plan) => ({
    ...plan,
    schemaVersion: 3,
    // The signature for years: no time-stamping authority unless the plan names one.
  }),
};

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
