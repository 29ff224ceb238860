// The family contract: what the runner (and `cellcert probe`) hands a family, what it gets back, and how a
// family records one observation.
import type { Endpoint, Plan } from "../../../shared/model/plan";
import type { ProbeFamily, RunTarget } from "../../../shared/run-plan";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import type { HostLimiter, ProbeOptions } from "../net";
import type { LoadedIdentity } from "../protocols/tls/tls-client";
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

/** One observation timed from `started` to `finished`, both read from the run's clock (ProbeContext.now). */
export function evidenceDraft(
  probe: string,
  target: string,
  started: Date,
  data: unknown,
  extra: { finished: Date; clockSkewMs?: number | undefined },
): EvidenceDraft {
  const { finished } = extra;
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
  /**
   * The failed checks whose subject is not there at all (`tls.protocol` of an endpoint that does not speak TLS):
   * the endpoint's later checks with them as presence prerequisites are not judged (shared/verdicts).
   */
  absent?: readonly string[];
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
  /**
   * The client identity to present, already opened, in place of the plan's: `cellcert probe mtls|https
   * --client-p12` reads its file (or the sentence why not) before anything is sent. Absent in a run.
   */
  clientIdentity?: LoadedIdentity;
  /**
   * Where the probe stands, for the sentences that say so: absent in a run (the vantage's cell, as the catalog's
   * check implies), "this laptop" for a one-off `cellcert probe`.
   */
  probedFrom?: string;
}

/** The probe contract's options (net/ProbeOptions) from the run: the same for every family. */
export function probeOptionsOf(
  context: ProbeContext,
): ProbeOptions & { limiter: HostLimiter } {
  return {
    timeoutMs: context.plan.policy.timeoutMs,
    localAddress: context.localAddress,
    signal: context.signal,
    limiter: context.limiter,
    now: () => context.now(),
  };
}

export type FamilyProbe = (
  target: RunTarget,
  context: ProbeContext,
) => Promise<ProbeOutput>;
export type FamilyProbes = Readonly<Record<ProbeFamily, FamilyProbe>>;
