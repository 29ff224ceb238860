// `cellcert probe …` on the families (DESIGN §6): the command's target becomes the one endpoint of a plan of its
// own, and the runner's own step for one target probes and judges it with the family a run uses — from this
// laptop, the default policy, the prerequisites applied by the one shared rule — so a command and a run cannot
// judge the same server differently. Only the command's families are loaded, and the plan is written as a typed
// value, not parsed: `probe tls` starts without the plan's schemas (zod).
import { join } from "node:path";
import {
  findCheck,
  TLS_PROFILE,
  type CheckDefinition,
} from "../../shared/catalog/catalog";
import type { Endpoint, Plan, SqlCredential } from "../../shared/model/plan";
import { endpointDefaults } from "../../shared/model/endpoint-defaults";
import { DEFAULT_POLICY } from "../../shared/model/policy-defaults";
import type { BoundaryId, CellKind, VantageId } from "../../shared/plant-words";
import type { ProbeFamily, RunTarget } from "../../shared/run-plan";
import { familyOf, planRun, runTargetOf } from "../../shared/run-plan";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import {
  endpointDecisions,
  PREREQUISITE_FAILED,
} from "../../shared/verdicts/prerequisites";
import type {
  EvidenceDraft,
  FamilyProbe,
  FamilyProbes,
} from "../engine/families/types";
import { HostLimiter } from "../engine/net";
import type { LoadedIdentity } from "../engine/protocols/tls/tls-client";
import { probeTarget } from "../engine/runner/target";
import { SecretVault } from "../engine/secrets/vault";
import type { CliIo } from "./io";

interface PlaceCell {
  id: string;
  kind: CellKind;
  name: string;
}
const CELLS = {
  enterprise: { id: "enterprise", kind: "enterprise", name: "Enterprise" },
  perimeter: { id: "perimeter", kind: "perimeter", name: "Perimeter" },
  mes: { id: "mes", kind: "mes", name: "MES" },
  pcs: { id: "pcs", kind: "process-control", name: "Process control" },
  database: { id: "database", kind: "database", name: "Database" },
  remote: { id: "remote", kind: "remote-site", name: "Remote site" },
} as const satisfies Record<string, PlaceCell>;

/**
 * Where each probed kind sits: its boundary, the vantage's cell and the cell across it. The boundary is one whose
 * catalog checks are the command's (the TLS server profile's ids follow the endpoint's boundary).
 */
const PLACES = {
  tls: {
    name: "TLS endpoint",
    boundary: "MES-PCS",
    vantage: "mes",
    from: CELLS.mes,
    to: CELLS.pcs,
  },
  "mtls-https": {
    name: "mTLS endpoint",
    boundary: "PER-MES",
    vantage: "perimeter",
    from: CELLS.perimeter,
    to: CELLS.mes,
  },
  https: {
    name: "HTTPS site",
    boundary: "IIS-BIND",
    vantage: "perimeter",
    from: CELLS.perimeter,
    to: CELLS.mes,
  },
  "http-plain": {
    name: "HTTP site",
    boundary: "ENT-PER",
    vantage: "enterprise",
    from: CELLS.enterprise,
    to: CELLS.perimeter,
  },
  tcp: {
    name: "TCP ports",
    boundary: "REMOTE",
    vantage: "remote-site",
    from: CELLS.remote,
    to: CELLS.mes,
  },
  opcua: {
    name: "OPC UA server",
    boundary: "MES-PCS",
    vantage: "mes",
    from: CELLS.mes,
    to: CELLS.pcs,
  },
  mssql: {
    name: "SQL Server",
    boundary: "APP-DB",
    vantage: "mes",
    from: CELLS.mes,
    to: CELLS.database,
  },
} as const satisfies Record<
  string,
  {
    name: string;
    boundary: BoundaryId;
    vantage: VantageId;
    from: PlaceCell;
    to: PlaceCell;
  }
>;
export type ProbedKind = keyof typeof PLACES;

