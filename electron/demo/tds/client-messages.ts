// What the practice SQL Server reads from a client: LOGIN7 (MS-TDS 2.2.6.4), SQL batches (2.2.6.7) and
// sp_executesql RPC requests (2.2.6.6), as far as recognising the probe's queries needs. Bounds are checked;
// a malformed message is an error the server answers by closing, never a crash.

export class ClientMessageError extends Error {
  override readonly name = "ClientMessageError";
}

export interface Login7 {
  tdsVersion: number;
  packetSize: number;
  hostName: string;
  userName: string;
  password: string;
  appName: string;
  serverName: string;
  libraryName: string;
  database: string;
}

/** Undo LOGIN7's password scrambling: XOR 0xA5, then swap the nibbles. */
function unscramble(bytes: Buffer): Buffer {
  const out = Buffer.alloc(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const x = (bytes[i] ?? 0) ^ 0xa5;
    out[i] = ((x & 0x0f) << 4) | (x >> 4);
  }
  return out;
}

export function parseLogin7(payload: Buffer): Login7 {
  if (payload.length < 94) {
    throw new ClientMessageError(
      `LOGIN7 is ${payload.length} bytes, too short`,
    );
  }
  const length = payload.readUInt32LE(0);
  if (length > payload.length) {
    throw new ClientMessageError("LOGIN7 announces more bytes than it carries");
  }
  const field = (at: number, scrambled = false): string => {
    const offset = payload.readUInt16LE(at);
    const chars = payload.readUInt16LE(at + 2);
    if (offset + chars * 2 > payload.length) {
      throw new ClientMessageError(
        `a LOGIN7 field at ${at} points beyond the message`,
      );
    }
    const raw = payload.subarray(offset, offset + chars * 2);
    return (scrambled ? unscramble(raw) : raw).toString("utf16le");
  };
  return {
    tdsVersion: payload.readUInt32LE(4),
    packetSize: payload.readUInt32LE(8),
    hostName: field(36),
    userName: field(40),
    password: field(44, true),
    appName: field(48),
    serverName: field(52),
    libraryName: field(60),
    database: field(68),
  };
}

/** Skips ALL_HEADERS (a total length that counts itself) at the start of a batch or RPC. */
function afterAllHeaders(payload: Buffer): number {
  if (payload.length < 4) throw new ClientMessageError("request too short");
  const total = payload.readUInt32LE(0);
  // Clients before TDS 7.2 send no ALL_HEADERS; a total that does not fit means there are none.
  if (total < 4 || total > payload.length || total > 1024) return 0;
  return total;
}

export function parseSqlBatch(payload: Buffer): string {
  const start = afterAllHeaders(payload);
  return payload.subarray(start).toString("utf16le");
}

/** sp_executesql's procedure id (MS-TDS 2.2.6.6). */
const SP_EXECUTESQL = 10;

/** The statement of an sp_executesql RPC, or null for any other procedure. */
export function parseRpcStatement(payload: Buffer): string | null {
  let at = afterAllHeaders(payload);
  const need = (n: number): void => {
    if (at + n > payload.length)
      throw new ClientMessageError("RPC request cut off");
  };
  need(2);
  const nameLength = payload.readUInt16LE(at);
  at += 2;
  if (nameLength === 0xffff) {
    need(2);
    const procId = payload.readUInt16LE(at);
    at += 2;
    if (procId !== SP_EXECUTESQL) return null;
  } else {
    need(nameLength * 2);
    const name = payload.subarray(at, at + nameLength * 2).toString("utf16le");
    at += nameLength * 2;
    if (name.toLowerCase() !== "sp_executesql") return null;
  }
  need(2);
  at += 2; // option flags
  // First parameter: the statement, NVARCHAR or NVARCHAR(MAX).
  need(1);
  const paramNameChars = payload.readUInt8(at);
  at += 1 + paramNameChars * 2;
  need(1 + 1 + 2 + 5);
  at += 1; // status flags
  const type = payload.readUInt8(at);
  at += 1;
  if (type !== 0xe7 && type !== 0xef) {
    throw new ClientMessageError(
      `sp_executesql statement of type 0x${type.toString(16)}`,
    );
  }
  const maxLength = payload.readUInt16LE(at);
  at += 2 + 5; // collation
  if (maxLength !== 0xffff) {
    need(2);
    const length = payload.readUInt16LE(at);
    at += 2;
    if (length === 0xffff) return "";
    need(length);
    return payload.subarray(at, at + length).toString("utf16le");
  }
  // PLP: total length (or "unknown"), then chunks until a zero-length one.
  need(8);
  at += 8;
  const chunks: Buffer[] = [];
  for (let i = 0; i < 4096; i++) {
    need(4);
    const chunk = payload.readUInt32LE(at);
    at += 4;
    if (chunk === 0) break;
    need(chunk);
    chunks.push(payload.subarray(at, at + chunk));
    at += chunk;
  }
  return Buffer.concat(chunks).toString("utf16le");
}
