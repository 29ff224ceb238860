// `cellcert probe opcua HOST:PORT[/PATH] [--ca F]… [--json]` (DESIGN §8): the MES-PCS OPC UA checks of one server,
// from GetEndpoints on its discovery channel — no session, no credential, no certificate of our own (so no PKI
// folder either). OPC UA has one boundary, so the checks keep their MES-PCS.opcua.* ids.
import { formatHostPort } from "../../../shared/model/net";
import { DEFAULT_POLICY } from "../../../shared/model/policy-defaults";
import { HostLimiter } from "../../engine/net";
import { probeOpcua, type OpcuaTarget } from "../../engine/opcua/probe";
import { judgeOpcua } from "../../engine/rules/opcua";
import type { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
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
  const evidence = await probeOpcua(target, {
    timeoutMs: DEFAULT_POLICY.timeoutMs,
    limiter: new HostLimiter(),
  });
  const checks = await judgeOpcua(evidence, {
    anchorsPem,
    crls,
    publicRoots: false,
    headroomDays: DEFAULT_POLICY.headroomDays,
    now: new Date(),
  });
  return emitProbeReport(
    probeReport({
      command: "probe opcua",
      target: `${formatHostPort(target.host, target.port)}${target.path}`,
      startedAt: evidence.startedAt,
      durationMs: evidence.durationMs,
      checks,
      evidence,
      unjudged: checks.every((c) => c.verdict === "not-tested")
        ? (checks[0]?.message ?? "Nothing could be judged.")
        : null,
    }),
    io,
    options.json === true,
  );
}
