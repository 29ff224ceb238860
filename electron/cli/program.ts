// The `cellcert` command (DESIGN §8). Every command is declared in ./declarations and its code loaded only when it
// runs (DESIGN §6); every command leaves an exit code, and usage errors are exit 2.
import { Command, CommanderError } from "commander";
import { PRODUCT_NAME } from "../../shared/product";
import { TOOL_VERSION } from "../engine/about";
import { isUserError } from "../engine/errors";
import type { CommandContext } from "./command-context";
import { declareCommands } from "./declarations";
import { ExitCode } from "./exit-codes";
import { visibleIo, type CliIo } from "./io";

export async function runCli(
  argv: readonly string[],
  terminal: CliIo,
): Promise<ExitCode> {
  // Every line any command prints passes one filter: text from the network cannot drive the terminal.
  const io = visibleIo(terminal);
  let exitCode: ExitCode = ExitCode.ok;
  const context: CommandContext = {
    io,
    setExitCode: (code) => {
      exitCode = code;
    },
  };
  const program = new Command("cellcert")
    .description(
      `${PRODUCT_NAME}: commission the security cells of a manufacturing plant and sign the certificate.`,
    )
    .version(TOOL_VERSION, "-V, --version", "print the version")
    .helpOption("-h, --help", "show help for a command")
    .showHelpAfterError("(add --help for usage)")
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
    })
    .exitOverride();

  declareCommands(program, context);

  try {
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.unjudged;
    }
    await program.parseAsync([...argv], { from: "user" });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end with code 0; everything else commander throws is a usage error.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.unjudged;
    }
    if (isUserError(error)) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }
}
