// The opcua family for the runner: one plan endpoint of kind opcua → GetEndpoints on its discovery channel, the
// evidence, and the MES-PCS OPC UA outcomes of the checks the run asked for.
import { formatHostPort } from "../../../shared/model/net";
import type { RunTarget } from "../../../shared/run-plan";
import { judgeOpcua } from "../rules/opcua";
import type { FamilyProbe, ProbeContext } from "../runner/types";
import type { OpcuaEvidence } from "../../../shared/evidence/opcua";
import { DEFAULT_OPCUA_PORT, probeOpcua } from "./probe";

export const opcuaFamily: FamilyProbe = async (
  target: RunTarget,
  context: ProbeContext,
) => {
  const { endpoint } = target;
  const policy = context.plan.policy;
  const port = endpoint.port ?? DEFAULT_OPCUA_PORT;
  const evidence = await probeOpcua(
    { host: endpoint.host, port, path: endpoint.opcuaPath ?? "" },
    {
      timeoutMs: policy.timeoutMs,
      signal: context.signal,
      limiter: context.limiter,
      now: () => context.now(),
      ...(context.localAddress !== undefined && {
        localAddress: context.localAddress,
      }),
    },
  );
  const judged = await judgeOpcua(evidence, {
    anchorsPem: context.anchorsPem(endpoint),
    crls: context.crls(),
    requireRevocation: policy.requireRevocation,
    publicRoots: endpoint.publicRoots,
    headroomDays: policy.headroomDays,
    now: context.now(),
  });
  return {
    evidence: [
      {
        probe: "opcua",
        target: formatHostPort(endpoint.host, port),
        startedAt: evidence.startedAt,
        durationMs: evidence.durationMs,
        data: evidence,
        ...opcuaClockSkew(evidence),
      },
    ],
    // The runner keeps the outcomes of the target's checks and records any it does not get as not judged.
    outcomes: judged,
  };
};

/** The laptop clock minus the server's, from the GetEndpoints answer's timestamp (a source of the run's clock skew). */
export function opcuaClockSkew(evidence: OpcuaEvidence): {
  clockSkewMs?: number;
} {
  const step = evidence.getEndpoints;
  const server = Date.parse(step?.serverTimestamp ?? "");
  const received = Date.parse(step?.receivedAt ?? "");
  return Number.isNaN(server) || Number.isNaN(received)
    ? {}
    : { clockSkewMs: received - server };
}
