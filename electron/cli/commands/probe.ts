// `cellcert probe …`: one endpoint at a time, from where the laptop stands (DESIGN §8).
import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { registerProbeMssql } from "./probe-mssql";
import { registerProbeOpcua } from "./probe-opcua";
import { registerProbeTls } from "./probe-tls";
import { registerProbeWeb } from "./probe-web";
import { registerProbeTcp } from "./probe-tcp";

export function registerProbe(
  program: Command,
  context: CommandContext,
): Command {
  const probe = program
    .command("probe")
    .description(
      "probe one endpoint and judge it by the rule catalog (exit 0 nothing failed, 1 a check failed, 2 nothing judged)",
    );
  registerProbeTls(probe, context);
  registerProbeMssql(probe, context);
  registerProbeWeb(probe, context);
  registerProbeTcp(probe, context);
  registerProbeOpcua(probe, context);
  return probe;
}
