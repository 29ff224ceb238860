// The plain-HTTP and HTTPS families: each configured path, with the evidence the web rules judge.
import {
  HTTP_EVIDENCE_SCHEMA,
  type HttpEvidence,
} from "../../../shared/evidence/web";
import type { Endpoint } from "../../../shared/model/plan";
import { plainHttpPort } from "../../../shared/run-plan";
import { notTested } from "../../../shared/verdicts/outcome";
import { judgeHsts, judgeHttpsPaths, judgePlainHttp } from "../rules/http";
import { evidenceDraft, type FamilyProbe, type ProbeContext } from "./types";
import { loadClientIdentity } from "./client-identity";
import { fetchPath, type WebOptions } from "../protocols/http/web";

export interface WebProbeRequest {
  scheme: "http" | "https";
  host: string;
  port: number;
  serverName: string;
  paths: readonly string[];
  followRedirects: boolean;
  allowedHosts: readonly string[];
}

/** Fetches each path in turn (gently: one path at a time per endpoint). */
export async function probeWeb(
  request: WebProbeRequest,
  options: WebOptions,
): Promise<HttpEvidence> {
  const paths = [];
  for (const path of request.paths) {
    paths.push(
      await fetchPath(
        {
          scheme: request.scheme,
          host: request.host,
          port: request.port,
          serverName: request.serverName,
          path,
        },
        {
          ...options,
          followRedirects: request.followRedirects,
          allowedHosts: request.allowedHosts,
        },
      ),
    );
    if (options.signal?.aborted === true) break;
  }
  return {
    schema: HTTP_EVIDENCE_SCHEMA,
    scheme: request.scheme,
    host: request.host,
    port: request.port,
    serverName: request.serverName,
    clientIdentity: options.certificate !== undefined,
    paths,
  };
}

/** The laptop clock minus the server's Date header, from the first answer that had one. */
export function clockSkewOf(
  evidence: HttpEvidence,
  receivedAt: Date,
): number | undefined {
  const date = evidence.paths
    .flatMap((p) => p.hops)
    .find((h) => h.headers.date !== undefined)?.headers.date;
  if (date === undefined) return undefined;
  const server = Date.parse(date);
  return Number.isNaN(server) ? undefined : receivedAt.getTime() - server;
}

function webOptions(context: ProbeContext): WebOptions {
  return {
    limiter: context.limiter,
    timeoutMs: context.plan.policy.timeoutMs,
    localAddress: context.localAddress,
    signal: context.signal,
  };
}

function serverNameOf(endpoint: Endpoint): string {
  return endpoint.serverName === "" ? endpoint.host : endpoint.serverName;
}

export const httpPlainFamily: FamilyProbe = async (target, context) => {
  const started = new Date();
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
        clockSkewMs: clockSkewOf(evidence, new Date()),
      }),
    ],
    outcomes: target.checks.map((check) => judgePlainHttp(check.id, evidence)),
  };
};

export const httpsFamily: FamilyProbe = async (target, context) => {
  const started = new Date();
  const wantsIdentity =
    target.endpoint.kind === "mtls-https" ||
    target.endpoint.clientIdentityId !== undefined;
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
        clockSkewMs: clockSkewOf(evidence, new Date()),
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
