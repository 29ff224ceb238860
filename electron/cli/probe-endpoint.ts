// `cellcert probe …` on the families (DESIGN §6): the command's target becomes the one endpoint of a plan of its
// own, and the runner's own step for one target probes and judges it with the family a run uses — from this
// laptop, the default policy, the prerequisites applied by the one shared rule — so a command and a run cannot
// judge the same server differently. Only the command's family is loaded.
import { join } from "node:path";
import { Plan, PLAN_SCHEMA_VERSION } from "../../shared/model/plan";
import type { VantageId } from "../../shared/plant-words";
import type { ProbeFamily } from "../../shared/run-plan";
import { planRun } from "../../shared/run-plan";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import type { EvidenceDraft, FamilyProbe } from "../engine/families/types";
import { HostLimiter } from "../engine/net";
import { probeTarget } from "../engine/runner/target";
import { SecretVault } from "../engine/secrets/vault";
import type { CliIo } from "./io";

const MES = { id: "mes", kind: "mes", name: "MES" } as const;

/** Where each probed kind sits: its boundary, the cell across it, probed from the MES cell. */
const PLACES = {
  opcua: {
    name: "OPC UA server",
    boundary: "MES-PCS",
    cell: { id: "pcs", kind: "process-control", name: "Process control" },
  },
  mssql: {
    name: "SQL Server",
    boundary: "APP-DB",
    cell: { id: "database", kind: "database", name: "Database" },
  },
} as const;

/**
 * The command's server as the one endpoint of a plan of its own, on its kind's boundary and probed from the MES
 * vantage. `endpoint` holds the fields past id, name, boundary and cell (host, port, …), as a plan file has them.
 */
export function planOfOne(
  kind: keyof typeof PLACES,
  endpoint: Record<string, unknown>,
  credentials: readonly Record<string, unknown>[] = [],
): Plan {
  const { name, boundary, cell } = PLACES[kind];
  return Plan.parse({
    schemaVersion: PLAN_SCHEMA_VERSION,
    plant: { name: `cellcert probe ${kind}` },
    cells: [MES, cell],
    boundaries: [{ id: boundary, from: MES.id, to: cell.id }],
    endpoints: [{ id: kind, name, boundary, cell: cell.id, kind, ...endpoint }],
    vantages: [{ id: MES.id, cell: MES.id }],
    credentials,
  });
}

export interface FamilyResult {
  /** The target's outcomes, in catalog order. */
  checks: CheckOutcome[];
  /** The family's observation of the endpoint; null when the probe could not start. */
  evidence: EvidenceDraft | null;
}

/** Runs `family` on the plan's one target from `vantage`, as a run would. */
export async function probeWithFamily(
  kind: ProbeFamily,
  family: FamilyProbe,
  plan: Plan,
  vantage: VantageId,
  trust: { anchorsPem: string[]; crls: string[] },
  io: CliIo,
  /** Where the plan's env: secrets are read; the command's environment by default. */
  env: NodeJS.ProcessEnv = io.env,
): Promise<FamilyResult> {
  const target = planRun(plan, vantage).targets.find((t) => t.family === kind);
  if (target === undefined)
    throw new Error(`The plan made for this probe has no ${kind} target.`);
  const output = await probeTarget(
    target,
    {
      plan,
      anchorsPem: () => trust.anchorsPem,
      crls: () => trust.crls,
      localAddress: undefined,
      signal: new AbortController().signal,
      limiter: new HostLimiter(),
      vault: new SecretVault({ env }),
      // Identity files are read relative to the plan's folder: here, the folder the command runs in.
      planPath: join(io.cwd, "cellcert-probe.json"),
      now: () => new Date(),
    },
    new Map(),
    {
      probes: { [kind]: family },
      log: { error: (message: string) => io.stderr(message) },
      running: () => undefined,
    },
  );
  return { checks: output.outcomes, evidence: output.evidence[0] ?? null };
}
