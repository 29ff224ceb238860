// The certificates exactly as the server sent them in the handshake Node's TLS client made, and its OCSP staple:
// read from the server's own records, because Node's getPeerCertificate(true) rebuilds the chain (it reorders,
// drops duplicates and extras, and may add a root from its store). A tap between the transport and node:tls
// keeps the bytes the server sends (bounded); TLS 1.2 sends its Certificate message in clear, TLS 1.3 encrypts
// it under the server handshake traffic secret, which Node hands its own client through the `keylog` event —
// kept in memory for this one connection, never written anywhere. Nothing is sent that the client would not
// send anyway.
import { createDecipheriv, createHmac } from "node:crypto";
import { Duplex } from "node:stream";
import type { TLSSocket } from "node:tls";

/** What the server's records showed. */
export interface SentFlight {
  /** DER, in the order of its Certificate message; null when it could not be read. */
  certificates: Buffer[] | null;
  /** The OCSP response stapled in the Certificate message (TLS 1.3) or CertificateStatus (TLS 1.2). */
  staple: Buffer | null;
  /**
   * Whether the handshake carried a CertificateRequest (in clear in TLS 1.2, decrypted in TLS 1.3); null when
   * the flight was not read far enough to tell.
   */
  certificateRequested: boolean | null;
  /** Whether a ServerHello (or HelloRetryRequest) came at all. */
  sawServerHello: boolean;
}

/** Most server bytes kept: a Certificate message over 100 KiB is refused by clients anyway. */
const MAX_KEPT = 256 * 1024;

/**
 * Passes bytes between node:tls and a transport, keeping what the server sends during the handshake, and
 * following the server's record headers after it: a handshake record once the handshake is done is a request for
 * a new one (TLS 1.2 HelloRequest — how IIS and Apache ask for a client certificate per path). TLS 1.3 hides
 * every record type after the ServerHello, so there it is never seen.
 */
export class ServerFlightTap extends Duplex {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private established = false;
  private renegotiation = false;
  /** The record header being read (up to 5 bytes), and what is left of the current record's body. */
  private header = Buffer.alloc(0);
  private bodyLeft = 0;

  constructor(private readonly inner: Duplex) {
    super();
    inner.on("data", (chunk: Buffer) => {
      if (this.kept < MAX_KEPT) {
        this.chunks.push(chunk);
        this.kept += chunk.length;
      }
      this.follow(chunk);
      if (!this.push(chunk)) inner.pause();
    });
    inner.on("end", () => this.push(null));
    inner.on("error", (error) => this.destroy(error));
    // The transport's own listeners report its errors; a copy carried here after the TLS socket is gone is not
    // left unhandled.
    this.on("error", () => undefined);
    inner.on("close", () => this.destroy());
  }

  /** Everything the server sent so far (up to the bound). */
  received(): Buffer {
    return Buffer.concat(this.chunks);
  }

  /** The handshake is done: stop keeping bytes, and from here on watch for a request to renegotiate. */
  release(): void {
    this.kept = MAX_KEPT;
    this.chunks.length = 0;
    this.established = true;
  }

  /** Whether the server sent a handshake record after the handshake (a TLS 1.2 HelloRequest). */
  renegotiationRequested(): boolean {
    return this.renegotiation;
  }

  /** Walks record boundaries across chunks, keeping nothing but a partial header. */
  private follow(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.bodyLeft > 0) {
        const step = Math.min(this.bodyLeft, chunk.length - offset);
        this.bodyLeft -= step;
        offset += step;
        continue;
      }
      const need = 5 - this.header.length;
      this.header = Buffer.concat([
        this.header,
        chunk.subarray(offset, offset + need),
      ]);
      offset += Math.min(need, chunk.length - offset);
      if (this.header.length < 5) break;
      if (this.established && this.header[0] === 22) this.renegotiation = true;
      this.bodyLeft = this.header.readUInt16BE(3);
      this.header = Buffer.alloc(0);
    }
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.inner.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    this.inner.destroy();
    callback(error);
  }
}

/**
 * Listens on a TLS client socket for the server handshake traffic secret (TLS 1.3) before its handshake starts.
 * Returns a getter for it.
 */
export function watchHandshakeSecret(socket: TLSSocket): () => Buffer | null {
  let secret: Buffer | null = null;
  socket.on("keylog", (line: Buffer) => {
    const match =
      /^SERVER_HANDSHAKE_TRAFFIC_SECRET [0-9a-f]+ ([0-9a-f]+)/i.exec(
        line.toString("latin1"),
      );
    if (match?.[1] !== undefined) secret = Buffer.from(match[1], "hex");
  });
  return () => secret;
}

const SUITES: Record<
  number,
  { cipher: string; key: number; hash: "sha256" | "sha384" }
> = {
  0x1301: { cipher: "aes-128-gcm", key: 16, hash: "sha256" },
  0x1302: { cipher: "aes-256-gcm", key: 32, hash: "sha384" },
  0x1303: { cipher: "chacha20-poly1305", key: 32, hash: "sha256" },
};

