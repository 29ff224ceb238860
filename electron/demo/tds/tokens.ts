// Token stream builders for the practice SQL Server (MS-TDS 2.2.7): just the tokens a login and the probe's
// queries need — LOGINACK, ENVCHANGE, INFO/ERROR, COLMETADATA, ROW, DONE and its in-procedure kin,
// RETURNSTATUS — in the exact byte layout tedious and other real clients parse.

export const Token = {
  RETURNSTATUS: 0x79,
  COLMETADATA: 0x81,
  ERROR: 0xaa,
  INFO: 0xab,
  LOGINACK: 0xad,
  ROW: 0xd1,
  ENVCHANGE: 0xe3,
  DONE: 0xfd,
  DONEPROC: 0xfe,
  DONEINPROC: 0xff,
} as const;

export const DoneStatus = {
  FINAL: 0x00,
  MORE: 0x01,
  ERROR: 0x02,
  COUNT: 0x10,
  ATTN: 0x20,
} as const;

/** CurCmd of a SELECT (MS-TDS 2.2.7.6). */
export const CMD_SELECT = 0xc1;

export const EnvChangeType = {
  DATABASE: 1,
  LANGUAGE: 2,
  PACKET_SIZE: 4,
  SQL_COLLATION: 7,
} as const;

/** Latin1_General_CI_AS as the 5 collation bytes SQL Server sends (LCID 0x0409, CI/AS flags, sort id 0). */
export const DEFAULT_COLLATION = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

const ucs2 = (text: string): Buffer => Buffer.from(text, "utf16le");

/** B_VARCHAR: a one-byte count of UCS-2 characters, then the characters (cut at 255). */
export function bVarChar(text: string): Buffer {
  const cut = text.slice(0, 255);
  return Buffer.concat([Buffer.from([cut.length]), ucs2(cut)]);
}

/** US_VARCHAR: a two-byte count of UCS-2 characters, then the characters. */
export function usVarChar(text: string): Buffer {
  const cut = text.slice(0, 65535);
  const length = Buffer.alloc(2);
  length.writeUInt16LE(cut.length, 0);
  return Buffer.concat([length, ucs2(cut)]);
}

/** A token with a two-byte length in front of its body. */
function lengthPrefixed(token: number, body: Buffer): Buffer {
  const head = Buffer.alloc(3);
  head.writeUInt8(token, 0);
  head.writeUInt16LE(body.length, 1);
  return Buffer.concat([head, body]);
}

export interface LoginAckFields {
  /** As LOGIN7 carries it, e.g. 0x74000004 for TDS 7.4. */
  tdsVersion: number;
  progName: string;
  version: { major: number; minor: number; build: number };
}

export function loginAck(fields: LoginAckFields): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt8(1, 0); // SQL_TSQL
  head.writeUInt32BE(fields.tdsVersion >>> 0, 1);
  const version = Buffer.from([
    fields.version.major & 0xff,
    fields.version.minor & 0xff,
    (fields.version.build >> 8) & 0xff,
    fields.version.build & 0xff,
  ]);
  return lengthPrefixed(
    Token.LOGINACK,
    Buffer.concat([head, bVarChar(fields.progName), version]),
  );
}

export function envChange(
  type: number,
  newValue: string,
  oldValue: string,
): Buffer {
  return lengthPrefixed(
    Token.ENVCHANGE,
    Buffer.concat([
      Buffer.from([type]),
      bVarChar(newValue),
      bVarChar(oldValue),
    ]),
  );
}

export function envChangeBytes(
  type: number,
  newValue: Uint8Array,
  oldValue: Uint8Array,
): Buffer {
  return lengthPrefixed(
    Token.ENVCHANGE,
    Buffer.concat([
      Buffer.from([type, newValue.length]),
      newValue,
      Buffer.from([oldValue.length]),
      oldValue,
    ]),
  );
}

export interface ServerMessage {
  number: number;
  state: number;
  /** Severity: 0–10 information, 11–16 user errors, 20+ fatal. */
  severity: number;
  text: string;
  serverName: string;
  procName?: string;
  line?: number;
}

function serverMessage(token: number, message: ServerMessage): Buffer {
  const head = Buffer.alloc(6);
  head.writeInt32LE(message.number, 0);
  head.writeUInt8(message.state & 0xff, 4);
  head.writeUInt8(message.severity & 0xff, 5);
  const line = Buffer.alloc(4);
  line.writeInt32LE(message.line ?? 1, 0);
  return lengthPrefixed(
    token,
    Buffer.concat([
      head,
      usVarChar(message.text),
      bVarChar(message.serverName),
      bVarChar(message.procName ?? ""),
      line,
    ]),
  );
}

export const errorToken = (message: ServerMessage): Buffer =>
  serverMessage(Token.ERROR, message);
export const infoToken = (message: ServerMessage): Buffer =>
  serverMessage(Token.INFO, message);

export function done(
  token: number,
  status: number,
  curCmd = 0,
  rowCount = 0,
): Buffer {
  const body = Buffer.alloc(13);
  body.writeUInt8(token, 0);
  body.writeUInt16LE(status, 1);
  body.writeUInt16LE(curCmd, 3);
  body.writeBigUInt64LE(BigInt(rowCount), 5);
  return body;
}

export function returnStatus(value: number): Buffer {
  const body = Buffer.alloc(5);
  body.writeUInt8(Token.RETURNSTATUS, 0);
  body.writeInt32LE(value, 1);
  return body;
}

export type ColumnType = "nvarchar" | "int";
export interface Column {
  name: string;
  type: ColumnType;
}
export type CellValue = string | number | null;

/** NVARCHAR(4000) and nullable INT: all the probe's queries need. */
export function colMetadata(columns: readonly Column[]): Buffer {
  const parts: Buffer[] = [Buffer.from([Token.COLMETADATA, 0, 0])];
  parts[0]?.writeUInt16LE(columns.length, 1);
  for (const column of columns) {
    const head = Buffer.alloc(6);
    head.writeUInt32LE(0, 0); // user type
    head.writeUInt16LE(0x0001, 4); // nullable
    parts.push(head);
    if (column.type === "nvarchar") {
      const info = Buffer.alloc(3);
      info.writeUInt8(0xe7, 0);
      info.writeUInt16LE(8000, 1);
      parts.push(info, DEFAULT_COLLATION);
    } else {
      parts.push(Buffer.from([0x26, 4])); // INTN(4)
    }
    parts.push(bVarChar(column.name));
  }
  return Buffer.concat(parts);
}

export function row(
  columns: readonly Column[],
  values: readonly CellValue[],
): Buffer {
  const parts: Buffer[] = [Buffer.from([Token.ROW])];
  columns.forEach((column, i) => {
    const value = values[i] ?? null;
    if (column.type === "nvarchar") {
      if (value === null) {
        parts.push(Buffer.from([0xff, 0xff]));
      } else {
        const data = ucs2(String(value).slice(0, 4000));
        const length = Buffer.alloc(2);
        length.writeUInt16LE(data.length, 0);
        parts.push(length, data);
      }
    } else if (value === null || typeof value !== "number") {
      parts.push(Buffer.from([0]));
    } else {
      const data = Buffer.alloc(5);
      data.writeUInt8(4, 0);
      data.writeInt32LE(value | 0, 1);
      parts.push(data);
    }
  });
  return Buffer.concat(parts);
}

/** One result set: COLMETADATA, the ROWs. */
export function resultSet(
  columns: readonly Column[],
  rows: readonly (readonly CellValue[])[],
): Buffer {
  return Buffer.concat([
    colMetadata(columns),
    ...rows.map((r) => row(columns, r)),
  ]);
}
