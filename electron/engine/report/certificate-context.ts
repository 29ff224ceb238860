// What every section of the certificate looks things up in: the options it was made with, the plan's runs,
// endpoints and cells by id, each evidence record's id on the certificate (R<run>-E<n>), and where each run
// probed from.
import {
  addressInNetwork,
  formatHostPort,
  parseCidr,
} from "../../../shared/model/net";
import type { Endpoint, Evidence, Plan, Run } from "../../../shared/model/plan";
import type {
  CheckAssessment,
  PlantAssessment,
} from "../../../shared/verdicts/rollup";
import type { IdentityInfo } from "../identity/engineer";
import type { ChangesSection } from "../reaudit/changes-since";
import { evidenceRefs, refKey } from "./evidence";
import { formatTime } from "./format";

/** Everything the certificate is made of, as one options object. */
export interface CertificateContent {
  plan: Plan;
  assessment: PlantAssessment;
  number: string;
  issuedAt: Date;
  nextAuditDate: string;
  toolVersion: string;
  signer: IdentityInfo;
  engineer: string;
  company: string;
  witnessName: string;
  evidence: Uint8Array;
  evidenceSha256: string;
  /** The TSA that will time-stamp the signature, named for sentences ("the time-stamping authority http://…"). */
  timeStampAuthorityName: string | null;
  /** What a verifier years later needs beside the CA certificates, for the /DSS (DER). */
  validationData: { certificates: Uint8Array[]; crls: Uint8Array[] };
  /** Bytes reserved in /Contents for the signature (and its time-stamp). */
  signatureRoom: number;
  /** "Changes since certificate <number>": for a plan started from a certificate, else null (issue 20). */
  changes: ChangesSection | null;
}

/** Where a run probed from, and whether that lies in the vantage's cell. */
export interface RunSource {
  /** The source address, or null when the system chose one. */
  address: string | null;
  inside: boolean;
  /** "inside Enterprise 127.0.1.0/24 ✔", or the run's warning. */
  text: string;
}

export class CertificateContext {
  readonly runs: Map<string, Run>;
  readonly endpoints: Map<string, Endpoint>;
  readonly cellNames: Map<string, string>;
  /** "runId\0evidenceId" → "R3-E2" */
  readonly refs: Map<string, string>;

  constructor(readonly content: CertificateContent) {
    this.runs = new Map(content.plan.runs.map((run) => [run.id, run]));
    this.endpoints = new Map(content.plan.endpoints.map((e) => [e.id, e]));
    this.cellNames = new Map(content.plan.cells.map((c) => [c.id, c.name]));
    this.refs = evidenceRefs(content.plan.runs);
  }

  get plan(): Plan {
    return this.content.plan;
  }

  get assessment(): PlantAssessment {
    return this.content.assessment;
  }

  get practice(): boolean {
    return this.content.plan.practice;
  }

  /** The checks of every boundary in scope, in catalog order. */
  get checks(): CheckAssessment[] {
    return this.assessment.boundaries
      .filter((b) => b.inScope)
      .flatMap((b) => b.checks);
  }

  cellName(id: string): string {
    return this.cellNames.get(id) ?? id;
  }

  /** "127.0.2.1:41443", the host alone without a port, "manual check" for manual endpoints. */
  address(endpoint: Endpoint): string {
    if (endpoint.kind === "manual") return "manual check";
    return endpoint.port === undefined
      ? endpoint.host
      : formatHostPort(endpoint.host, endpoint.port);
  }

  /** The address and, where it differs from the host, the server name. */
  target(endpoint: Endpoint): string {
    const name =
      endpoint.serverName !== "" && endpoint.serverName !== endpoint.host
        ? ` (${endpoint.serverName})`
        : "";
    return `${this.address(endpoint)}${name}`;
  }

  ref(runId: string, evidenceId: string): string {
    return this.refs.get(refKey(runId, evidenceId)) ?? evidenceId;
  }

  /** The certificate ids of the evidence behind a check's latest result. */
  refsOf(item: CheckAssessment): string[] {
    if (item.result === null || item.run === null) return [];
    const runId = item.run.id;
    return item.result.evidenceIds.map((id) => this.ref(runId, id));
  }

  /** The evidence records behind a check's latest result. */
  evidenceOf(item: CheckAssessment): { run: Run; evidence: Evidence }[] {
    if (item.result === null || item.run === null) return [];
    const run = this.runs.get(item.run.id);
    if (run === undefined) return [];
    return item.result.evidenceIds.flatMap((id) => {
      const evidence = run.evidence.find((e) => e.id === id);
      return evidence === undefined ? [] : [{ run, evidence }];
    });
  }

  /** Where the run probed from: its recorded source address (else the one its evidence names) and its cell. */
  source(run: Run): RunSource {
    const address = run.sourceAddress ?? sourceFromEvidence(run) ?? null;
    const vantage = this.plan.vantages.find((v) => v.id === run.vantage);
    const cell = this.plan.cells.find((c) => c.id === vantage?.cell);
    const network =
      address === null || cell === undefined
        ? undefined
        : cell.networks.find((cidr) => {
            const parsed = parseCidr(cidr);
            return parsed !== null && addressInNetwork(address, parsed);
          });
    if (
      run.vantageAddress.verdict === "pass" &&
      cell !== undefined &&
      network !== undefined
    )
      return {
        address,
        inside: true,
        text: `inside ${cell.name} ${network} ✔`,
      };
    if (run.vantageAddress.verdict === "pass")
      return {
        address,
        inside: true,
        text: `✔ ${run.vantageAddress.message}`,
      };
    return { address, inside: false, text: `▲ ${run.vantageAddress.message}` };
  }

  /** "run 2 (perimeter), 2026-12-01 17:44 UTC" */
  runLabel(run: Pick<Run, "sequence" | "vantage" | "startedAt">): string {
    return `run ${run.sequence} (${run.vantage}), ${formatTime(run.startedAt)}`;
  }
}

/** The local address the run's probes bound, as their evidence records it (runs made before it was recorded). */
function sourceFromEvidence(run: Run): string | undefined {
  for (const evidence of run.evidence) {
    const data = evidence.data as Record<string, unknown> | null;
    if (data === null || typeof data !== "object") continue;
    const target = data.target as Record<string, unknown> | undefined;
    const candidates = [data.localAddress, target?.localAddress];
    const found = candidates.find(
      (value): value is string => typeof value === "string" && value !== "",
    );
    if (found !== undefined) return found;
  }
  return undefined;
}
