// `cellcert probe tls HOST:PORT [--servername N] [--ca F]… [--public-roots] [--json]` (DESIGN §8): the TLS
// server profile of one endpoint — a readable table, or the cellcert.probe-report/1 document with --json.
import type { Command } from "commander";
import { formatHostPort } from "../../../shared/model/net";
import type { CommandContext } from "../command-context";
import type { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { emitProbeReport, probeReport } from "../probe-report";
import { parseHostPort, type HostPort } from "../probe-options";
import {
  describeTlsEvidence,
  profileChecks,
  withProfileOptions,
} from "./probe-tls-profile";

interface TlsCommandOptions {
  servername?: string;
  ca?: string[];
  crl?: string[];
  publicRoots?: boolean;
  json?: boolean;
}

export function registerProbeTls(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  withProfileOptions(
    probe
      .command("tls")
      .description(
        "the TLS server profile: protocols, suites, certificate chain, name, validity and strength",
      )
      .argument(
        "<host:port>",
        "the endpoint, IPv6 in brackets ([::1]:443)",
        parseHostPort,
      ),
  )
    .option("--json", "print one cellcert.probe-report/1 document")
    .action(async (target: HostPort, options: TlsCommandOptions) => {
      setExitCode(await probeTlsCommand(target, options, io));
    });
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
