// Reads a server's first flight from raw bytes: TLS records (a handshake message may span records, a record may
// hold several messages), the ServerHello or HelloRetryRequest, an alert, an SSL 2.0 SERVER-HELLO, and — for
// TLS 1.2 and older, where they travel in clear — Certificate, ServerKeyExchange, CertificateRequest and
// ServerHelloDone. A pure function of the bytes received so far: call it again as more arrive. It never throws;
// anything that is not TLS comes back as `not-tls` with the reason.
import type { TlsProtocol } from "../../../../shared/catalog/thresholds";
import { EXTENSION, protocolOfVersion } from "./client-hello";
import { suiteByCode } from "../../../../shared/evidence/cipher-suites";

export interface TlsAlert {
  level: number;
  description: number;
  /** RFC 8446 §6 name, e.g. "protocol_version". */
  name: string;
}

export interface ServerHello {
  /** The version the server picked (supported_versions for TLS 1.3); null for one we do not know. */
  protocol: TlsProtocol | null;
  version: number;
  legacyVersion: number;
  suite: number;
  compression: number;
  helloRetryRequest: boolean;
  /** The key_share group (TLS 1.3), or the group a HelloRetryRequest asks for. */
  group: number | null;
  alpn: string | null;
  /** RFC 8446 §4.1.3: the server supports TLS 1.3 (or 1.2) but was offered less. */
  downgradeSentinel: "tls12" | "tls11" | null;
  extensions: number[];
}

export type ServerFlight =
  /** Not enough bytes yet to decide. */
  | { status: "incomplete"; received: number }
  | { status: "not-tls"; reason: string; received: number }
  | { status: "alert"; alert: TlsAlert; received: number }
  | {
      status: "server-hello";
      hello: ServerHello;
      /** TLS ≤ 1.2 only, when asked to read on: the certificates as sent, leaf first (DER). */
      certificates: Buffer[] | null;
      /** The server asked for a client certificate (TLS ≤ 1.2). */
      certificateRequest: boolean;
      /** DHE group size in bits, from ServerKeyExchange (TLS ≤ 1.2). */
      dhBits: number | null;
      /** An alert that came after the ServerHello. */
      alert: TlsAlert | null;
      /** Whether everything asked for was read (ServerHelloDone, or just the ServerHello). */
      complete: boolean;
      /** A handshake message larger than allowed was announced: its type and size. */
      oversized: { type: number; bytes: number } | null;
      received: number;
    }
  | {
      status: "sslv2-server-hello";
      ciphers: number[];
      certificate: Buffer | null;
      received: number;
    }
  | { status: "sslv2-error"; code: number; received: number };

export interface ReadOptions {
  /** Stop after the ServerHello (default), or read the TLS ≤ 1.2 flight up to ServerHelloDone. */
  until?: "server-hello" | "server-hello-done";
  /** Largest handshake message accepted (a Certificate message beyond it is reported as oversized). */
  maxMessageBytes?: number;
  /** An SSL 2.0 CLIENT-HELLO was sent, so an SSL 2.0 answer is expected. */
  sslv2?: boolean;
  /** No more bytes will come (the server closed, or time ran out): return what a partial flight holds. */
  final?: boolean;
}

export const ALERT_NAMES: Readonly<Record<number, string>> = {
  0: "close_notify",
  10: "unexpected_message",
  20: "bad_record_mac",
  21: "decryption_failed",
  22: "record_overflow",
  30: "decompression_failure",
  40: "handshake_failure",
  41: "no_certificate",
  42: "bad_certificate",
  43: "unsupported_certificate",
  44: "certificate_revoked",
  45: "certificate_expired",
  46: "certificate_unknown",
  47: "illegal_parameter",
  48: "unknown_ca",
  49: "access_denied",
  50: "decode_error",
  51: "decrypt_error",
  60: "export_restriction",
  70: "protocol_version",
  71: "insufficient_security",
  80: "internal_error",
  86: "inappropriate_fallback",
  90: "user_canceled",
  100: "no_renegotiation",
  109: "missing_extension",
  110: "unsupported_extension",
  112: "unrecognized_name",
  113: "bad_certificate_status_response",
  115: "unknown_psk_identity",
  116: "certificate_required",
  120: "no_application_protocol",
};