/** RFC 8446 §7.1 HKDF-Expand-Label with an empty context. */
function expandLabel(
  hash: "sha256" | "sha384",
  secret: Buffer,
  label: string,
  length: number,
): Buffer {
  const full = Buffer.from(`tls13 ${label}`, "latin1");
  const info = Buffer.concat([
    Buffer.from([length >> 8, length & 0xff, full.length]),
    full,
    Buffer.from([0]),
  ]);
  const out: Buffer[] = [];
  let previous = Buffer.alloc(0);
  for (let i = 1; Buffer.concat(out).length < length; i++) {
    previous = createHmac(hash, secret)
      .update(Buffer.concat([previous, info, Buffer.from([i])]))
      .digest();
    out.push(previous);
  }
  return Buffer.concat(out).subarray(0, length);
}

interface TlsRecord {
  type: number;
  header: Buffer;
  fragment: Buffer;
}

function records(bytes: Buffer): TlsRecord[] {
  const out: TlsRecord[] = [];
  for (let offset = 0; offset + 5 <= bytes.length;) {
    const length = bytes.readUInt16BE(offset + 3);
    if (offset + 5 + length > bytes.length) break;
    out.push({
      type: bytes[offset] ?? 0,
      header: bytes.subarray(offset, offset + 5),
      fragment: bytes.subarray(offset + 5, offset + 5 + length),
    });
    offset += 5 + length;
  }
  return out;
}

interface Message {
  type: number;
  body: Buffer;
}

/** Complete handshake messages of a byte stream (they may span records). */
function messages(stream: Buffer): Message[] {
  const out: Message[] = [];
  for (let offset = 0; offset + 4 <= stream.length;) {
    const length = stream.readUIntBE(offset + 1, 3);
    if (offset + 4 + length > stream.length) break;
    out.push({
      type: stream[offset] ?? 0,
      body: stream.subarray(offset + 4, offset + 4 + length),
    });
    offset += 4 + length;
  }
  return out;
}

const HRR_RANDOM = Buffer.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c",
  "hex",
);

/** The version and suite a ServerHello chose, and whether it is a HelloRetryRequest. */
function serverHello(
  body: Buffer,
): { version: number; suite: number; retry: boolean } | null {
  if (body.length < 38) return null;
  const retry = body.subarray(2, 34).equals(HRR_RANDOM);
  let offset = 34;
  const sessionLength = body[offset] ?? 0;
  offset += 1 + sessionLength;
  if (offset + 3 > body.length) return null;
  const suite = body.readUInt16BE(offset);
  offset += 3;
  let version = body.readUInt16BE(0);
  if (offset + 2 <= body.length) {
    const end = Math.min(body.length, offset + 2 + body.readUInt16BE(offset));
    offset += 2;
    while (offset + 4 <= end) {
      const type = body.readUInt16BE(offset);
      const length = body.readUInt16BE(offset + 2);
      if (type === 43 && length === 2) version = body.readUInt16BE(offset + 4);
      offset += 4 + length;
    }
  }
  return { version, suite, retry };
}

/** TLS 1.2 Certificate: certificate_list<0..2^24-1> of ASN.1Cert<1..2^24-1>. */
function tls12Certificates(body: Buffer): Buffer[] | null {
  if (body.length < 3) return null;
  const total = body.readUIntBE(0, 3);
  const list = body.subarray(3, 3 + total);
  const out: Buffer[] = [];
  for (let offset = 0; offset + 3 <= list.length;) {
    const length = list.readUIntBE(offset, 3);
    if (offset + 3 + length > list.length) return null;
    out.push(Buffer.from(list.subarray(offset + 3, offset + 3 + length)));
    offset += 3 + length;
  }
  return out;
}

/** CertificateStatus: status_type ocsp(1), OCSPResponse<1..2^24-1>. */
function statusResponse(body: Buffer): Buffer | null {
  if (body.length < 4 || body[0] !== 1) return null;
  const length = body.readUIntBE(1, 3);
  return length > 0 && 4 + length <= body.length
    ? Buffer.from(body.subarray(4, 4 + length))
    : null;
}

/** TLS 1.3 Certificate: context, then entries of cert_data and extensions (status_request = 5 holds the staple). */
function tls13Certificates(
  body: Buffer,
): Pick<SentFlight, "certificates" | "staple"> | null {
  if (body.length < 4) return null;
  let offset = 1 + (body[0] ?? 0);
  const total = body.readUIntBE(offset, 3);
  offset += 3;
  const end = Math.min(body.length, offset + total);
  const certificates: Buffer[] = [];
  let staple: Buffer | null = null;
  while (offset + 3 <= end) {
    const length = body.readUIntBE(offset, 3);
    offset += 3;
    if (offset + length > end) return null;
    certificates.push(Buffer.from(body.subarray(offset, offset + length)));
    offset += length;
    if (offset + 2 > end) return null;
    const extensionsLength = body.readUInt16BE(offset);
    offset += 2;
    const extensionsEnd = offset + extensionsLength;
    while (offset + 4 <= extensionsEnd) {
      const type = body.readUInt16BE(offset);
      const dataLength = body.readUInt16BE(offset + 2);
      if (type === 5 && certificates.length === 1)
        staple = statusResponse(
          body.subarray(offset + 4, offset + 4 + dataLength),
        );
      offset += 4 + dataLength;
    }
    offset = extensionsEnd;
  }
  return { certificates, staple };
}

