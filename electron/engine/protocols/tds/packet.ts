// TDS packet framing (MS-TDS 2.2.3): the 8-byte header, messages split over packets and put back together,
// every length checked before it is trusted. Used by the probe, the TLS tunnel and the practice server alike.

/** Packet types this code sends or accepts (MS-TDS 2.2.3.1.1). */
export const PacketType = {
  SQL_BATCH: 0x01,
  RPC: 0x03,
  TABULAR_RESULT: 0x04,
  ATTENTION: 0x06,
  BULK_LOAD: 0x07,
  FEDAUTH_TOKEN: 0x08,
  TRANSACTION_MANAGER: 0x0e,
  LOGIN7: 0x10,
  SSPI: 0x11,
  PRELOGIN: 0x12,
} as const;

const KNOWN_TYPES: ReadonlySet<number> = new Set(Object.values(PacketType));

export const HEADER_LENGTH = 8;
/** Status bit: the last packet of a message. */
export const STATUS_EOM = 0x01;
/** The largest packet MS-TDS allows. */
export const MAX_PACKET_LENGTH = 32767;
/** Packet size before LOGIN7 negotiates another one. */
export const DEFAULT_PACKET_SIZE = 4096;
/** A message larger than this is refused: no answer the probe reads comes anywhere near it. */
export const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

/** What went wrong on the wire, as the verdict sentences name it. */
export type TdsProblem =
  | "truncated"
  | "bad-length"
  | "wrong-type"
  | "too-large"
  | "malformed"
  | "tls-instead-of-tds";

/** The peer broke the protocol; `message` is a sentence a user can act on. */
export class TdsProtocolError extends Error {
  override readonly name = "TdsProtocolError";
  constructor(
    readonly problem: TdsProblem,
    message: string,
  ) {
    super(message);
  }
}

export interface PacketHeader {
  type: number;
  status: number;
  /** Whole packet, header included. */
  length: number;
  spid: number;
  packetId: number;
  window: number;
}

export interface TdsMessage {
  type: number;
  payload: Buffer;
}

/** True when the bytes look like a TLS record (handshake, alert, change cipher spec or data) rather than TDS. */
export function looksLikeTlsRecord(bytes: Uint8Array): boolean {
  const type = bytes[0];
  const major = bytes[1];
  return (
    type !== undefined &&
    type >= 0x14 &&
    type <= 0x17 &&
    (major === undefined || major === 0x03)
  );
}

const hex = (n: number): string =>
  `0x${n.toString(16).padStart(2, "0").toUpperCase()}`;

/** Reads and checks one header; throws TdsProtocolError on a length or type no TDS peer sends. */
export function decodeHeader(bytes: Uint8Array, offset = 0): PacketHeader {
  if (bytes.length - offset < HEADER_LENGTH) {
    throw new TdsProtocolError(
      "truncated",
      `the answer ended inside a TDS packet header (${bytes.length - offset} of ${HEADER_LENGTH} bytes)`,
    );
  }
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header: PacketHeader = {
    type: view.readUInt8(offset),
    status: view.readUInt8(offset + 1),
    length: view.readUInt16BE(offset + 2),
    spid: view.readUInt16BE(offset + 4),
    packetId: view.readUInt8(offset + 6),
    window: view.readUInt8(offset + 7),
  };
  if (looksLikeTlsRecord(view.subarray(offset))) {
    throw new TdsProtocolError(
      "tls-instead-of-tds",
      `the server answered with a TLS record (type ${hex(header.type)}) instead of a TDS packet`,
    );
  }
  if (!KNOWN_TYPES.has(header.type)) {
    throw new TdsProtocolError(
      "wrong-type",
      `the answer is not a TDS packet: packet type ${hex(header.type)} is not one MS-TDS defines`,
    );
  }
  if (header.length < HEADER_LENGTH || header.length > MAX_PACKET_LENGTH) {
    throw new TdsProtocolError(
      "bad-length",
      `a TDS packet header gives the length ${header.length}, outside ${HEADER_LENGTH}–${MAX_PACKET_LENGTH}`,
    );
  }
  return header;
}

export interface EncodeOptions {
  /** Whole packets, header included (512–32767); default 4096. */
  packetSize?: number;
  spid?: number;
  /** Extra status bits on every packet (e.g. reset connection); EOM is set on the last by itself. */
  status?: number;
}