export function alertOf(level: number, description: number): TlsAlert {
  return {
    level,
    description,
    name: ALERT_NAMES[description] ?? `alert ${description}`,
  };
}

/** RFC 8446 §4.1.3: SHA-256 of "HelloRetryRequest". */
export const HELLO_RETRY_REQUEST_RANDOM = Buffer.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c",
  "hex",
);
const DOWNGRADE_TLS12 = Buffer.from("444f574e47524401", "hex");
const DOWNGRADE_TLS11 = Buffer.from("444f574e47524400", "hex");

const HANDSHAKE = {
  serverHello: 2,
  certificate: 11,
  serverKeyExchange: 12,
  certificateRequest: 13,
  serverHelloDone: 14,
} as const;

/** Largest TLS plaintext record plus expansion slack (RFC 8446 §5.2). */
const MAX_RECORD = 16_384 + 2_048;
const DEFAULT_MAX_MESSAGE = 128 * 1024;

class Short extends Error {}
class Malformed extends Error {}

/** A cursor over bytes that throws Short when it runs out and Malformed for impossible values. */
class Reader {
  offset = 0;
  constructor(readonly bytes: Buffer) {}
  get left(): number {
    return this.bytes.length - this.offset;
  }
  need(n: number): void {
    if (this.left < n) throw new Short();
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++] ?? 0;
  }
  u16(): number {
    this.need(2);
    const v = this.bytes.readUInt16BE(this.offset);
    this.offset += 2;
    return v;
  }
  u24(): number {
    this.need(3);
    const v = this.bytes.readUIntBE(this.offset, 3);
    this.offset += 3;
    return v;
  }
  take(n: number): Buffer {
    this.need(n);
    const v = this.bytes.subarray(this.offset, this.offset + n);
    this.offset += n;
    return v;
  }
}

/** Parses what a server sent so far. Never throws. */
export function readServerFlight(
  bytes: Buffer,
  options: ReadOptions = {},
): ServerFlight {
  const received = bytes.length;
  try {
    if (received === 0) return { status: "incomplete", received };
    const first = bytes[0] ?? 0;
    if (options.sslv2 === true && (first & 0x80) !== 0) return readSsl2(bytes);
    return readRecords(bytes, options);
  } catch (error) {
    if (error instanceof Short) return { status: "incomplete", received };
    const reason =
      error instanceof Malformed ? error.message : "unreadable TLS data";
    return { status: "not-tls", reason, received };
  }
}

