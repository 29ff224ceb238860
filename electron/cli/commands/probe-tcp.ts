// `cellcert probe tcp HOST:PORT [--expect open|closed]` and `cellcert probe firewall HOST (--allow P | --deny P)…`
// (DESIGN §8). Where "closed" is wanted, refused or filtered is the measurement, not an error.
import { Option, type Command } from "commander";
import { formatHostPort } from "../../../shared/model/net";
import { Policy } from "../../../shared/model/plan";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { HostLimiter } from "../../engine/net";
import { probePorts } from "../../engine/protocols/tcp/ports";
import {
  judgeMustBeClosed,
  judgeMustBeOpen,
} from "../../engine/rules/reachability";
import type { CommandContext } from "../command-context";
import { parsePort } from "../options";
import { emitProbeReport, probeReport } from "../probe-report";
import {
  collect,
  parseHost,
  parseHostPort,
  type HostPort,
} from "../probe-options";

const TIMEOUT_MS = Policy.parse({}).timeoutMs;

export function registerProbeTcp(
  probe: Command,
  { io, setExitCode }: CommandContext,
): void {
  probe
    .command("tcp")
    .description(
      "one port: open, or closed (refused or filtered) when --expect closed",
    )
    .argument("<host:port>", "the port, IPv6 in brackets", parseHostPort)
    .addOption(
      new Option("--expect <state>", "what the port should be")
        .choices(["open", "closed"])
        .default("open"),
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        target: HostPort,
        options: { expect: "open" | "closed"; json?: boolean },
      ) => {
        const started = new Date();
        const evidence = await probePorts(target.host, [target.port], {
          limiter: new HostLimiter(),
          timeoutMs: TIMEOUT_MS,
        });
        const check =
          options.expect === "open"
            ? judgeMustBeOpen(
                "tcp.open",
                evidence,
                [target.port],
                "this laptop",
              )
            : judgeMustBeClosed("tcp.closed", evidence, [target.port], {
                what: formatHostPort(target.host, target.port),
                where: "this laptop",
                why: "it should be closed from here.",
              });
        setExitCode(
          emitProbeReport(
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
          ),
        );
      },
    );

  probe
    .command("firewall")
    .description("allowed ports open, denied ports refused or filtered")
    .argument("<host>", "the host behind the firewall", parseHost)
    .option(
      "--allow <port>",
      "a port that must be open (repeatable)",
      collect(parsePort),
    )
    .option(
      "--deny <port>",
      "a port that must be refused or filtered (repeatable)",
      collect(parsePort),
    )
    .option("--json", "print a cellcert.probe-report/1 document")
    .action(
      async (
        host: string,
        options: { allow?: number[]; deny?: number[]; json?: boolean },
      ) => {
        const allowed = options.allow ?? [];
        const denied = options.deny ?? [];
        if (allowed.length + denied.length === 0) {
          io.stderr("Give at least one --allow PORT or --deny PORT.");
          setExitCode(2);
          return;
        }
        const started = new Date();
        const evidence = await probePorts(host, [...allowed, ...denied], {
          limiter: new HostLimiter(),
          timeoutMs: TIMEOUT_MS,
        });
        const checks: CheckOutcome[] = [
          ...(allowed.length > 0
            ? [
                judgeMustBeOpen(
                  "firewall.allowed",
                  evidence,
                  allowed,
                  "this laptop",
                ),
              ]
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
        setExitCode(
          emitProbeReport(
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
          ),
        );
      },
    );
}
