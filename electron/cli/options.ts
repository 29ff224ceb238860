// Parsers for option values: meaning, not only shape (STYLE §6). A bad value is a usage error, exit 2.
import { InvalidArgumentError } from "commander";

export function parsePort(value: string): number {
  const port = Number(value);
  if (
    !/^\d+$/.test(value) ||
    !Number.isInteger(port) ||
    port < 1 ||
    port > 65535
  ) {
    throw new InvalidArgumentError(
      `"${value}" is not a port; give a whole number from 1 to 65535.`,
    );
  }
  return port;
}
