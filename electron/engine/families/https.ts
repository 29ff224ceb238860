// The HTTPS family: each configured path over TLS (with the plan's client identity where the endpoint has one)
// and the HSTS header, with the evidence the web rules judge.
import { notTested } from "../../../shared/verdicts/outcome";
import { probeWeb } from "../protocols/http/probe";
import { judgeHsts, judgeHttpsPaths } from "../rules/http";
import { loadClientIdentity } from "./client-identity";
import { evidenceDraft, type FamilyProbe } from "./types";
import { clockSkewOf, serverNameOf, webOptions } from "./web";

export const httpsFamily: FamilyProbe = async (target, context) => {
  const started = context.now();
  const wantsIdentity =
    target.endpoint.kind === "mtls-https" ||
    target.endpoint.clientIdentityId !== undefined ||
    context.clientIdentity !== undefined;
  const identity = wantsIdentity
    ? await loadClientIdentity(target.endpoint, context)
    : null;
  if (
    identity !== null &&
    "problem" in identity &&
    target.endpoint.kind === "mtls-https"
  ) {
    return {
      evidence: [],
      outcomes: target.checks.map((c) =>
        notTested(c.id, "no client identity", identity.problem),
      ),
    };
  }
  const evidence = await probeWeb(
    {
      scheme: "https",
      host: target.endpoint.host,
      port: target.endpoint.port ?? 443,
      serverName: serverNameOf(target.endpoint),
      paths: target.endpoint.paths,
      followRedirects: true,
      allowedHosts: context.plan.policy.allowedRedirectHosts,
    },
    {
      ...webOptions(context),
      ...(identity !== null &&
        "certificate" in identity && { certificate: identity.certificate }),
    },
  );
  return {
    evidence: [
      evidenceDraft("https", target.address, started, evidence, {
        finished: context.now(),
        clockSkewMs: clockSkewOf(evidence, context.now()),
      }),
    ],
    outcomes: target.checks.map((check) =>
      check.id.endsWith(".http.hsts")
        ? judgeHsts(check.id, evidence)
        : judgeHttpsPaths(
            check.id,
            evidence,
            context.plan.policy.allowedRedirectHosts,
          ),
    ),
  };
};
