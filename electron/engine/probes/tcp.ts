// The tcp family: one connection attempt per port, opened and closed at once, within the host's slots.
// It serves ENT-PER.segmentation, REMOTE.firewall.allowed/.denied and REMOTE.vpn.
import {
  TCP_EVIDENCE_SCHEMA,
  type PortObservation,
  type TcpEvidence,
} from "../../../shared/evidence/web";
import { formatHostPort } from "../../../shared/model/net";
import type { Endpoint } from "../../../shared/model/plan";
import { tcpPorts, type RunTarget } from "../../../shared/run-plan";
import { notTested, type CheckOutcome } from "../../../shared/verdicts/outcome";
import type { Socket } from "node:net";
import {
  closeSocket,
  ConnectError,
  connectResolved,
  resolveTarget,
  type ConnectOptions,
  type HostLimiter,
  type HostLookup,
  type ResolvedAddress,
  type TcpTarget,
} from "../net";
import {
  judgeMustBeClosed,
  judgeMustBeOpen,
  REASONS,
} from "../rules/reachability";
import { evidenceDraft, type FamilyProbe } from "../runner/types";

export interface TcpProbeOptions {
  timeoutMs: number;
  localAddress?: string | undefined;
  signal?: AbortSignal;
  limiter: HostLimiter;
  /** Name resolution; tests inject one to make DNS fail without the network. */
  lookup?: HostLookup;
}

/**
 * Probes the ports of one host, at most the limiter's share at a time. The name is resolved once and the
 * slots are keyed by the address, as every other probe keys them, so two names of one machine share its slots.
 */
export async function probePorts(
  host: string,
  ports: readonly number[],
  options: TcpProbeOptions,
): Promise<TcpEvidence> {
  const connectOptions = {
    timeoutMs: options.timeoutMs,
    localAddress: options.localAddress,
    signal: options.signal,
  };
  const evidence = (observations: PortObservation[]): TcpEvidence => ({
    schema: TCP_EVIDENCE_SCHEMA,
    host,
    localAddress: options.localAddress ?? null,
    ports: observations,
  });
  const started = performance.now();
  let resolved: ResolvedAddress;
  try {
    resolved = await resolveTarget(
      { host, port: ports[0] ?? 0 },
      {
        ...connectOptions,
        ...(options.lookup !== undefined && { lookup: options.lookup }),
      },
    );
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    const durationMs = Math.round(performance.now() - started);
    return evidence(
      ports.map((port) => ({
        port,
        state: error.state,
        address: "",
        code: error.code,
        durationMs,
        message: error.message,
      })),
    );
  }
  return evidence(
    await Promise.all(
      ports.map((port) =>
        options.limiter.run(
          resolved.address,
          () => probePort({ host, port }, resolved, connectOptions),
          options.signal,
        ),
      ),
    ),
  );
}

/**
 * How long an open connection is held before it counts as open: a filtering device that completes the
 * handshake and resets at once (some firewalls and proxies do; the practice plant's firewall does) is not the
 * service answering.
 */
export const SETTLE_MS = 150;

async function probePort(
  target: TcpTarget,
  resolved: ResolvedAddress,
  options: Omit<ConnectOptions, "lookup">,
): Promise<PortObservation> {
  const started = performance.now();
  const observation = (
    state: PortObservation["state"],
    code: string,
    message: string,
  ): PortObservation => ({
    port: target.port,
    state,
    address: resolved.address,
    code,
    durationMs: Math.round(performance.now() - started),
    message,
  });
  const where = formatHostPort(target.host, target.port);
  try {
    const socket = await connectResolved(target, resolved, options);
    const reset = await resetWithin(socket, SETTLE_MS);
    await closeSocket(socket);
    return reset
      ? observation(
          "reset",
          "ECONNRESET",
          `${where} completed the handshake and reset the connection at once: a filtering device answered, not the service.`,
        )
      : observation("open", "", `${where} accepts connections.`);
  } catch (error) {
    if (!(error instanceof ConnectError)) throw error;
    return observation(error.state, error.code, error.message);
  }
}

/**
 * Whether the peer resets the connection (RST, not an orderly close) within `ms` without sending anything.
 * A service that answers or closes normally is open; a reset right after the handshake is a filtering device.
 */
function resetWithin(socket: Socket, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (reset: boolean): void => {
      clearTimeout(timer);
      socket.off("close", onClose);
      socket.off("data", onData);
      resolve(reset);
    };
    const onClose = (hadError: boolean): void => done(hadError);
    const onData = (): void => done(false);
    const timer = setTimeout(() => done(false), ms);
    socket.once("close", onClose);
    socket.once("data", onData);
  });
}

/** The outcome of each tcp-family check for an endpoint, from its evidence. */
export function judgeTcpChecks(
  checkIds: readonly string[],
  endpoint: Endpoint,
  evidence: TcpEvidence,
): CheckOutcome[] {
  const allowed =
    endpoint.allowedPorts.length > 0
      ? endpoint.allowedPorts
      : endpoint.port === undefined
        ? []
        : [endpoint.port];
  return checkIds.map((checkId) => {
    switch (checkId) {
      case "ENT-PER.segmentation":
        return judgeMustBeClosed(checkId, evidence, tcpPorts(endpoint), {
          what: `"${endpoint.name}"`,
          where: "the enterprise cell",
          why: REASONS.segmentation,
        });
      case "REMOTE.firewall.allowed":
        return judgeMustBeOpen(checkId, evidence, allowed, "the remote site");
      case "REMOTE.firewall.denied":
        return judgeMustBeClosed(checkId, evidence, endpoint.deniedPorts, {
          what:
            endpoint.deniedPorts.length === 1
              ? "the denied port"
              : "the denied ports",
          plural: endpoint.deniedPorts.length !== 1,
          where: "the remote site",
          why: REASONS.denied,
        });
      case "REMOTE.vpn":
        return judgeMustBeClosed(checkId, evidence, allowed, {
          what: `"${endpoint.name}"`,
          where: "the remote site without the VPN",
          why: REASONS.vpn,
        });
      default:
        return notTested(
          checkId,
          "not judged",
          `The TCP probe does not judge ${checkId}.`,
        );
    }
  });
}

export const tcpFamily: FamilyProbe = async (target: RunTarget, context) => {
  const started = new Date();
  const evidence = await probePorts(
    target.endpoint.host,
    tcpPorts(target.endpoint),
    {
      timeoutMs: context.plan.policy.timeoutMs,
      localAddress: context.localAddress,
      signal: context.signal,
      limiter: context.limiter,
    },
  );
  return {
    evidence: [evidenceDraft("tcp", target.address, started, evidence)],
    outcomes: judgeTcpChecks(
      target.checks.map((c) => c.id),
      target.endpoint,
      evidence,
    ),
  };
};
