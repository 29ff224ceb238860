// What a run from one vantage will do: which endpoints it touches, with which probe, for which checks.
// Pure, so the UI previews exactly what the runner then does (DESIGN §5: a preview of every target).
import { CHECKS, findCheck, type CheckDefinition } from "./catalog/catalog";
import type { Endpoint, Plan } from "./model/plan";
import { DEFAULT_OPCUA_PORT, formatHostPort } from "./model/net";
import type { VantageId } from "./plant-words";
import { endpointsForCheck } from "./verdicts/rollup";

/** The probe families; each sends its own kind of traffic (described for the preview). */
export const probeFamilies = [
  "tls",
  "mtls",
  "https",
  "http-plain",
  "tcp",
  "mssql",
  "opcua",
] as const;
export type ProbeFamily = (typeof probeFamilies)[number];

/** Which family measures a check; attest-only checks have none. */
export function familyOf(check: CheckDefinition): ProbeFamily | null {
  if (check.satisfiedBy === "attest") return null;
  const name = check.id.slice(check.id.indexOf(".") + 1);
  if (check.targets === "protected-cells") return "tcp";
  if (
    name.startsWith("tls.") ||
    name.startsWith("cert.") ||
    name === "reach" ||
    name === "secure-protocol"
  )
    return "tls";
  if (name.startsWith("mtls.")) return "mtls";
  if (name === "vdir.https" || name === "http.hsts") return "https";
  if (name === "vdir.plain" || name === "http.plain") return "http-plain";
  if (name.startsWith("firewall.") || name === "vpn") return "tcp";
  if (name.startsWith("tds.") || name.startsWith("sql.")) return "mssql";
  if (name.startsWith("opcua.")) return "opcua";
  return null;
}

export interface RunTarget {
  endpoint: Endpoint;
  family: ProbeFamily;
  /** The checks this probe decides, in catalog order. */
  checks: CheckDefinition[];
  /** host:port, or the ports for tcp targets: what the preview shows. */
  address: string;
  /** What will be sent, in one line. */
  traffic: string;
  /** Why this target cannot be probed yet (a placeholder), or null. */
  blocked: string | null;
}

export interface RunPlan {
  vantage: VantageId;
  targets: RunTarget[];
  /** Attest-only checks of this vantage: not probed, listed so the engineer knows to attest them. */
  attestOnly: { check: CheckDefinition; endpoint: Endpoint }[];
}

/**
 * Everything a run from `vantage` does, for in-scope boundaries only; or one check on one endpoint, with the checks
 * it waits on (its prerequisites, DESIGN §2) on that endpoint, so a re-run judges it as a whole run would. The run
 * records the one check's result alone.
 */
export function planRun(
  plan: Plan,
  vantage: VantageId,
  only?: { checkId: string; endpointId: string },
): RunPlan {
  const inScope = new Set(
    plan.boundaries.filter((b) => b.inScope).map((b) => b.id),
  );
  const groups = new Map<string, RunTarget>();
  const attestOnly: RunPlan["attestOnly"] = [];
  const checks =
    only === undefined
      ? CHECKS.filter((c) => c.vantage === vantage)
      : withPrerequisites(only.checkId);
  for (const check of checks) {
    if (!inScope.has(check.boundary)) continue;
    for (const endpoint of endpointsForCheck(plan, check)) {
      if (only !== undefined && endpoint.id !== only.endpointId) continue;
      const family = familyOf(check);
      if (family === null) {
        attestOnly.push({ check, endpoint });
        continue;
      }
      const key = `${family}\u0000${endpoint.id}`;
      const target = groups.get(key) ?? runTargetOf(endpoint, family, [], plan);
      target.checks.push(check);
      groups.set(key, target);
    }
  }
  return { vantage, targets: [...groups.values()], attestOnly };
}

/** A check and every check it waits on, directly or through another, in catalog order. */
function withPrerequisites(checkId: string): CheckDefinition[] {
  const wanted = new Set<string>();
  const visit = (id: string): void => {
    const check = findCheck(id);
    if (check === undefined || wanted.has(id)) return;
    wanted.add(id);
    for (const prerequisite of [
      ...check.prerequisites,
      ...check.presencePrerequisites,
    ])
      visit(prerequisite);
  };
  visit(checkId);
  return CHECKS.filter((check) => wanted.has(check.id));
}

