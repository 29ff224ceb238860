// Plans for renderer tests: the reference plant's shape (seven cells, eight boundaries, five vantages) with
// real-looking endpoints, runs with results and evidence, and the document views the engine would send.
import type {
  PlanDocumentView,
  RunProgress,
} from "../../../shared/contract/schemas";
import { endpointFingerprint } from "../../../shared/model/endpoint-fingerprint";
import { planWarnings } from "../../../shared/model/plan-warnings";
import {
  Plan,
  type CheckResult,
  type Endpoint,
  type Evidence,
  type PlanInput,
} from "../../../shared/model/plan";
import type {
  BoundaryId,
  MeasuredVerdict,
  VantageId,
} from "../../../shared/plant-words";

const CELLS = [
  ["enterprise", "Enterprise", "10.1.0.0/24"],
  ["perimeter", "Perimeter", "10.2.0.0/24"],
  ["mes", "MES", "10.3.0.0/24"],
  ["process-control", "Process and Control", "10.4.0.0/24"],
  ["database", "Database", "10.5.0.0/24"],
  ["external", "External systems", "10.6.0.0/24"],
  ["remote-site", "Remote site", "10.7.0.0/24"],
] as const;

const BOUNDARIES: [BoundaryId, string, string][] = [
  ["ENT-PER", "enterprise", "perimeter"],
  ["PER-MES", "perimeter", "mes"],
  ["IIS-BIND", "perimeter", "mes"],
  ["MES-PCS", "mes", "process-control"],
  ["MES-CELL", "mes", "mes"],
  ["APP-DB", "mes", "database"],
  ["APP-EXT", "mes", "external"],
  ["REMOTE", "remote-site", "mes"],
];

export function endpoint(
  fields: Partial<Endpoint> &
    Pick<Endpoint, "id" | "boundary" | "cell" | "kind">,
): PlanInput["endpoints"][number] {
  return { name: fields.id, host: "10.0.0.1", port: 443, ...fields };
}

export const TEST_ENDPOINTS = [
  endpoint({
    id: "perimeter-web",
    name: "Perimeter HTTPS",
    boundary: "ENT-PER",
    cell: "perimeter",
    kind: "https",
    host: "perimeter.plant.test",
  }),
  endpoint({
    id: "mes-gateway",
    name: "MES gateway",
    boundary: "PER-MES",
    cell: "mes",
    kind: "mtls-https",
    host: "mes.plant.test",
  }),
  endpoint({
    id: "mes-site",
    name: "MES site",
    boundary: "IIS-BIND",
    cell: "mes",
    kind: "https",
    host: "mes.plant.test",
    paths: ["/", "/Opcenter"],
  }),
  endpoint({
    id: "pcs-link",
    name: "Process link",
    boundary: "MES-PCS",
    cell: "process-control",
    kind: "manual",
    host: "",
    guideline: "Vendor guide §4",
  }),
  endpoint({
    id: "mes-cell",
    name: "MES cell composition",
    boundary: "MES-CELL",
    cell: "mes",
    kind: "manual",
    host: "",
  }),
  endpoint({
    id: "sql-server",
    name: "SQL Server",
    boundary: "APP-DB",
    cell: "database",
    kind: "mssql",
    host: "sql.plant.test",
    port: 1433,
  }),
  endpoint({
    id: "external-system",
    name: "External system",
    boundary: "APP-EXT",
    cell: "external",
    kind: "tls",
    host: "ext.plant.test",
  }),
  endpoint({
    id: "remote-firewall",
    name: "Remote firewall",
    boundary: "REMOTE",
    cell: "mes",
    kind: "tcp",
    host: "mes.plant.test",
    allowedPorts: [443],
    deniedPorts: [1433],
  }),
];

