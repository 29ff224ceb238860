// The plain-HTTP family: each configured path over http, with the evidence the web rules judge.
import { plainHttpPort } from "../../../shared/run-plan";
import { probeWeb } from "../protocols/http/probe";
import { judgePlainHttp } from "../rules/http";
import { evidenceDraft, type FamilyProbe } from "./types";
import { clockSkewOf, serverNameOf, webOptions } from "./web";

export const httpPlainFamily: FamilyProbe = async (target, context) => {
  const started = context.now();
  const evidence = await probeWeb(
    {
      scheme: "http",
      host: target.endpoint.host,
      port: plainHttpPort(target.endpoint, context.plan.policy),
      serverName: serverNameOf(target.endpoint),
      paths: target.endpoint.paths,
      followRedirects: false,
      allowedHosts: [],
    },
    webOptions(context),
  );
  return {
    evidence: [
      evidenceDraft("http", target.address, started, evidence, {
        finished: context.now(),
        clockSkewMs: clockSkewOf(evidence, context.now()),
      }),
    ],
    outcomes: target.checks.map((check) => judgePlainHttp(check.id, evidence)),
  };
};
