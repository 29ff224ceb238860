// The tls family: the TLS server profile of an endpoint, and the checks that ask whether TLS answers at all.
import type { RunTarget } from "../../../shared/run-plan";
import { judgeTlsProfileWithPath } from "../rules/tls-profile";
import { judgeReach, judgeSecureProtocol } from "../rules/tls-reach";
import type { FamilyProbe } from "./types";
import { probeTls } from "../protocols/tls";

export const tlsFamily: FamilyProbe = async (target: RunTarget, context) => {
  const { endpoint } = target;
  const evidence = await probeTls(
    {
      host: endpoint.host,
      port: endpoint.port ?? 443,
      serverName: endpoint.serverName,
    },
    {
      endpointKind: endpoint.kind,
      policy: context.plan.policy,
      ...(context.localAddress !== undefined && {
        localAddress: context.localAddress,
      }),
      signal: context.signal,
      limiter: context.limiter,
      now: () => context.now(),
    },
  );
  const judged = await judgeTlsProfileWithPath(endpoint.boundary, evidence, {
    anchorsPem: context.anchorsPem(endpoint),
    crls: context.crls(),
    publicRoots: endpoint.publicRoots,
    policy: context.plan.policy,
    ...(endpoint.serverName !== "" && { serverName: endpoint.serverName }),
    now: context.now(),
  });
  const profile = judged.outcomes;
  // The chain as validated goes into the evidence beside the chain as sent.
  const recorded = { ...evidence, validatedPath: judged.path };
  // The runner keeps the outcomes of the target's checks and records any it does not get as not judged.
  const outcomes = [
    ...profile,
    ...target.checks.flatMap((check) =>
      check.id.endsWith(".reach")
        ? [judgeReach(check.id, evidence)]
        : check.id.endsWith(".secure-protocol")
          ? [judgeSecureProtocol(check.id, evidence)]
          : [],
    ),
  ];
  return {
    absent: judged.absent,
    evidence: [
      {
        probe: "tls",
        target: target.address,
        startedAt: evidence.startedAt,
        durationMs: evidence.durationMs,
        data: recorded,
      },
    ],
    outcomes,
  };
};
