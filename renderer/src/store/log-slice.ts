// The engine's log lines as they arrive (`log:line`), bounded so a long session cannot grow without end.
import type { StateCreator } from "zustand";
import type { LogLine } from "../../../shared/contract/schemas";
import type { AppState } from "./app-store";

export const MAX_LOG_LINES = 500;

export interface LogSlice {
  log: LogLine[];
  appendLog: (line: LogLine) => void;
}

export const createLogSlice: StateCreator<AppState, [], [], LogSlice> = (
  set,
) => ({
  log: [],
  appendLog: (line) =>
    set((state) => ({ log: [...state.log, line].slice(-MAX_LOG_LINES) })),
});
