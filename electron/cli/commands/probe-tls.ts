// `cellcert probe tls HOST:PORT [--servername N] [--ca F]… [--public-roots] [--json]` (DESIGN §8): the TLS
// server profile of one endpoint — a readable table, or the cellcert.probe-report/1 document with --json.
import { formatHostPort } from "../../../shared/model/net";
import type { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { emitProbeReport, probeReport } from "../probe-report";
import type { HostPort } from "../probe-options";
import { describeTlsEvidence, profileChecks } from "./probe-tls-profile";

interface TlsCommandOptions {
  servername?: string;
  ca?: string[];
  crl?: string[];
  publicRoots?: boolean;
  json?: boolean;
}

export async function probeTlsCommand(
  target: HostPort,
  options: TlsCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const startedAt = new Date();
  const started = performance.now();
  const profile = await profileChecks({
    host: target.host,
    port: target.port,
    ...(options.servername !== undefined && { serverName: options.servername }),
    caFiles: options.ca ?? [],
    crlFiles: options.crl ?? [],
    publicRoots: options.publicRoots === true,
    io,
  });
  const json = options.json === true;
  const code = emitProbeReport(
    probeReport({
      command: "probe tls",
      target: formatHostPort(target.host, target.port),
      startedAt: startedAt.toISOString(),
      durationMs: Math.round(performance.now() - started),
      checks: profile.checks,
      evidence: profile.evidence,
      unjudged: profile.unjudged,
    }),
    io,
    json,
  );
  if (!json) {
    const details = describeTlsEvidence(profile.evidence);
    if (details !== "") io.stdout(`\n${details}`);
  }
  return code;
}
