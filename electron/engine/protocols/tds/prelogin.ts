// The PRELOGIN payload (MS-TDS 2.2.6.5): a table of (token, offset, length) entries ended by 0xFF, then the
// data. Built by the probe and the practice server; parsed with every offset and length checked.
import { TdsProtocolError } from "./packet";

export const PreloginOption = {
  VERSION: 0x00,
  ENCRYPTION: 0x01,
  INSTOPT: 0x02,
  THREADID: 0x03,
  MARS: 0x04,
  TRACEID: 0x05,
  FEDAUTHREQUIRED: 0x06,
  NONCEOPT: 0x07,
  TERMINATOR: 0xff,
} as const;

/** ENCRYPTION values; 0x80 is OR-ed in when a client certificate is involved. */
export const Encryption = {
  OFF: 0x00,
  ON: 0x01,
  NOT_SUP: 0x02,
  REQ: 0x03,
} as const;
export const ENCRYPT_CLIENT_CERT = 0x80;

export type EncryptionWord = "off" | "on" | "not-supported" | "required";

/** The word for an ENCRYPTION byte, or null for a value MS-TDS does not define. */
export function encryptionWord(value: number): EncryptionWord | null {
  switch (value & ~ENCRYPT_CLIENT_CERT) {
    case Encryption.OFF:
      return "off";
    case Encryption.ON:
      return "on";
    case Encryption.NOT_SUP:
      return "not-supported";
    case Encryption.REQ:
      return "required";
    default:
      return null;
  }
}

export function encryptionByte(word: EncryptionWord): number {
  switch (word) {
    case "off":
      return Encryption.OFF;
    case "on":
      return Encryption.ON;
    case "not-supported":
      return Encryption.NOT_SUP;
    case "required":
      return Encryption.REQ;
  }
}

export interface PreloginVersion {
  major: number;
  minor: number;
  build: number;
  subbuild: number;
}

export interface PreloginOptionEntry {
  token: number;
  offset: number;
  length: number;
}

export interface Prelogin {
  version: PreloginVersion | null;
  /** The raw ENCRYPTION byte, or null when the option is missing. */
  encryption: number | null;
  /** INSTOPT up to its NUL, read as Latin-1. */
  instance: string | null;
  threadId: number | null;
  mars: number | null;
  fedAuthRequired: number | null;
  /** The option table as found, for the evidence. */
  options: PreloginOptionEntry[];
}

export interface PreloginFields {
  version: PreloginVersion;
  encryption: number;
  /** Instance name to validate, or "" (a lone NUL). */
  instance?: string;
  threadId?: number;
  mars?: number;
  /** Extra options a hostile test server may add, raw. */
  extra?: { token: number; data: Uint8Array }[];
}

/** A PRELOGIN payload with VERSION, ENCRYPTION, INSTOPT, THREADID and MARS. */
export function buildPrelogin(fields: PreloginFields): Buffer {
  const version = Buffer.alloc(6);
  version.writeUInt8(fields.version.major & 0xff, 0);
  version.writeUInt8(fields.version.minor & 0xff, 1);
  version.writeUInt16BE(fields.version.build & 0xffff, 2);
  version.writeUInt16BE(fields.version.subbuild & 0xffff, 4);
  const threadId = Buffer.alloc(4);
  threadId.writeUInt32BE((fields.threadId ?? 0) >>> 0, 0);
  const entries: { token: number; data: Uint8Array }[] = [
    { token: PreloginOption.VERSION, data: version },
    {
      token: PreloginOption.ENCRYPTION,
      data: Buffer.from([fields.encryption & 0xff]),
    },
    {
      token: PreloginOption.INSTOPT,
      data: Buffer.concat([
        Buffer.from(fields.instance ?? "", "latin1"),
        Buffer.from([0]),
      ]),
    },
    { token: PreloginOption.THREADID, data: threadId },
    { token: PreloginOption.MARS, data: Buffer.from([fields.mars ?? 0]) },
    ...(fields.extra ?? []),
  ];
  const tableLength = entries.length * 5 + 1;
  const dataLength = entries.reduce((sum, e) => sum + e.data.length, 0);
  const payload = Buffer.alloc(tableLength + dataLength);
  let entryAt = 0;
  let dataAt = tableLength;
  for (const entry of entries) {
    payload.writeUInt8(entry.token, entryAt);
    payload.writeUInt16BE(dataAt, entryAt + 1);
    payload.writeUInt16BE(entry.data.length, entryAt + 3);
    payload.set(entry.data, dataAt);
    entryAt += 5;
    dataAt += entry.data.length;
  }
  payload.writeUInt8(PreloginOption.TERMINATOR, entryAt);
  return payload;
}

/** More entries than this is not a PRELOGIN table (MS-TDS defines eight options). */
const MAX_OPTIONS = 32;

const OPTION_NAMES: Record<number, string> = {
  0x00: "VERSION",
  0x01: "ENCRYPTION",
  0x02: "INSTOPT",
  0x03: "THREADID",
  0x04: "MARS",
  0x05: "TRACEID",
  0x06: "FEDAUTHREQUIRED",
  0x07: "NONCEOPT",
};
const optionName = (token: number): string =>
  OPTION_NAMES[token] ?? `0x${token.toString(16).padStart(2, "0")}`;