/** The endpoint fields past id, name, boundary, cell and kind, as a plan file may give them (host at least). */
export type EndpointFields = Partial<
  Omit<Endpoint, "id" | "name" | "boundary" | "cell" | "kind">
> &
  Pick<Endpoint, "host">;

const cellOf = (cell: PlaceCell): Plan["cells"][number] => ({
  ...cell,
  networks: [],
  notes: "",
});

/**
 * The command's server as the one endpoint of a plan of its own, on its kind's boundary and probed from that
 * boundary's vantage, with the default policy — the plan a file with only these fields parses to.
 */
export function planOfOne(
  kind: ProbedKind,
  fields: EndpointFields,
  credentials: SqlCredential[] = [],
): Plan {
  const { name, boundary, vantage, from, to } = PLACES[kind];
  const endpoint: Endpoint = {
    id: kind,
    name,
    boundary,
    cell: to.id,
    kind,
    ...endpointDefaults(),
    ...fields,
  };
  return {
    schemaVersion: 3,
    practice: false,
    plant: {
      name: `cellcert probe ${kind}`,
      site: "",
      customer: "",
      orderNumber: "",
      notes: "",
    },
    cells: [cellOf(from), cellOf(to)],
    boundaries: [
      {
        id: boundary,
        from: from.id,
        to: to.id,
        inScope: true,
        outOfScopeReason: "",
        notes: "",
      },
    ],
    endpoints: [endpoint],
    vantages: [{ id: vantage, cell: from.id, notes: "" }],
    trustAnchors: [],
    crls: [],
    identities: [],
    credentials,
    policy: {
      ...DEFAULT_POLICY,
      allowedRedirectHosts: [...DEFAULT_POLICY.allowedRedirectHosts],
    },
    runs: [],
    waivers: [],
    attestations: [],
    signOff: {
      engineer: "",
      company: "",
      identityFingerprint: "",
      witnessName: "",
    },
    certificates: [],
    wizard: { position: "" },
  };
}

export interface ProbeTrust {
  anchorsPem: string[];
  crls: string[];
}

export interface ProbeSetting {
  trust: ProbeTrust;
  io: CliIo;
  /** Where the plan's env: secrets are read; the command's environment by default. */
  env?: NodeJS.ProcessEnv;
  /** The identity --client-p12 opened (or why not), presented in place of the plan's. */
  clientIdentity?: LoadedIdentity;
}

export interface FamilyResult {
  /** The outcomes, in the order the targets and their checks were given. */
  checks: CheckOutcome[];
  /** What each family observed, in target order (a family that could not start recorded none). */
  evidence: EvidenceDraft[];
  /** The one timing of every probe command: from the first target's start to the last one's end. */
  startedAt: string;
  durationMs: number;
}

/** Runs each target with its family, in order, as a run does for one endpoint (prerequisites across them). */
async function probeTargets(
  plan: Plan,
  targets: readonly RunTarget[],
  probes: Partial<FamilyProbes>,
  setting: ProbeSetting,
): Promise<FamilyResult> {
  const { io } = setting;
  const now = (): Date => new Date();
  const started = now();
  const context = {
    plan,
    anchorsPem: () => setting.trust.anchorsPem,
    crls: () => setting.trust.crls,
    localAddress: undefined,
    signal: new AbortController().signal,
    limiter: new HostLimiter(),
    vault: new SecretVault({ env: setting.env ?? io.env }),
    // Identity files are read relative to the plan's folder: here, the folder the command runs in.
    planPath: join(io.cwd, "cellcert-probe.json"),
    now,
    probedFrom: "this laptop",
    ...(setting.clientIdentity !== undefined && {
      clientIdentity: setting.clientIdentity,
    }),
  };
  const decided = endpointDecisions();
  const hooks = {
    probes,
    log: { error: (message: string) => io.stderr(message) },
    running: () => undefined,
  };
  const checks: CheckOutcome[] = [];
  const evidence: EvidenceDraft[] = [];
  for (const target of targets) {
    const output = await probeTarget(target, context, decided, hooks);
    checks.push(...output.outcomes);
    evidence.push(...output.evidence);
  }
  return {
    checks,
    evidence,
    startedAt: started.toISOString(),
    durationMs: now().getTime() - started.getTime(),
  };
}