/** One target: `family` probing `endpoint` for `checks` (in catalog order), as the preview shows it. */
export function runTargetOf(
  endpoint: Endpoint,
  family: ProbeFamily,
  checks: CheckDefinition[],
  plan: Plan,
): RunTarget {
  return {
    endpoint,
    family,
    checks,
    address: addressOf(endpoint, family, plan),
    traffic: trafficOf(endpoint, family, plan),
    blocked: blockedReason(endpoint, family),
  };
}

/** Why a target cannot be probed as the plan stands, or null. */
function blockedReason(endpoint: Endpoint, family: ProbeFamily): string | null {
  if (endpoint.placeholder)
    return `"${endpoint.name}" is still the template's placeholder (${endpoint.host}); fill in its host first.`;
  if (family === "tcp" && tcpPorts(endpoint).length === 0)
    return endpoint.kind === "mssql"
      ? `"${endpoint.name}" is the named instance ${namedInstance(endpoint) ?? ""} without a port: its TCP port is dynamic, so Cellcert cannot tell which port to try from here. Give the endpoint the instance's port (SQL Server Configuration Manager shows it).`
      : `"${endpoint.name}" lists no port to try; give its port.`;
  return null;
}

/** A SQL Server endpoint's named instance; null for the default instance (none, empty, or MSSQLSERVER). */
export function namedInstance(endpoint: Endpoint): string | null {
  const name = endpoint.sqlInstance?.trim() ?? "";
  return name === "" || name.toUpperCase() === "MSSQLSERVER" ? null : name;
}

/**
 * The ports a tcp target probes: the endpoint's port, or its allowed and denied ports for REMOTE, each once. A SQL
 * Server without a port is the default instance on 1433; a named instance without a port has none known here.
 */
export function tcpPorts(endpoint: Endpoint): number[] {
  const ports = [
    ...new Set([...endpoint.allowedPorts, ...endpoint.deniedPorts]),
  ];
  if (endpoint.port !== undefined && !ports.includes(endpoint.port))
    ports.unshift(endpoint.port);
  if (
    ports.length === 0 &&
    endpoint.kind === "mssql" &&
    namedInstance(endpoint) === null
  )
    ports.push(1433);
  return ports;
}

/** Where plain HTTP is tried: an http-plain endpoint's own port, else the policy's port beside an HTTPS one. */
export function plainHttpPort(
  endpoint: Endpoint,
  policy: Plan["policy"],
): number {
  return endpoint.kind === "http-plain"
    ? (endpoint.port ?? 80)
    : policy.plainHttpPort;
}

function addressOf(
  endpoint: Endpoint,
  family: ProbeFamily,
  plan: Plan,
): string {
  if (family === "tcp")
    return `${endpoint.host} ports ${tcpPorts(endpoint).join(", ")}`;
  if (family === "mssql" && endpoint.port === undefined) {
    return `${endpoint.host}\\${namedInstance(endpoint) ?? "MSSQLSERVER"}`;
  }
  if (family === "http-plain")
    return formatHostPort(endpoint.host, plainHttpPort(endpoint, plan.policy));
  if (family === "opcua")
    return `opc.tcp://${formatHostPort(endpoint.host, endpoint.port ?? DEFAULT_OPCUA_PORT)}${endpoint.opcuaPath ?? ""}`;
  return formatHostPort(endpoint.host, endpoint.port ?? 0);
}

function trafficOf(
  endpoint: Endpoint,
  family: ProbeFamily,
  plan: Plan,
): string {
  const paths = endpoint.paths.join(", ");
  switch (family) {
    case "tls":
      return "TLS handshakes, and ClientHellos for SSLv2 to TLS 1.3 to list the accepted protocols and suites";
    case "mtls":
      return `HTTPS requests for ${paths} over TLS 1.2 and 1.3: without a certificate, with a throwaway one, with the plan's client identity`;
    case "https":
      return `HTTPS GET ${paths}, following at most 5 redirects`;
    case "http-plain":
      return `plain HTTP GET ${paths} on port ${plainHttpPort(endpoint, plan.policy)}`;
    case "tcp":
      return "TCP connection attempts, closed at once";
    case "mssql":
      return "TDS PRELOGIN and a TLS handshake (no login), then a SQL login where credentials are given";
    case "opcua":
      return "OPC UA GetEndpoints on the discovery channel (no session, no credentials)";
  }
}
