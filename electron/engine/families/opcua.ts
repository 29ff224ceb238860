// The opcua family for the runner: one plan endpoint of kind opcua → GetEndpoints on its discovery channel, the
// evidence, and the MES-PCS OPC UA outcomes of the checks the run asked for.
import { formatHostPort } from "../../../shared/model/net";
import type { RunTarget } from "../../../shared/run-plan";
import { judgeOpcua } from "../rules/opcua";
import type { FamilyProbe, ProbeContext } from "./types";
import { DEFAULT_OPCUA_PORT, probeOpcua } from "../protocols/opcua/probe";

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
      },
    ],
    // The runner keeps the outcomes of the target's checks and records any it does not get as not judged.
    outcomes: judged,
  };
};
