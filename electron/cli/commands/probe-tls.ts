// `cellcert probe tls HOST:PORT [--servername N] [--ca F]… [--public-roots] [--json]` (DESIGN §8): the TLS
// server profile of one endpoint, judged by the tls family a run uses — a readable table, or the
// cellcert.probe-report/1 document with --json.
import type { TlsEvidence } from "../../../shared/evidence/tls";
import { formatHostPort } from "../../../shared/model/net";
import { tlsFamily } from "../../engine/families/tls";
import type { ExitCode } from "../exit-codes";
import { readCaFiles, readCrlFiles } from "../input-files";
import type { CliIo } from "../io";
import {
  evidenceOf,
  planOfOne,
  probeEndpoint,
  tlsProfileOf,
} from "../probe-endpoint";
import { emitProbeReport, probeReport } from "../probe-report";
import type { HostPort } from "../probe-options";
import { describeTlsEvidence } from "./probe-tls-profile";

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
  // Read the anchors first: a bad --ca file is the user's to fix before anything is sent.
  const anchorsPem = await readCaFiles(options.ca ?? [], io.cwd);
  const crls = await readCrlFiles(options.crl ?? [], io.cwd);
  const result = await probeEndpoint(
    planOfOne("tls", {
      host: target.host,
      port: target.port,
      ...(options.servername !== undefined && {
        serverName: options.servername,
      }),
      publicRoots: options.publicRoots === true,
    }),
    tlsProfileOf("tls"),
    { tls: tlsFamily },
    { trust: { anchorsPem, crls }, io },
  );
  // The tls family records the TLS probe's evidence as it is, with the validated path beside the chain.
  const evidence = evidenceOf(result, "tls") as TlsEvidence | null;
  const json = options.json === true;
  const code = emitProbeReport(
    probeReport({
      command: "probe tls",
      target: formatHostPort(target.host, target.port),
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence,
    }),
    io,
    json,
  );
  if (!json && evidence !== null) {
    const details = describeTlsEvidence(evidence);
    if (details !== "") io.stdout(`\n${details}`);
  }
  return code;
}
