// Option values shared by the probe commands: HOST:PORT targets, --ca files, secrets from the environment.
import { InvalidArgumentError } from "commander";
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
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

/** The PEM certificates of the --ca files, each file holding one or more. */
export async function readCaFiles(
  files: readonly string[],
  cwd: string,
): Promise<string[]> {
  const pems: string[] = [];
  for (const file of files) {
    const path = resolve(cwd, file);
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch {
      throw new UserError("not-found", `The CA file ${path} cannot be read.`);
    }
    const found =
      text.match(
        /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g,
      ) ?? [];
    if (found.length === 0)
      throw new UserError("invalid-input", `${path} holds no PEM certificate.`);
    pems.push(...found.map((pem) => `${pem}\n`));
  }
  return pems;
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
