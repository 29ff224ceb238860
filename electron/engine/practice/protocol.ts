// Messages between the app and the practice plant's own process (DESIGN §6: started by path —
// utilityProcess.fork in Electron, child_process.fork from the host and the CLI).

export const PRACTICE_PASSPHRASE = "practice-only";
export const PRACTICE_PASSPHRASE_VARIABLE = "CELLCERT_PRACTICE_PASSPHRASE";

export interface PracticeStartMessage {
  type: "start";
  /** Where the plant writes its plan, identities and CA. */
  dir: string;
  broken: boolean;
  /** Port bases tried in turn (ports are a base plus a fixed offset per service); absent: the plant's own list. */
  portBases?: readonly number[];
}

export interface PracticeStopMessage {
  type: "stop";
}

export type ToPracticePlant = PracticeStartMessage | PracticeStopMessage;

export type FromPracticePlant =
  | {
      type: "ready";
      planPath: string;
      servers: number;
      /** The practice TSA's URL, for signing in this session (the saved plan names no TSA). */
      timestampAuthority: string;
    }
  | { type: "stopped" }
  | { type: "failed"; message: string };

export function isFromPracticePlant(
  message: unknown,
): message is FromPracticePlant {
  return (
    typeof message === "object" &&
    message !== null &&
    "type" in message &&
    (message.type === "ready" ||
      message.type === "stopped" ||
      message.type === "failed")
  );
}
