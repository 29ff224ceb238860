// Parsers for option values: meaning, not only shape (STYLE §6). A bad value is a usage error, exit 2.
import { InvalidArgumentError } from "commander";
import { URL_PATH, URL_PATH_RULE } from "../../shared/model/net";

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

/** A path to request (`--path`), held to the plan's rule: a typo is a usage error, not a failing check. */
export function parseUrlPath(value: string): string {
  if (!URL_PATH.test(value) || value.length > 2000) {
    throw new InvalidArgumentError(
      `"${value}" is not a path to request: ${URL_PATH_RULE}; give one such as /Opcenter.`,
    );
  }
  return value;
}
