// The `cellcert` command (DESIGN §8). Every command returns its exit code; usage errors are exit 2.
import { Command, CommanderError } from "commander";
import { PRODUCT_NAME } from "../../shared/product";
import { TOOL_VERSION } from "../engine/about";
import { isUserError } from "../engine/errors";
import { serve } from "./commands/serve";
import { ExitCode } from "./exit-codes";
import type { CliIo } from "./io";
import { parsePort } from "./options";

export async function runCli(
  argv: readonly string[],
  io: CliIo,
): Promise<ExitCode> {
  let exitCode: ExitCode = ExitCode.ok;
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

  program
    .command("serve")
    .description(
      "browser mode: the user interface on 127.0.0.1, opened with the printed address",
    )
    .option(
      "--port <n>",
      "port to listen on (default: any free port)",
      parsePort,
    )
    .option(
      "--host <address>",
      "address to listen on; only 127.0.0.1 is accepted",
    )
    .option(
      "--workspace <dir>",
      "folder for plans (default: Cellcert in your documents)",
    )
    .option("--open", "open the address in the default browser")
    .action(
      async (options: {
        port?: number;
        host?: string;
        workspace?: string;
        open?: boolean;
      }) => {
        exitCode = await serve(options, io);
      },
    );

  try {
    await program.parseAsync([...argv], { from: "user" });
    if (argv.length === 0) {
      program.outputHelp();
      return ExitCode.unjudged;
    }
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
