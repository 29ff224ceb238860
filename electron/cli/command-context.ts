// What a command's registration gets: the world it may touch, and where to leave its exit code.
import type { ExitCode } from "./exit-codes";
import type { CliIo } from "./io";

export interface CommandContext {
  io: CliIo;
  setExitCode: (code: ExitCode) => void;
}