export function testPlan(overrides: Partial<PlanInput> = {}): Plan {
  return Plan.parse({
    schemaVersion: 3,
    plant: { name: "Test Plant" },
    cells: CELLS.map(([id, name, network]) => ({
      id,
      kind: id,
      name,
      networks: [network],
    })),
    boundaries: BOUNDARIES.map(([id, from, to]) => ({ id, from, to })),
    vantages: (
      [
        "enterprise",
        "perimeter",
        "mes",
        "remote-site",
        "remote-site-no-vpn",
      ] as const
    ).map((id) => ({
      id,
      cell: id === "remote-site-no-vpn" ? "remote-site" : id,
    })),
    endpoints: TEST_ENDPOINTS,
    ...overrides,
  });
}

let runCounter = 0;

/** A plan with one more run from `vantage` holding these results (each with one piece of evidence). */
export function withRun(
  plan: Plan,
  vantage: VantageId,
  results: [
    checkId: string,
    endpointId: string,
    verdict: MeasuredVerdict,
    message?: string,
  ][],
  evidenceData: unknown = { note: "test evidence" },
): Plan {
  runCounter += 1;
  const runId = `run-${runCounter}`;
  const time = "2026-11-25T10:00:00.000Z";
  const evidence: Evidence[] = results.map(([, endpointId], index) => ({
    id: `ev-${runCounter}-${index}`,
    endpointId,
    probe: "tls",
    target: `${endpointId}:443`,
    startedAt: time,
    durationMs: 12,
    data: evidenceData as Evidence["data"],
  }));
  const checkResults: CheckResult[] = results.map(
    ([checkId, endpointId, verdict, message], index) => ({
      checkId,
      endpointId,
      runId,
      verdict,
      measured: verdict === "pass" ? "TLS 1.2, TLS 1.3" : "TLS 1.0, TLS 1.2",
      threshold: "TLS 1.2 or newer only",
      headroom: "",
      message: message ?? `${checkId} ${verdict}`,
      reason: "",
      evidenceIds: [`ev-${runCounter}-${index}`],
      finishedAt: time,
      endpointFingerprint: fingerprintOf(plan, endpointId),
    }),
  );
  return Plan.parse({
    ...plan,
    runs: [
      ...plan.runs,
      {
        id: runId,
        sequence: plan.runs.length + 1,
        vantage,
        scope: { kind: "vantage" },
        startedAt: time,
        finishedAt: time,
        status: "completed",
        laptop: { hostName: "laptop", addresses: [] },
        vantageAddress: {
          verdict: "pass",
          message: "10.2.0.9 lies in the Perimeter cell.",
        },
        toolVersion: "1.2.3",
        rulesetVersion: "cells-2021",
        results: checkResults,
        evidence,
      },
    ],
  });
}

/** What a result measured: the endpoint as the plan holds it, so a test's results are current. */
function fingerprintOf(plan: Plan, endpointId: string): string {
  const endpoint = plan.endpoints.find((e) => e.id === endpointId);
  if (endpoint === undefined)
    throw new Error(`The test plan has no endpoint ${endpointId}.`);
  return endpointFingerprint(plan, endpoint);
}

export function documentView(
  plan: Plan,
  revision = 1,
  changes: Partial<PlanDocumentView> = {},
): PlanDocumentView {
  return {
    label: "test-plant.cellcert.json",
    location: "test-plant.cellcert.json",
    plan,
    revision,
    dirty: false,
    savedAt: "2026-11-25T10:00:00.000Z",
    saveError: null,
    migratedFrom: null,
    // As the engine sends them with every document.
    warnings: planWarnings(plan),
    ...changes,
  };
}

export function progress(
  vantage: VantageId,
  items: RunProgress["items"],
  changes: Partial<RunProgress> = {},
): RunProgress {
  return {
    runId: "run-live",
    vantage,
    status: "running",
    done: items.filter((i) => i.state !== "queued" && i.state !== "running")
      .length,
    total: items.length,
    items,
    message: "",
    ...changes,
  };
}