/**
 * Reads the certificates and the staple from what the server sent. `secret` is the server handshake traffic
 * secret, needed for TLS 1.3. Never throws: null certificates when the flight cannot be read.
 */
export function readSentFlight(
  received: Buffer,
  secret: Buffer | null,
): SentFlight {
  let sawServerHello = false;
  const none = (certificateRequested: boolean | null = null): SentFlight => ({
    certificates: null,
    staple: null,
    certificateRequested,
    sawServerHello,
  });
  try {
    let clear = Buffer.alloc(0);
    let hello: { version: number; suite: number } | null = null;
    const seenHello = (): boolean => hello !== null;
    const all = records(received);
    let index = 0;
    // Plaintext handshake records up to (and, for TLS 1.2, beyond) the ServerHello.
    for (; index < all.length; index++) {
      const record = all[index];
      if (record === undefined) break;
      // ChangeCipherSpec: in TLS 1.2 what follows is encrypted (and read no further); TLS 1.3 sends it for show.
      if (record.type === 20) {
        if (seenHello()) break;
        continue;
      }
      if (record.type !== 22) break;
      clear = Buffer.concat([clear, record.fragment]);
      let consumed = 0;
      for (const message of messages(clear)) {
        consumed += 4 + message.body.length;
        if (message.type !== 2) continue;
        sawServerHello = true;
        const found = serverHello(message.body);
        if (found === null) return none();
        if (!found.retry) hello = found;
      }
      if (hello !== null && hello.version >= 0x0304) {
        clear = clear.subarray(consumed);
        index++;
        break;
      }
    }
    if (hello === null) return none();
    if (hello.version < 0x0304) {
      let certificates: Buffer[] | null = null;
      let staple: Buffer | null = null;
      let requested = false;
      let done = false;
      for (const message of messages(clear)) {
        if (message.type === 11) certificates = tls12Certificates(message.body);
        if (message.type === 22) staple = statusResponse(message.body);
        if (message.type === 13) requested = true;
        if (message.type === 14) done = true;
      }
      return {
        certificates,
        staple,
        // ServerHelloDone ends the flight: without it, only a CertificateRequest seen says anything.
        certificateRequested: requested ? true : done ? false : null,
        sawServerHello,
      };
    }
    // TLS 1.3: decrypt the server's handshake records in order.
    const suite = SUITES[hello.suite];
    if (suite === undefined || secret === null) return none();
    const key = expandLabel(suite.hash, secret, "key", suite.key);
    const iv = expandLabel(suite.hash, secret, "iv", 12);
    let sequence = 0n;
    let stream = Buffer.alloc(0);
    for (; index < all.length; index++) {
      const record = all[index];
      if (record === undefined) break;
      if (record.type === 20) continue;
      if (record.type !== 23 || record.fragment.length < 17) return none();
      const nonce = Buffer.from(iv);
      for (let i = 0; i < 8; i++)
        nonce[11 - i] =
          (nonce[11 - i] ?? 0) ^ Number((sequence >> BigInt(8 * i)) & 0xffn);
      sequence++;
      const decipher = createDecipheriv(suite.cipher, key, nonce, {
        authTagLength: 16,
      } as never) as ReturnType<typeof createDecipheriv> & {
        setAuthTag(tag: Buffer): void;
        setAAD(aad: Buffer, options?: { plaintextLength: number }): void;
      };
      const sealed = record.fragment.subarray(0, -16);
      decipher.setAAD(record.header, { plaintextLength: sealed.length });
      decipher.setAuthTag(record.fragment.subarray(-16));
      const inner = Buffer.concat([decipher.update(sealed), decipher.final()]);
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end--;
      const contentType = inner[end - 1];
      if (contentType !== 22) continue;
      stream = Buffer.concat([stream, inner.subarray(0, end - 1)]);
      // EncryptedExtensions, then CertificateRequest if the server wants one, then Certificate.
      let requested = false;
      for (const message of messages(stream)) {
        if (message.type === 13) requested = true;
        if (message.type === 11) {
          const sent = tls13Certificates(message.body);
          return sent === null
            ? none(requested)
            : { ...sent, certificateRequested: requested, sawServerHello };
        }
      }
    }
    return none();
  } catch {
    return none();
  }
}
