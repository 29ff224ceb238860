// Log lines go to the event hub (the UI shows them) and to stderr when asked.
import type { LogLine } from "../../shared/contract/schemas";
import type { EventHub } from "./events";

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export function createLogger(
  hub: EventHub,
  options: { echo?: (line: LogLine) => void } = {},
): Logger {
  const write = (level: LogLine["level"], message: string): void => {
    const line: LogLine = { level, message, time: new Date().toISOString() };
    options.echo?.(line);
    hub.emit("log:line", line);
  };
  return {
    info: (message) => write("info", message),
    warn: (message) => write("warn", message),
    error: (message) => write("error", message),
  };
}
