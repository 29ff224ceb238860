// `cellcert probe tcp HOST:PORT [--expect open|closed]` and `cellcert probe firewall HOST (--allow P | --deny P)…`
// (DESIGN §8). Where "closed" is wanted, refused or filtered is the measurement, not an error.
import { formatHostPort } from "../../../shared/model/net";
import { DEFAULT_POLICY } from "../../../shared/model/policy-defaults";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { HostLimiter } from "../../engine/net";
import { probePorts } from "../../engine/protocols/tcp/ports";
import {
  judgeMustBeClosed,
  judgeMustBeOpen,
} from "../../engine/rules/reachability";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { emitProbeReport, probeReport } from "../probe-report";
import type { HostPort } from "../probe-options";

const TIMEOUT_MS = DEFAULT_POLICY.timeoutMs;

export async function probeTcpCommand(
  target: HostPort,
  options: { expect: "open" | "closed"; json?: boolean },
  io: CliIo,
): Promise<ExitCode> {
  const started = new Date();
  const evidence = await probePorts(target.host, [target.port], {
    limiter: new HostLimiter(),
    timeoutMs: TIMEOUT_MS,
  });
  const check =
    options.expect === "open"
      ? judgeMustBeOpen("tcp.open", evidence, [target.port], "this laptop")
      : judgeMustBeClosed("tcp.closed", evidence, [target.port], {
          what: formatHostPort(target.host, target.port),
          where: "this laptop",
          why: "it should be closed from here.",
        });
  return emitProbeReport(
    probeReport({
      command: "probe tcp",
      target: formatHostPort(target.host, target.port),
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks: [check],
      evidence,
    }),
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
  const started = new Date();
  const evidence = await probePorts(host, [...allowed, ...denied], {
    limiter: new HostLimiter(),
    timeoutMs: TIMEOUT_MS,
  });
  const checks: CheckOutcome[] = [
    ...(allowed.length > 0
      ? [judgeMustBeOpen("firewall.allowed", evidence, allowed, "this laptop")]
      : []),
    ...(denied.length > 0
      ? [
          judgeMustBeClosed("firewall.denied", evidence, denied, {
            what: "the denied ports",
            where: "this laptop",
            why: "the firewall should refuse or drop them.",
          }),
        ]
      : []),
  ];
  return emitProbeReport(
    probeReport({
      command: "probe firewall",
      target: host,
      startedAt: started.toISOString(),
      durationMs: Date.now() - started.getTime(),
      checks,
      evidence,
    }),
    io,
    options.json === true,
  );
}
