// What the runner hands a probe family and what it gets back, and how a family records one observation.
import type { Endpoint, Plan } from "../../../shared/model/plan";
import type { ProbeFamily, RunTarget } from "../../../shared/run-plan";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import type { HostLimiter } from "../net";
import type { SecretVault } from "../secrets/vault";

/** One observation a probe made, before the runner gives it an id in the run. */
export interface EvidenceDraft {
  /** Which probe recorded it: tls, mtls, https, http, tcp, mssql, opcua. */
  probe: string;
  /** host:port as probed (IPv6 in brackets). */
  target: string;
  startedAt: string;
  durationMs: number;
  data: unknown;
  /** The checks this evidence supports; all of the target's checks when absent. */
  checkIds?: readonly string[];
  /** The laptop clock minus the server's: an HTTP answer's Date header, or an OPC UA answer's timestamp. */
  clockSkewMs?: number;
}

/** One observation timed from `started` to now (or `finished`), as a family hands it to the runner. */
export function evidenceDraft(
  probe: string,
  target: string,
  started: Date,
  data: unknown,
  extra: { finished?: Date; clockSkewMs?: number | undefined } = {},
): EvidenceDraft {
  const finished = extra.finished ?? new Date();
  return {
    probe,
    target,
    startedAt: started.toISOString(),
    durationMs: finished.getTime() - started.getTime(),
    data,
    ...(extra.clockSkewMs !== undefined && { clockSkewMs: extra.clockSkewMs }),
  };
}

export interface ProbeOutput {
  evidence: EvidenceDraft[];
  /** One outcome per check of the target; a missing one is recorded as not-tested. */
  outcomes: CheckOutcome[];
}

export interface ProbeContext {
  plan: Plan;
  /** The PEMs that anchor this endpoint's chains: its own choice of the plan's anchors, or all of them. */
  anchorsPem(endpoint: Endpoint): string[];
  /** The plan's CRLs (PEM), trust material for every endpoint: each is used only where its issuer is on a path. */
  crls(): string[];
  /** The vantage's source address, when the plan names one. */
  localAddress: string | undefined;
  /** Aborted by Stop: a probe stops at once and returns what it has. */
  signal: AbortSignal;
  /** The run's connection slots: 2 per host, 16 overall by default (DESIGN §5). */
  limiter: HostLimiter;
  vault: SecretVault;
  /** The plan's file: its identity files lie in its folder. */
  planPath: string;
  now(): Date;
}

export type FamilyProbe = (
  target: RunTarget,
  context: ProbeContext,
) => Promise<ProbeOutput>;
export type FamilyProbes = Readonly<Record<ProbeFamily, FamilyProbe>>;