function readRecords(bytes: Buffer, options: ReadOptions): ServerFlight {
  const received = bytes.length;
  const until = options.until ?? "server-hello";
  const maxMessage = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE;
  const reader = new Reader(bytes);
  // What the flight showed so far; an object, so the reading loop and the partial result share it.
  const seen: {
    hello: ServerHello | null;
    certificates: Buffer[] | null;
    certificateRequest: boolean;
    dhBits: number | null;
    oversized: { type: number; bytes: number } | null;
  } = {
    hello: null,
    certificates: null,
    certificateRequest: false,
    dhBits: null,
    oversized: null,
  };

  const result = (complete: boolean, alert: TlsAlert | null): ServerFlight => {
    if (seen.hello === null) throw new Short();
    return {
      status: "server-hello",
      hello: seen.hello,
      certificates: seen.certificates,
      certificateRequest: seen.certificateRequest,
      dhBits: seen.dhBits,
      alert,
      complete,
      oversized: seen.oversized,
      received,
    };
  };

  try {
    return readEachRecord();
  } catch (error) {
    if (error instanceof Short && seen.hello !== null && options.final === true)
      return result(false, null);
    throw error;
  }

  function readEachRecord(): ServerFlight {
    let handshake = Buffer.alloc(0);
    let consumed = 0; // bytes of `handshake` already parsed into messages
    for (;;) {
      // The record header decides at its first bytes whether this is TLS at all.
      const type = reader.u8();
      if (type < 0x14 || type > 0x17)
        throw new Malformed(
          `the first byte 0x${hex2(type)} starts no TLS record`,
        );
      const major = reader.u8();
      if (major !== 0x03)
        throw new Malformed(
          `record version ${hex2(major)}.x is not SSL 3.0 or TLS`,
        );
      const minor = reader.u8();
      if (minor > 0x04)
        throw new Malformed(`record version 3.${minor} is not SSL 3.0 or TLS`);
      const length = reader.u16();
      if (length === 0 || length > MAX_RECORD)
        throw new Malformed(`a record of ${length} bytes is not valid TLS`);
      const fragment = reader.take(length);

      if (type === 0x15) {
        if (length !== 2) throw new Malformed("an alert record is not 2 bytes");
        const alert = alertOf(fragment[0] ?? 0, fragment[1] ?? 0);
        if (seen.hello === null) return { status: "alert", alert, received };
        return result(true, alert);
      }
      if (type === 0x14) {
        // ChangeCipherSpec: TLS 1.3 middlebox compatibility, after the ServerHello.
        if (seen.hello === null)
          throw new Malformed("ChangeCipherSpec before any ServerHello");
        continue;
      }
      if (type === 0x17) {
        if (seen.hello === null)
          throw new Malformed("application data before any ServerHello");
        return result(true, null);
      }
      handshake = Buffer.concat([handshake, fragment]);

      // Every complete handshake message in the stream so far.
      while (handshake.length - consumed >= 4) {
        const messageType = handshake[consumed] ?? 0;
        const messageLength = handshake.readUIntBE(consumed + 1, 3);
        if (seen.hello !== null && messageLength > maxMessage) {
          seen.oversized = { type: messageType, bytes: messageLength };
          return result(false, null);
        }
        if (seen.hello === null && messageType !== HANDSHAKE.serverHello) {
          if (messageType === 0 && messageLength === 0) {
            consumed += 4; // HelloRequest: ignored
            continue;
          }
          throw new Malformed(
            `the server's first handshake message is type ${messageType}, not a ServerHello`,
          );
        }
        if (seen.hello === null && messageLength > 65_535)
          throw new Malformed("a ServerHello longer than 64 KiB");
        if (handshake.length - consumed - 4 < messageLength) break;
        const body = handshake.subarray(
          consumed + 4,
          consumed + 4 + messageLength,
        );
        consumed += 4 + messageLength;

        if (seen.hello === null) {
          const hello = parseServerHello(body);
          seen.hello = hello;
          if (
            until === "server-hello" ||
            hello.helloRetryRequest ||
            hello.version >= 0x0304
          )
            return result(true, null);
          continue;
        }
        switch (messageType) {
          case HANDSHAKE.certificate:
            seen.certificates = parseCertificateList(body);
            break;
          case HANDSHAKE.serverKeyExchange:
            seen.dhBits = dhBitsOf(body, seen.hello.suite);
            break;
          case HANDSHAKE.certificateRequest:
            seen.certificateRequest = true;
            break;
          case HANDSHAKE.serverHelloDone:
            return result(true, null);
          default:
            break;
        }
      }
    }
  }
}

const hex2 = (n: number): string => n.toString(16).padStart(2, "0");

