// Where a redirect may lead a probe (DESIGN §5: never a host the plan does not list): the probe follows what
// this allows, and the web rules judge the same classification.

/** The parts of a WHATWG URL read here (shared/ sees neither the DOM's nor Node's URL type). */
export interface UrlParts {
  protocol: string;
  hostname: string;
  port: string;
}

/** Where a redirect leads, as the probe follows it and the rules judge it. */
export type RedirectDestination =
  /** https on the endpoint itself (same name or address, same port), or on a host the policy allows. */
  | "follow"
  /** https on the same host but another port: not part of this endpoint, so never probed. */
  | "other-port"
  /** https on a host that is neither this one nor allowed by the policy. */
  | "other-host"
  /** not https. */
  | "plain";

/**
 * Classifies a redirect's URL against the endpoint (its address, server name and port) and the policy's
 * allowed hosts. Cellcert only ever connects where the plan says: the endpoint's own port, or a host the
 * policy names (on the port the redirect gives).
 */
export function redirectDestination(
  url: UrlParts,
  endpoint: { host: string; serverName: string; port: number },
  allowedHosts: readonly string[],
): RedirectDestination {
  if (url.protocol !== "https:") return "plain";
  const port = url.port === "" ? 443 : Number(url.port);
  if (isEndpointHost(url, endpoint))
    return port === endpoint.port ? "follow" : "other-port";
  const host = bareHostname(url);
  return allowedHosts.some((allowed) => allowed.toLowerCase() === host)
    ? "follow"
    : "other-host";
}

const bareHostname = (url: UrlParts): string =>
  url.hostname.replace(/^\[(.*)\]$/, "$1").toLowerCase();

/** Whether a URL names the endpoint's host, by its server name or the address connected to. */
export function isEndpointHost(
  url: UrlParts,
  endpoint: { host: string; serverName: string },
): boolean {
  const host = bareHostname(url);
  return [endpoint.serverName, endpoint.host].some(
    (name) => name.toLowerCase() === host,
  );
}
