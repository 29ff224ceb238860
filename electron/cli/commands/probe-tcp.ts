// `cellcert probe tcp HOST:PORT [--expect open|closed]` and `cellcert probe firewall HOST (--allow P | --deny P)…`
// (DESIGN §8), judged by the tcp family a run uses for REMOTE: an open port is REMOTE.firewall.allowed's
// measurement, a closed one REMOTE.firewall.denied's. Where "closed" is wanted, refused or filtered is the
// measurement, not an error.
import { formatHostPort } from "../../../shared/model/net";
import { tcpFamily } from "../../engine/families/tcp";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import {
  evidenceOf,
  planOfOne,
  probeEndpoint,
  type EndpointFields,
  type ReportChecks,
} from "../probe-endpoint";
import { emitProbeReport, probeReport } from "../probe-report";
import type { HostPort } from "../probe-options";

const ALLOWED = "REMOTE.firewall.allowed";
const DENIED = "REMOTE.firewall.denied";

/** The ports of one host, probed and judged by the tcp family, reported as `command`. */
async function probePortsOf(
  command: string,
  target: string,
  fields: EndpointFields,
  checks: ReportChecks,
  io: CliIo,
  json: boolean,
): Promise<ExitCode> {
  const result = await probeEndpoint(
    planOfOne("tcp", fields),
    checks,
    { tcp: tcpFamily },
    { trust: { anchorsPem: [], crls: [] }, io },
  );
  return emitProbeReport(
    probeReport({
      command,
      target,
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence: evidenceOf(result, "tcp"),
    }),
    io,
    json,
  );
}

export async function probeTcpCommand(
  target: HostPort,
  options: { expect: "open" | "closed"; json?: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const open = options.expect === "open";
  return probePortsOf(
    "probe tcp",
    formatHostPort(target.host, target.port),
    {
      host: target.host,
      port: target.port,
      expect: options.expect,
      ...(open
        ? { allowedPorts: [target.port] }
        : { deniedPorts: [target.port] }),
    },
    open ? { "tcp.open": ALLOWED } : { "tcp.closed": DENIED },
    io,
    options.json === true,
  );
}

export async function probeFirewallCommand(
  host: string,
  options: { allow?: number[]; deny?: number[]; json?: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const allowed = options.allow ?? [];
  const denied = options.deny ?? [];
  if (allowed.length + denied.length === 0) {
    io.stderr("Give at least one --allow PORT or --deny PORT.");
    return ExitCode.unjudged;
  }
  const both = [...new Set(allowed.filter((port) => denied.includes(port)))];
  if (both.length > 0) {
    io.stderr(
      `${both.length === 1 ? `Port ${both[0]} is` : `Ports ${both.join(", ")} are`} given with both --allow and --deny: a port is either allowed or denied; give ${both.length === 1 ? "it" : "each"} once.`,
    );
    return ExitCode.unjudged;
  }
  return probePortsOf(
    "probe firewall",
    host,
    { host, allowedPorts: allowed, deniedPorts: denied },
    {
      ...(allowed.length > 0 && { "firewall.allowed": ALLOWED }),
      ...(denied.length > 0 && { "firewall.denied": DENIED }),
    },
    io,
    options.json === true,
  );
}
