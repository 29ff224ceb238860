// Fetching a path the way the web checks need it: one connection per request within the host's slots,
// plain or TLS (with the plan's client identity where the endpoint has one), following at most 5 redirects.
import type { SecureVersion } from "node:tls";
import type {
  HttpExchange,
  PathObservation,
} from "../../../../shared/evidence/web";
import { hostHeaderFor, webAddress } from "../../../../shared/model/net";
import {
  ConnectError,
  withConnection,
  type HostLimiter,
  type ProbeOptions,
} from "../../net";
import { redirectDestination } from "../../../../shared/model/redirect";
import {
  headerValues,
  httpGet,
  HttpExchangeError,
  keptHeaders,
} from "./exchange";
import { openTls, TlsRefusal, type ClientCertificate } from "../tls/tls-client";

export const MAX_REDIRECTS = 5;

export interface WebOptions extends ProbeOptions {
  limiter: HostLimiter;
  /** Presented on every TLS connection (mTLS endpoints). */
  certificate?: ClientCertificate | undefined;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
}

export interface FetchTarget {
  scheme: "http" | "https";
  /** Where to connect. */
  host: string;
  port: number;
  /** SNI and the Host header (the plan's server name, or the host). */
  serverName: string;
  path: string;
}

/** One request, one connection; never throws for what the server does. */
export async function fetchOnce(
  target: FetchTarget,
  options: WebOptions,
): Promise<HttpExchange> {
  const hostHeader = hostHeaderFor(
    target.scheme,
    target.serverName,
    target.port,
  );
  const url = webAddress(
    target.scheme,
    target.serverName,
    target.port,
    target.path,
  );
  const started = performance.now();
  const exchange = (
    fields: Partial<HttpExchange> & Pick<HttpExchange, "outcome">,
  ): HttpExchange => ({
    url,
    status: null,
    headers: {},
    bodyBytes: 0,
    durationMs: Math.round(performance.now() - started),
    error: "",
    ...fields,
  });
  try {
    return await withConnection(
      { host: target.host, port: target.port },
      {
        limiter: options.limiter,
        timeoutMs: options.timeoutMs,
        localAddress: options.localAddress,
        signal: options.signal,
      },
      async (socket) => {
        const stream =
          target.scheme === "https"
            ? await openTls(socket, {
                servername: target.serverName,
                timeoutMs: options.timeoutMs,
                ...(options.minVersion !== undefined && {
                  minVersion: options.minVersion,
                }),
                ...(options.maxVersion !== undefined && {
                  maxVersion: options.maxVersion,
                }),
                ...(options.certificate !== undefined && {
                  certificate: options.certificate,
                }),
                signal: options.signal,
              })
            : socket;
        try {
          const answer = await httpGet(stream, {
            hostHeader,
            path: target.path,
            timeoutMs: options.timeoutMs,
            signal: options.signal,
          });
          return exchange({
            outcome: "answered",
            status: answer.status,
            headers: keptHeaders(answer.headers),
            hsts: headerValues(answer.rawHeaders, "strict-transport-security")
              .slice(0, 16)
              .map((value) => value.slice(0, 2000)),
            bodyBytes: answer.bodyBytes,
          });
        } finally {
          if (stream !== socket) stream.destroy();
        }
      },
    );
  } catch (error) {
    if (error instanceof ConnectError)
      return exchange({ outcome: error.state, error: error.message });
    if (error instanceof TlsRefusal) {
      return exchange({
        outcome: error.kind === "timeout" ? "timeout" : "tls-refused",
        error:
          error.alert === ""
            ? error.message
            : `${error.message} [${error.alert}]`,
        ...(error.alert !== "" && { tlsAlert: error.alert }),
      });
    }
    if (error instanceof HttpExchangeError) {
      return exchange({
        outcome:
          error.kind === "protocol"
            ? "protocol-error"
            : error.kind === "too-large"
              ? "header-too-large"
              : error.kind,
        status: error.status,
        error: error.message,
      });
    }
    throw error;
  }
}

/**
 * A path and, when asked, its redirects: at most MAX_REDIRECTS, only over https, and only to the endpoint's own
 * port on the same host or to a host the policy allows (redirectDestination). A redirect that breaks a rule is recorded and not followed; the rules judge it.
 */
export async function fetchPath(
  start: FetchTarget,
  options: WebOptions & {
    followRedirects: boolean;
    allowedHosts: readonly string[];
  },
): Promise<PathObservation> {
  const hops: HttpExchange[] = [];
  let target = start;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const exchange = await fetchOnce(target, options);
    hops.push(exchange);
    const next = nextHop(exchange, target, start, options.allowedHosts);
    if (
      !options.followRedirects ||
      next === null ||
      options.signal?.aborted === true
    )
      break;
    target = next;
  }
  return { path: start.path, hops };
}

/** Where a redirect leads, if it may be followed. */
export function nextHop(
  exchange: HttpExchange,
  current: FetchTarget,
  start: FetchTarget,
  allowedHosts: readonly string[],
): FetchTarget | null {
  if (
    exchange.status === null ||
    exchange.status < 300 ||
    exchange.status > 399
  )
    return null;
  const location = exchange.headers.location;
  if (location === undefined) return null;
  let url: URL;
  try {
    url = new URL(location, exchange.url);
  } catch {
    return null;
  }
  if (redirectDestination(url, start, allowedHosts) !== "follow") return null;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const connectHost =
    host.toLowerCase() === start.serverName.toLowerCase() ? start.host : host;
  return {
    scheme: "https",
    host: connectHost,
    port: url.port === "" ? 443 : Number(url.port),
    serverName: host,
    path: `${url.pathname}${url.search}` || current.path,
  };
}
