// What the plain-HTTP and HTTPS families share: the fetch options from the run, the name sent, the clock skew.
import type { HttpEvidence } from "../../../shared/evidence/web";
import type { Endpoint } from "../../../shared/model/plan";
import type { WebOptions } from "../protocols/http/web";
import { probeOptionsOf, type ProbeContext } from "./types";

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

export function webOptions(context: ProbeContext): WebOptions {
  return probeOptionsOf(context);
}

export function serverNameOf(endpoint: Endpoint): string {
  return endpoint.serverName === "" ? endpoint.host : endpoint.serverName;
}
