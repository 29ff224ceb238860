// `cellcert probe opcua HOST:PORT[/PATH] [--ca F]… [--json]` (DESIGN §8): the MES-PCS OPC UA checks of one server,
// from GetEndpoints on its discovery channel — no session, no credential, no certificate of our own (so no PKI
// folder either). OPC UA has one boundary, so the checks keep their MES-PCS.opcua.* ids.
import { formatHostPort } from "../../../shared/model/net";
import { opcuaFamily } from "../../engine/families/opcua";
import type { OpcuaTarget } from "../../engine/protocols/opcua/probe";
import type { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { planOfOne, probeWithFamily } from "../probe-endpoint";
import { emitProbeReport, probeReport } from "../probe-report";
import { readCaFiles, readCrlFiles } from "../input-files";

interface OpcuaCommandOptions {
  ca?: string[];
  crl?: string[];
  json?: boolean;
}

export async function probeOpcuaCommand(
  target: Required<OpcuaTarget>,
  options: OpcuaCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const anchorsPem = await readCaFiles(options.ca ?? [], io.cwd);
  const crls = await readCrlFiles(options.crl ?? [], io.cwd);
  const result = await probeWithFamily(
    "opcua",
    opcuaFamily,
    planOfOne("opcua", {
      host: target.host,
      port: target.port,
      ...(target.path !== "" && { opcuaPath: target.path }),
    }),
    { trust: { anchorsPem, crls }, io },
  );
  return emitProbeReport(
    probeReport({
      command: "probe opcua",
      target: `${formatHostPort(target.host, target.port)}${target.path}`,
      startedAt: result.startedAt,
      durationMs: result.durationMs,
      checks: result.checks,
      evidence: result.evidence[0]?.data ?? null,
    }),
    io,
    options.json === true,
  );
}