function parseServerHello(body: Buffer): ServerHello {
  const reader = new Reader(body);
  const wrap = <T>(read: () => T): T => {
    try {
      return read();
    } catch (error) {
      if (error instanceof Short)
        throw new Malformed("a truncated ServerHello");
      throw error;
    }
  };
  return wrap(() => {
    const legacyVersion = reader.u16();
    if (legacyVersion < 0x0300 || legacyVersion > 0x0304)
      throw new Malformed(
        `ServerHello version 0x${legacyVersion.toString(16)}`,
      );
    const random = reader.take(32);
    const sessionIdLength = reader.u8();
    if (sessionIdLength > 32) throw new Malformed("a session id over 32 bytes");
    reader.take(sessionIdLength);
    const suite = reader.u16();
    const compression = reader.u8();
    const extensions: number[] = [];
    let version = legacyVersion;
    let group: number | null = null;
    let alpn: string | null = null;
    const helloRetryRequest = random.equals(HELLO_RETRY_REQUEST_RANDOM);
    if (reader.left > 0) {
      const total = reader.u16();
      const block = new Reader(reader.take(total));
      while (block.left > 0) {
        const type = block.u16();
        const data = new Reader(block.take(block.u16()));
        extensions.push(type);
        if (type === EXTENSION.supportedVersions && data.left >= 2)
          version = data.u16();
        else if (type === EXTENSION.keyShare && data.left >= 2)
          group = data.u16();
        else if (type === EXTENSION.alpn && data.left >= 3) {
          data.u16();
          alpn = data.take(data.u8()).toString("ascii");
        }
      }
    }
    const tail = random.subarray(24);
    const downgradeSentinel = tail.equals(DOWNGRADE_TLS12)
      ? "tls12"
      : tail.equals(DOWNGRADE_TLS11)
        ? "tls11"
        : null;
    return {
      protocol: protocolOfVersion(version),
      version,
      legacyVersion,
      suite,
      compression,
      helloRetryRequest,
      group,
      alpn,
      downgradeSentinel: helloRetryRequest ? null : downgradeSentinel,
      extensions,
    };
  });
}

function parseCertificateList(body: Buffer): Buffer[] {
  const reader = new Reader(body);
  try {
    const total = reader.u24();
    const list = new Reader(reader.take(total));
    const certificates: Buffer[] = [];
    while (list.left > 0) certificates.push(Buffer.from(list.take(list.u24())));
    return certificates;
  } catch {
    throw new Malformed("a Certificate message that does not add up");
  }
}

/** DHE_* suites: ServerKeyExchange starts with dh_p; its length is the group size. */
function dhBitsOf(body: Buffer, suite: number): number | null {
  const info = suiteByCode(suite);
  if (info === undefined || !/^DHE?$/.test(info.keyExchange)) return null;
  if (body.length < 2) return null;
  const length = body.readUInt16BE(0);
  const p = body.subarray(2, 2 + length);
  let leading = 0;
  while (leading < p.length && p[leading] === 0) leading++;
  const top = p[leading];
  if (top === undefined) return 0;
  return (p.length - leading - 1) * 8 + (32 - Math.clz32(top));
}

/** SSL 2.0: [len | 0x8000][type]…; SERVER-HELLO is type 4, ERROR type 0. */
function readSsl2(bytes: Buffer): ServerFlight {
  const received = bytes.length;
  const reader = new Reader(bytes);
  const header = reader.u16();
  const length = header & 0x7fff;
  if (length < 1) throw new Malformed("an empty SSL 2.0 record");
  const body = new Reader(reader.take(length));
  try {
    const type = body.u8();
    if (type === 0) {
      return {
        status: "sslv2-error",
        code: body.left >= 2 ? body.u16() : 0,
        received,
      };
    }
    if (type !== 4) throw new Malformed(`SSL 2.0 message type ${type}`);
    body.u8(); // session id hit
    body.u8(); // certificate type
    const version = body.u16();
    if (version !== 0x0002)
      throw new Malformed(`SSL 2.0 server version 0x${version.toString(16)}`);
    const certificateLength = body.u16();
    const specsLength = body.u16();
    const connectionIdLength = body.u16();
    const certificate = body.take(certificateLength);
    const specs = body.take(specsLength);
    body.take(connectionIdLength);
    if (specsLength % 3 !== 0)
      throw new Malformed("SSL 2.0 cipher specs not in threes");
    const ciphers: number[] = [];
    for (let i = 0; i < specs.length; i += 3)
      ciphers.push(specs.readUIntBE(i, 3));
    return {
      status: "sslv2-server-hello",
      ciphers,
      certificate: certificateLength > 0 ? Buffer.from(certificate) : null,
      received,
    };
  } catch (error) {
    if (error instanceof Short)
      throw new Malformed("a truncated SSL 2.0 SERVER-HELLO");
    throw error;
  }
}
