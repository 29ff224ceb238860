// Option values shared by the probe commands: HOST:PORT targets, secrets from the environment.
import { InvalidArgumentError } from "commander";
import { isHost, isIPv6 } from "../../shared/model/net";
import { UserError } from "../engine/errors";
import { parsePort } from "./options";

export interface HostPort {
  host: string;
  port: number;
}

/** "mes01.plant.local:443", "10.20.0.5:443", "[fd00::5]:443". A bad value is a usage error (exit 2). */
export function parseHostPort(text: string): HostPort {
  const bracketed = /^\[([^\]]+)\]:(\d+)$/.exec(text);
  if (bracketed !== null) {
    const host = bracketed[1] ?? "";
    if (!isIPv6(host))
      throw new InvalidArgumentError(`"${host}" is not an IPv6 address.`);
    return { host, port: parsePort(bracketed[2] ?? "") };
  }
  const colon = text.lastIndexOf(":");
  const host = text.slice(0, colon);
  if (colon < 0 || !isHost(host) || isIPv6(host)) {
    throw new InvalidArgumentError(
      `"${text}" is not HOST:PORT (an IPv6 address goes in brackets: [fd00::5]:443).`,
    );
  }
  return { host, port: parsePort(text.slice(colon + 1)) };
}

/** A host name or IP address, for commands that take ports separately. */
export function parseHost(text: string): string {
  const host = text.replace(/^\[(.*)\]$/, "$1");
  if (!isHost(host))
    throw new InvalidArgumentError(
      `"${text}" is not a host name or IP address.`,
    );
  return host;
}

/** Repeatable options: commander hands each value here. */
export function collect<T>(
  parse: (value: string) => T,
): (value: string, previous: T[] | undefined) => T[] {
  return (value, previous) => [...(previous ?? []), parse(value)];
}

/** A secret from the environment variable the user named (never from the command line). */
export function secretFromEnv(
  env: NodeJS.ProcessEnv,
  variable: string,
  what: string,
): string {
  const value = env[variable];
  if (value === undefined || value === "") {
    throw new UserError(
      "unavailable",
      `The ${what} is read from the environment variable ${variable}, which is not set.`,
    );
  }
  return value;
}
