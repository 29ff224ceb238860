// `cellcert probe opcua HOST:PORT[/PATH] [--ca F]… [--json]` (DESIGN §8): the MES-PCS OPC UA checks of one server,
// from GetEndpoints on its discovery channel — no session, no credential, no certificate of our own (so no PKI
// folder either). OPC UA has one boundary, so the checks keep their MES-PCS.opcua.* ids.
import { InvalidArgumentError, type Command } from "commander";
import { formatHostPort, isHost, isIPv6 } from "../../../shared/model/net";
import { opcuaFamily } from "../../engine/families/opcua";
import {
  DEFAULT_OPCUA_PORT,
  type OpcuaTarget,
} from "../../engine/protocols/opcua/probe";
import type { CommandContext } from "../command-context";
import type { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { parsePort } from "../options";
import { planOfOne, probeWithFamily } from "../probe-endpoint";
import { emitProbeReport, probeReport } from "../probe-report";
import { readCaFiles, readCrlFiles } from "../input-files";
import { collect } from "../probe-options";

interface OpcuaCommandOptions {
  ca?: string[];
  crl?: string[];
  json?: boolean;
}

/**
 * "host:4840", "host:4840/UA/Server", "[fd00::5]:4840/path", or the URL as OPC UA tools show it,
 * "opc.tcp://host:4840/UA/Server"; without a port, 4840 (the IANA port for OPC UA).
 */
export function parseOpcuaTarget(text: string): Required<OpcuaTarget> {
  const value = text.trim().replace(/^opc\.tcp:\/\//i, "");
  const slash = value.startsWith("[")
    ? value.indexOf("/", value.indexOf("]"))
    : value.indexOf("/");
  const address = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? "" : value.slice(slash);
  if (/\s/.test(path) || path.length > 1000) {
    throw new InvalidArgumentError(
      `"${path}" is not an endpoint path: it starts with "/" and has no spaces.`,
    );
  }
  const usage = `"${text}" is not HOST:PORT[/PATH] or opc.tcp://HOST:PORT/PATH (an IPv6 address goes in brackets: [fd00::5]:4840).`;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  let host: string;
  let portText: string | undefined;
  if (bracketed !== null) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
    if (!isIPv6(host)) throw new InvalidArgumentError(usage);
  } else {
    const colon = address.lastIndexOf(":");
    host = colon < 0 ? address : address.slice(0, colon);
    portText = colon < 0 ? undefined : address.slice(colon + 1);
    if (!isHost(host) || isIPv6(host)) throw new InvalidArgumentError(usage);
  }
  return {
    host,
    port: portText === undefined ? DEFAULT_OPCUA_PORT : parsePort(portText),
    path: path === "/" ? "" : path,
  };
}

export function registerProbeOpcua(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  probe
    .command("opcua")
    .description(
      "the MES-PCS OPC UA checks from GetEndpoints on the discovery channel: security modes, policies, anonymous access, user-name tokens, the application certificate",
    )
    .argument(
      "<host:port[/path]>",
      "the server, as HOST:PORT[/PATH] or opc.tcp://HOST:PORT/PATH (IPv6 in brackets; port 4840 when absent)",
      parseOpcuaTarget,
    )
    .option(
      "--ca <file>",
      "trust anchor PEM file for the application certificate (repeatable); without one, MES-PCS.opcua.cert shows the fingerprint to compare",
      collect(String),
    )
    .option(
      "--crl <file>",
      "certificate revocation list, PEM or DER (repeatable)",
      collect(String),
    )
    .option("--json", "print one cellcert.probe-report/1 document")
    .action(
      async (target: Required<OpcuaTarget>, options: OpcuaCommandOptions) => {
        setExitCode(await probeOpcuaCommand(target, options, io));
      },
    );
}

export async function probeOpcuaCommand(
  target: Required<OpcuaTarget>,
  options: OpcuaCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const anchorsPem = await readCaFiles(options.ca ?? [], io.cwd);
  const crls = await readCrlFiles(options.crl ?? [], io.cwd);
  const started = new Date();
  const { checks, evidence } = await probeWithFamily(
    "opcua",
    opcuaFamily,
    planOfOne("opcua", {
      host: target.host,
      port: target.port,
      ...(target.path !== "" && { opcuaPath: target.path }),
    }),
    "mes",
    { anchorsPem, crls },
    io,
  );
  return emitProbeReport(
    probeReport({
      command: "probe opcua",
      target: `${formatHostPort(target.host, target.port)}${target.path}`,
      startedAt: evidence?.startedAt ?? started.toISOString(),
      durationMs: evidence?.durationMs ?? Date.now() - started.getTime(),
      checks,
      evidence: evidence?.data ?? null,
    }),
    io,
    options.json === true,
  );
}