/** Runs `family` on the plan's one target from its kind's vantage, as a run would; the checks keep catalog ids. */
export async function probeWithFamily(
  kind: ProbeFamily & ProbedKind,
  family: FamilyProbe,
  plan: Plan,
  setting: ProbeSetting,
): Promise<FamilyResult> {
  const target = planRun(plan, PLACES[kind].vantage).targets.find(
    (t) => t.family === kind,
  );
  if (target === undefined)
    throw new Error(`The plan made for this probe has no ${kind} target.`);
  return probeTargets(plan, [target], { [kind]: family }, setting);
}

/**
 * The probe-report/1 id of each check a command reports and the catalog check a run records for it, in report
 * order: the one mapping between the two (`tls.protocol` ↔ `MES-PCS.tls.protocol`, `tcp.open` ↔
 * `REMOTE.firewall.allowed`).
 */
export type ReportChecks = Readonly<Record<string, string>>;

/** Checks by their report ids, the ids the catalog gives them on the boundary where `kind`'s endpoint sits. */
export function checksOn(
  kind: ProbedKind,
  reportIds: readonly string[],
): ReportChecks {
  const { boundary } = PLACES[kind];
  return Object.fromEntries(reportIds.map((id) => [id, `${boundary}.${id}`]));
}

/** The TLS server profile's six checks by their report ids (tls.protocol, …), on `kind`'s boundary. */
export function tlsProfileOf(kind: ProbedKind): ReportChecks {
  return checksOn(
    kind,
    TLS_PROFILE.map(({ suffix }) => suffix),
  );
}

/**
 * Probes the plan's one endpoint for `checks` with the families the runner gives them (each family once, in the
 * order its first check comes), and reports the outcomes under their probe-report ids.
 */
export async function probeEndpoint(
  plan: Plan,
  checks: ReportChecks,
  probes: Partial<FamilyProbes>,
  setting: ProbeSetting,
): Promise<FamilyResult> {
  const endpoint = plan.endpoints[0];
  if (endpoint === undefined)
    throw new Error("The plan made for this probe has no endpoint.");
  const byFamily = new Map<ProbeFamily, CheckDefinition[]>();
  for (const catalogId of Object.values(checks)) {
    const check = findCheck(catalogId);
    const family = check === undefined ? null : familyOf(check);
    if (check === undefined || family === null)
      throw new Error(`${catalogId} is not a probed check of the catalog.`);
    byFamily.set(family, [...(byFamily.get(family) ?? []), check]);
  }
  const targets = [...byFamily].map(([family, definitions]) =>
    runTargetOf(endpoint, family, definitions, plan),
  );
  const result = await probeTargets(plan, targets, probes, setting);
  const reportIds = new Map(
    Object.entries(checks).map(([report, catalog]) => [catalog, report]),
  );
  const toReport = (id: string): string => reportIds.get(id) ?? id;
  return {
    ...result,
    checks: result.checks.map((outcome) => ({
      ...outcome,
      checkId: toReport(outcome.checkId),
      // The sentence of a failed prerequisite names the check it builds on: by its report id here too.
      message:
        outcome.reason === PREREQUISITE_FAILED
          ? outcome.message.replace(/\S+(?= failed on this endpoint)/, toReport)
          : outcome.message,
    })),
  };
}

/** The data of the evidence `probe` recorded (tls, mtls, https, http, tcp), or null when it recorded none. */
export function evidenceOf(result: FamilyResult, probe: string): unknown {
  return result.evidence.find((draft) => draft.probe === probe)?.data ?? null;
}
