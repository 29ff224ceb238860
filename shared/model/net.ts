// Host names, IP literals and networks, checked without Node's `net` so the renderer validates the same way.

const IPV4_OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${IPV4_OCTET}(\\.${IPV4_OCTET}){3}$`);

export function isIPv4(text: string): boolean {
  return IPV4.test(text);
}

/** IPv6 in its textual forms (RFC 4291 §2.2), with an optional embedded IPv4 tail; no zone id, no brackets. */
export function isIPv6(text: string): boolean {
  return parseIPv6(text) !== null;
}

export function isIpLiteral(text: string): boolean {
  return isIPv4(text) || isIPv6(text);
}

/** Whether a name goes into a ClientHello as SNI: IP literals never do (RFC 6066 §3), nor "". */
export function sendsServerName(name: string): boolean {
  return name !== "" && !isIpLiteral(name.replace(/^\[(.*)\]$/, "$1"));
}

/** A DNS host name (RFC 1123): labels of letters, digits and inner hyphens, at most 253 characters. */
export function isDnsName(text: string): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const name = text.endsWith(".") ? text.slice(0, -1) : text;
  const labels = name.split(".");
  if (labels.every((label) => /^\d+$/.test(label))) return false; // all-numeric: a malformed IPv4, not a name
  return labels.every((label) =>
    /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/i.test(label),
  );
}

/** What the plan accepts as a host: a DNS name or an IP literal. */
export function isHost(text: string): boolean {
  return isIpLiteral(text) || isDnsName(text);
}

/** The IANA port of OPC UA binary (opc.tcp): where a server listens when its address names no port. */
export const DEFAULT_OPCUA_PORT = 4840;

/** "host:port" with IPv6 in brackets, as the CLI and messages write it. */
export function formatHostPort(host: string, port: number): string {
  return isIPv6(host) ? `[${host}]:${port}` : `${host}:${port}`;
}

/** The Host header's value: the name, IPv6 in brackets, with the port unless it is the scheme's own. */
export function hostHeaderFor(
  scheme: "http" | "https",
  serverName: string,
  port: number,
): string {
  const name = isIPv6(serverName) ? `[${serverName}]` : serverName;
  return port === (scheme === "https" ? 443 : 80) ? name : `${name}:${port}`;
}

/** The address of one path as requested and as sentences name it: https://mes01.plant.local:8443/Opcenter. */
export function webAddress(
  scheme: "http" | "https",
  serverName: string,
  port: number,
  path: string,
): string {
  return `${scheme}://${hostHeaderFor(scheme, serverName, port)}${path}`;
}

/** A path to request: it starts with "/" and has no spaces (the plan's rule, and `--path`'s). */
export const URL_PATH = /^\/[^\s]*$/;
export const URL_PATH_RULE = 'a path starts with "/" and has no spaces';

export interface Network {
  family: 4 | 6;
  /** The address as 4 or 16 bytes. */
  bytes: number[];
  prefix: number;
}

/** "10.20.0.0/24" or "fd00::/64"; null when it is not a network. */
export function parseCidr(text: string): Network | null {
  const slash = text.indexOf("/");
  if (slash < 0) return null;
  const address = text.slice(0, slash);
  const prefixText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  const bytes = addressBytes(address);
  if (bytes === null) return null;
  const family = bytes.length === 4 ? 4 : 6;
  if (prefix > bytes.length * 8) return null;
  return { family, bytes, prefix };
}

export function isCidr(text: string): boolean {
  return parseCidr(text) !== null;
}

/** Whether an IP address lies in a network; false for anything unparsable or of the other family. */
export function addressInNetwork(address: string, network: Network): boolean {
  const bytes = addressBytes(address);
  if (bytes?.length !== network.bytes.length) return false;
  let bits = network.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[i] ?? 0) & mask) !== ((network.bytes[i] ?? 0) & mask))
      return false;
  }
  return true;
}

/** Whether two networks share an address: same family, and equal over the shorter of the two prefixes. */
export function networksOverlap(a: Network, b: Network): boolean {
  if (a.family !== b.family) return false;
  let bits = Math.min(a.prefix, b.prefix);
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((a.bytes[i] ?? 0) & mask) !== ((b.bytes[i] ?? 0) & mask)) return false;
  }
  return true;
}

/** 4 bytes for IPv4, 16 for IPv6 (IPv4-mapped IPv6 stays 16), null otherwise. */
export function addressBytes(address: string): number[] | null {
  if (isIPv4(address)) return address.split(".").map(Number);
  return parseIPv6(address);
}

function parseIPv6(text: string): number[] | null {
  if (text.length < 2 || text.length > 45 || !/^[0-9a-f:.]+$/i.test(text))
    return null;
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parseGroups = (part: string): number[] | null => {
    if (part === "") return [];
    const groups = part.split(":");
    const words: number[] = [];
    for (const [index, group] of groups.entries()) {
      if (index === groups.length - 1 && group.includes(".")) {
        if (!isIPv4(group)) return null;
        const [a = 0, b = 0, c = 0, d = 0] = group.split(".").map(Number);
        words.push((a << 8) | b, (c << 8) | d);
      } else if (/^[0-9a-f]{1,4}$/i.test(group)) {
        words.push(parseInt(group, 16));
      } else {
        return null;
      }
    }
    return words;
  };
  const head = parseGroups(halves[0] ?? "");
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? "") : [];
  if (head === null || tail === null) return null;
  if (halves.length === 1 && head.length !== 8) return null;
  if (halves.length === 2 && head.length + tail.length > 7) return null;
  const words = [
    ...head,
    ...Array<number>(8 - head.length - tail.length).fill(0),
    ...tail,
  ];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}