/** One message as a run of packets, split at the packet size, EOM on the last. */
export function encodeMessage(
  type: number,
  payload: Uint8Array,
  options: EncodeOptions = {},
): Buffer {
  const packetSize = Math.min(
    MAX_PACKET_LENGTH,
    Math.max(512, options.packetSize ?? DEFAULT_PACKET_SIZE),
  );
  const room = packetSize - HEADER_LENGTH;
  const count = Math.max(1, Math.ceil(payload.length / room));
  const packets: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const piece = payload.subarray(i * room, (i + 1) * room);
    const packet = Buffer.alloc(HEADER_LENGTH + piece.length);
    packet.writeUInt8(type, 0);
    packet.writeUInt8(
      (options.status ?? 0) | (i === count - 1 ? STATUS_EOM : 0),
      1,
    );
    packet.writeUInt16BE(packet.length, 2);
    packet.writeUInt16BE(options.spid ?? 0, 4);
    packet.writeUInt8((i + 1) % 256, 6);
    packet.writeUInt8(0, 7);
    packet.set(piece, HEADER_LENGTH);
    packets.push(packet);
  }
  return Buffer.concat(packets);
}

export interface MessageReaderOptions {
  maxMessageBytes?: number;
}

/**
 * Puts messages back together from bytes as they arrive. `feed` returns the messages completed by the chunk
 * and throws TdsProtocolError as soon as the bytes cannot be TDS; `finish` says whether the stream ended
 * cleanly between messages.
 */
export class MessageReader {
  private pending: Buffer = Buffer.alloc(0);
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private partsType: number | null = null;
  private sawAnyByte = false;
  private readonly maxMessageBytes: number;

  constructor(options: MessageReaderOptions = {}) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  feed(chunk: Uint8Array): TdsMessage[] {
    if (chunk.length === 0) return [];
    if (!this.sawAnyByte && looksLikeTlsRecord(chunk)) {
      throw new TdsProtocolError(
        "tls-instead-of-tds",
        `the server answered with a TLS record (type ${hex(chunk[0] ?? 0)}) instead of a TDS packet`,
      );
    }
    this.sawAnyByte = true;
    this.pending =
      this.pending.length === 0
        ? Buffer.from(chunk)
        : Buffer.concat([this.pending, chunk]);
    const done: TdsMessage[] = [];
    // Each turn consumes one whole packet, so the loop ends with the bytes.
    while (this.pending.length >= HEADER_LENGTH) {
      const header = decodeHeader(this.pending);
      if (this.partsType !== null && header.type !== this.partsType) {
        throw new TdsProtocolError(
          "wrong-type",
          `a TDS message changed packet type from ${hex(this.partsType)} to ${hex(header.type)} before it ended`,
        );
      }
      if (this.pending.length < header.length) break;
      const body = this.pending.subarray(HEADER_LENGTH, header.length);
      this.pending = this.pending.subarray(header.length);
      this.partsBytes += body.length;
      if (this.partsBytes > this.maxMessageBytes) {
        throw new TdsProtocolError(
          "too-large",
          `a TDS message grew beyond ${this.maxMessageBytes} bytes without ending`,
        );
      }
      this.parts.push(body);
      this.partsType = header.type;
      if ((header.status & STATUS_EOM) !== 0) {
        done.push({ type: header.type, payload: Buffer.concat(this.parts) });
        this.parts = [];
        this.partsBytes = 0;
        this.partsType = null;
      }
    }
    return done;
  }

  /** Bytes received but not yet part of a finished message. */
  get buffered(): number {
    return this.pending.length + this.partsBytes;
  }

  /** Throws when the stream ended inside a packet or a message. */
  finish(): void {
    if (this.pending.length > 0) {
      const declared =
        this.pending.length >= 4 ? this.pending.readUInt16BE(2) : undefined;
      throw new TdsProtocolError(
        "truncated",
        declared === undefined
          ? `the connection closed inside a TDS packet header (${this.pending.length} of ${HEADER_LENGTH} bytes)`
          : `the connection closed inside a TDS packet (${this.pending.length} of the ${declared} bytes its header announced)`,
      );
    }
    if (this.partsType !== null) {
      throw new TdsProtocolError(
        "truncated",
        "the connection closed before the last packet of a TDS message (no end-of-message flag)",
      );
    }
  }
}
