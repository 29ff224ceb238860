// Option values shared by the probe commands: HOST:PORT targets, secrets from the environment. Light on purpose:
// the command line is parsed with these before any command's code is loaded.
import { EMPTY_SECRET } from "../../shared/wording";
import { InvalidArgumentError } from "commander";
import { DEFAULT_OPCUA_PORT, isHost, isIPv6 } from "../../shared/model/net";
import type { OpcuaTarget } from "../engine/protocols/opcua/probe";
import { UserError } from "../engine/errors";
import { parsePort } from "./options";

export interface HostPort {
  host: string;
  port: number;
}

/** A server name (`--servername`): a DNS name or an IP literal, as a plan's; anything else is a usage error. */
export function parseServerName(text: string): string {
  if (!isHost(text))
    throw new InvalidArgumentError(
      `"${text}" is not a server name; give the DNS name the certificate must carry (or an IP address).`,
    );
  return text;
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
  // The usual mistakes, each said as it is: a URL, a host without its port, an IPv6 address without brackets.
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text))
    throw new InvalidArgumentError(
      `"${text}" is a URL; give the endpoint as HOST:PORT, e.g. mes01.plant.local:443.`,
    );
  if (isIPv6(text))
    throw new InvalidArgumentError(
      `"${text}" needs brackets: an IPv6 address goes in brackets before its port, e.g. [fd00::5]:443.`,
    );
  if (isHost(text))
    throw new InvalidArgumentError(
      `"${text}" has no port; give HOST:PORT, e.g. ${text}:443.`,
    );
  const colon = text.lastIndexOf(":");
  const host = text.slice(0, colon);
  if (colon < 0 || !isHost(host) || isIPv6(host)) {
    throw new InvalidArgumentError(
      `"${text}" is not HOST:PORT (an IPv6 address goes in brackets: [fd00::5]:443).`,
    );
  }
  return { host, port: parsePort(text.slice(colon + 1)) };
}

/**
 * "host:4840", "host:4840/UA/Server", "[fd00::5]:4840/path", or the URL as OPC UA tools show it,
 * "opc.tcp://host:4840/UA/Server"; without a port, 4840 (the IANA port for OPC UA).
 */
export function parseOpcuaTarget(text: string): Required<OpcuaTarget> {
  const value = text.trim().replace(/^opc\.tcp:\/\//i, "");
  const slash = value.startsWith("[")
    ? value.indexOf("/", value.indexOf("]"))
    : value.indexOf("/");
  const address = slash < 0 ? value : value.slice(0, slash);
  const path = slash < 0 ? "" : value.slice(slash);
  if (/\s/.test(path) || path.length > 1000) {
    throw new InvalidArgumentError(
      `"${path}" is not an endpoint path: it starts with "/" and has no spaces.`,
    );
  }
  const usage = `"${text}" is not HOST:PORT[/PATH] or opc.tcp://HOST:PORT/PATH (an IPv6 address goes in brackets: [fd00::5]:4840).`;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(address);
  let host: string;
  let portText: string | undefined;
  if (bracketed !== null) {
    host = bracketed[1] ?? "";
    portText = bracketed[2];
    if (!isIPv6(host)) throw new InvalidArgumentError(usage);
  } else {
    const colon = address.lastIndexOf(":");
    host = colon < 0 ? address : address.slice(0, colon);
    portText = colon < 0 ? undefined : address.slice(colon + 1);
    if (!isHost(host) || isIPv6(host)) throw new InvalidArgumentError(usage);
  }
  return {
    host,
    port: portText === undefined ? DEFAULT_OPCUA_PORT : parsePort(portText),
    path: path === "/" ? "" : path,
  };
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
  // One rule with the plan's secrets (secrets/vault.ts): an empty secret is not one, and the sentence says which.
  if (value === undefined || value === "") {
    throw new UserError(
      "unavailable",
      `The ${what} is read from the environment variable ${variable}, which is ${value === undefined ? "not set" : `${EMPTY_SECRET} (export a PKCS#12 file without a passphrase again with one)`}.`,
    );
  }
  return value;
}
