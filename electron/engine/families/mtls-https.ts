// The mtls-https family (PER-MES.mtls.*): the client-certificate attempts (protocols/http/mtls) with the plan's
// client identity, judged by the mtls rules.
import type { Endpoint } from "../../../shared/model/plan";
import { probeMtls } from "../protocols/http/mtls";
import { judgeMtls } from "../rules/mtls";
import { loadClientIdentity } from "./client-identity";
import { evidenceDraft, probeOptionsOf, type FamilyProbe } from "./types";

export const mtlsFamily: FamilyProbe = async (target, context) => {
  const started = context.now();
  const endpoint: Endpoint = target.endpoint;
  const evidence = await probeMtls(
    {
      host: endpoint.host,
      port: endpoint.port ?? 443,
      serverName:
        endpoint.serverName === "" ? endpoint.host : endpoint.serverName,
      path: endpoint.paths[0] ?? "/",
      identity: await loadClientIdentity(endpoint, context),
    },
    probeOptionsOf(context),
  );
  return {
    evidence: [
      evidenceDraft("mtls", target.address, started, evidence, {
        finished: context.now(),
      }),
    ],
    outcomes: judgeMtls(
      target.checks.map((c) => c.id),
      evidence,
    ),
  };
};