const malformed = (detail: string): TdsProtocolError =>
  new TdsProtocolError(
    "malformed",
    `the PRELOGIN answer is malformed: ${detail}`,
  );

/** Minimum data length of the options the probe reads. */
const MIN_LENGTH: Record<number, number> = {
  [PreloginOption.VERSION]: 6,
  [PreloginOption.ENCRYPTION]: 1,
  [PreloginOption.MARS]: 1,
  [PreloginOption.FEDAUTHREQUIRED]: 1,
};

/** Parses a PRELOGIN payload; throws TdsProtocolError with the exact fault, never reads out of bounds. */
export function parsePrelogin(payload: Uint8Array): Prelogin {
  const bytes = Buffer.from(
    payload.buffer,
    payload.byteOffset,
    payload.byteLength,
  );
  if (bytes.length === 0) throw malformed("it is empty");
  const options: PreloginOptionEntry[] = [];
  let at = 0;
  let terminated = false;
  while (options.length <= MAX_OPTIONS) {
    if (at >= bytes.length) {
      throw malformed(
        "its option table runs past the end without the 0xFF terminator",
      );
    }
    const token = bytes.readUInt8(at);
    if (token === PreloginOption.TERMINATOR) {
      terminated = true;
      break;
    }
    if (at + 5 > bytes.length) {
      throw malformed(
        `option ${optionName(token)} is cut off inside the option table`,
      );
    }
    options.push({
      token,
      offset: bytes.readUInt16BE(at + 1),
      length: bytes.readUInt16BE(at + 3),
    });
    at += 5;
  }
  if (!terminated) {
    throw malformed(`its option table has more than ${MAX_OPTIONS} entries`);
  }
  const dataStart = at + 1;
  const seen = new Set<number>();
  for (const option of options) {
    const name = optionName(option.token);
    if (seen.has(option.token)) throw malformed(`option ${name} appears twice`);
    seen.add(option.token);
    if (option.offset + option.length > bytes.length) {
      throw malformed(
        `option ${name} points at bytes ${option.offset}–${option.offset + option.length - 1}, beyond the ${bytes.length} bytes of the answer`,
      );
    }
    if (option.length > 0 && option.offset < dataStart) {
      throw malformed(
        `option ${name} points at offset ${option.offset}, inside the option table that ends at ${dataStart}`,
      );
    }
    const minimum = MIN_LENGTH[option.token];
    if (minimum !== undefined && option.length < minimum) {
      throw malformed(
        `option ${name} is ${option.length} bytes long, it needs ${minimum}`,
      );
    }
  }
  const find = (token: number): PreloginOptionEntry | undefined =>
    options.find((o) => o.token === token);

  const versionEntry = find(PreloginOption.VERSION);
  const encryptionEntry = find(PreloginOption.ENCRYPTION);
  const instanceEntry = find(PreloginOption.INSTOPT);
  const threadEntry = find(PreloginOption.THREADID);
  const marsEntry = find(PreloginOption.MARS);
  const fedAuthEntry = find(PreloginOption.FEDAUTHREQUIRED);

  let instance: string | null = null;
  if (instanceEntry !== undefined) {
    const raw = bytes.subarray(
      instanceEntry.offset,
      instanceEntry.offset + instanceEntry.length,
    );
    const nul = raw.indexOf(0);
    instance = raw
      .subarray(0, nul === -1 ? raw.length : nul)
      .toString("latin1");
  }

  return {
    version:
      versionEntry === undefined
        ? null
        : {
            major: bytes.readUInt8(versionEntry.offset),
            minor: bytes.readUInt8(versionEntry.offset + 1),
            build: bytes.readUInt16BE(versionEntry.offset + 2),
            subbuild: bytes.readUInt16BE(versionEntry.offset + 4),
          },
    encryption:
      encryptionEntry === undefined
        ? null
        : bytes.readUInt8(encryptionEntry.offset),
    instance,
    threadId:
      threadEntry === undefined || threadEntry.length < 4
        ? null
        : bytes.readUInt32BE(threadEntry.offset),
    mars: marsEntry === undefined ? null : bytes.readUInt8(marsEntry.offset),
    fedAuthRequired:
      fedAuthEntry === undefined ? null : bytes.readUInt8(fedAuthEntry.offset),
    options,
  };
}

/** "16.0.1000" (with ".N" when the sub-build is not 0). */
export function versionText(version: PreloginVersion): string {
  const base = `${version.major}.${version.minor}.${version.build}`;
  return version.subbuild === 0 ? base : `${base}.${version.subbuild}`;
}

/** SQL Server's product name for a major (and minor) version, e.g. "SQL Server 2022"; "" when unknown. */
export function productName(major: number, minor = 0): string {
  const names: Record<number, string> = {
    8: "SQL Server 2000",
    9: "SQL Server 2005",
    10: minor >= 50 ? "SQL Server 2008 R2" : "SQL Server 2008",
    11: "SQL Server 2012",
    12: "SQL Server 2014",
    13: "SQL Server 2016",
    14: "SQL Server 2017",
    15: "SQL Server 2019",
    16: "SQL Server 2022",
    17: "SQL Server 2025",
  };
  return names[major] ?? "";
}
