// `cellcert probe …`: one endpoint at a time, from where the laptop stands (DESIGN §8).
import type { Command } from "commander";
import type { CommandContext } from "../command-context";
import { registerProbeMssql } from "./probe-mssql";

export function registerProbe(
  program: Command,
  context: CommandContext,
): Command {
  const probe = program
    .command("probe")
    .description(
      "probe one endpoint and judge it by the rule catalog (exit 0 nothing failed, 1 a check failed, 2 nothing judged)",
    );
  registerProbeMssql(probe, context);
  return probe;
}
