// The paths of one web endpoint fetched in turn (gently: one path at a time per endpoint): the HTTP evidence.
import {
  HTTP_EVIDENCE_SCHEMA,
  type HttpEvidence,
} from "../../../../shared/evidence/web";
import { fetchPath, type WebOptions } from "./web";

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
