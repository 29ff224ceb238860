// Raw ClientHello messages, built byte by byte so the probe can offer what the local TLS library (BoringSSL in
// Electron, OpenSSL 3 in Node) never would: SSL 2.0 and 3.0, TLS 1.0/1.1, and every suite of the IANA registry.
// The probe never completes these handshakes; it reads the ServerHello or the alert and hangs up.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import type { TlsProtocol } from "../../../../shared/catalog/thresholds";
import { TLS_EMPTY_RENEGOTIATION_INFO_SCSV } from "../../../../shared/evidence/cipher-suites";
import { sendsServerName } from "../../../../shared/model/net";

/** Wire versions. TLS 1.3 travels as 0x0303 plus supported_versions. */
export const PROTOCOL_VERSIONS: Readonly<Record<TlsProtocol, number>> = {
  SSLv2: 0x0002,
  SSLv3: 0x0300,
  TLSv1: 0x0301,
  "TLSv1.1": 0x0302,
  "TLSv1.2": 0x0303,
  "TLSv1.3": 0x0304,
};

export function protocolOfVersion(version: number): TlsProtocol | null {
  for (const [protocol, value] of Object.entries(PROTOCOL_VERSIONS)) {
    if (value === version) return protocol as TlsProtocol;
  }
  return null;
}

export const EXTENSION = {
  serverName: 0,
  supportedGroups: 10,
  ecPointFormats: 11,
  signatureAlgorithms: 13,
  alpn: 16,
  extendedMasterSecret: 23,
  sessionTicket: 35,
  supportedVersions: 43,
  pskKeyExchangeModes: 45,
  keyShare: 51,
  renegotiationInfo: 0xff01,
} as const;

/** Named groups (RFC 8422, RFC 7919, RFC 8446). */
export const GROUPS = {
  secp256r1: 0x0017,
  secp384r1: 0x0018,
  secp521r1: 0x0019,
  x25519: 0x001d,
  x448: 0x001e,
  ffdhe2048: 0x0100,
  ffdhe3072: 0x0101,
  ffdhe4096: 0x0102,
} as const;

/** Groups TLS 1.3 allows (RFC 8446 §4.2.7). */
const TLS13_GROUPS = [
  GROUPS.x25519,
  GROUPS.secp256r1,
  GROUPS.secp384r1,
  GROUPS.secp521r1,
  GROUPS.x448,
  GROUPS.ffdhe2048,
  GROUPS.ffdhe3072,
  GROUPS.ffdhe4096,
];

/** For older protocols also the curves a legacy server may insist on (secp224r1, secp256k1, brainpool). */
const LEGACY_GROUPS = [
  ...TLS13_GROUPS.slice(0, 5),
  0x0016,
  0x0015,
  0x001a,
  0x001b,
  0x001c,
  ...TLS13_GROUPS.slice(5),
];

/** Signature schemes, including SHA-1 ones a legacy server may need. */
const OFFERED_SIGNATURE_SCHEMES = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0809,
  0x080a, 0x080b, 0x0401, 0x0501, 0x0601, 0x0303, 0x0301, 0x0302, 0x0402,
  0x0203, 0x0201, 0x0202,
];

export interface KeyShare {
  group: number;
  publicKey: Buffer;
}

/** A fresh X25519 public key, so a TLS 1.3 server can answer (we never finish the handshake). */
export function x25519KeyShare(): KeyShare {
  const { publicKey } = generateKeyPairSync("x25519");
  const spki = publicKey.export({ type: "spki", format: "der" });
  return { group: GROUPS.x25519, publicKey: spki.subarray(spki.length - 32) };
}

export interface ClientHelloOptions {
  /** The highest protocol offered (and for TLS 1.3 the only one, unless `supportedVersions` says more). */
  protocol: TlsProtocol;
  suites: readonly number[];
  /** A DNS name for SNI; IP addresses are never sent (RFC 6066). */
  serverName?: string;
  /** For TLS 1.3; a fresh X25519 share when absent. */
  keyShare?: KeyShare;
  /** Explicit supported_versions, highest first (a browser-like hello offers several). */
  supportedVersions?: readonly TlsProtocol[];
  alpn?: readonly string[];
  /** Fixed randomness for byte-level tests. */
  random?: Buffer;
  sessionId?: Buffer;
}

const u8 = (n: number): Buffer => Buffer.from([n & 0xff]);
const u16 = (n: number): Buffer => Buffer.from([(n >> 8) & 0xff, n & 0xff]);
const u24 = (n: number): Buffer =>
  Buffer.from([(n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff]);
const vec8 = (body: Buffer): Buffer => Buffer.concat([u8(body.length), body]);
const vec16 = (body: Buffer): Buffer => Buffer.concat([u16(body.length), body]);
/** A 16-bit length, then the 16-bit values: one buffer, not one per value (a hello lists up to ~350 suites). */
function list16(values: readonly number[]): Buffer {
  const out = Buffer.allocUnsafe(2 + values.length * 2);
  out.writeUInt16BE((values.length * 2) & 0xffff, 0);
  values.forEach((value, i) => out.writeUInt16BE(value & 0xffff, 2 + i * 2));
  return out;
}
const extension = (type: number, body: Buffer): Buffer =>
  Buffer.concat([u16(type), vec16(body)]);

/** The bytes to send: one TLS record holding one ClientHello (or an SSL 2.0 CLIENT-HELLO). */
export function buildClientHello(options: ClientHelloOptions): Buffer {
  if (options.protocol === "SSLv2") return buildSsl2ClientHello(options);
  const random = options.random ?? randomBytes(32);
  if (random.length !== 32)
    throw new RangeError("A ClientHello random is 32 bytes.");
  const tls13 =
    options.protocol === "TLSv1.3" ||
    (options.supportedVersions ?? []).includes("TLSv1.3");
  const legacyVersion = Math.min(
    PROTOCOL_VERSIONS[options.protocol],
    PROTOCOL_VERSIONS["TLSv1.2"],
  );
  const sessionId =
    options.sessionId ?? (tls13 ? randomBytes(32) : Buffer.alloc(0));
  const suites =
    options.protocol === "TLSv1.3"
      ? [...options.suites]
      : [...options.suites, TLS_EMPTY_RENEGOTIATION_INFO_SCSV];
  const extensions =
    options.protocol === "SSLv3" ? [] : helloExtensions(options, tls13);
  const body = Buffer.concat([
    u16(legacyVersion),
    random,
    vec8(sessionId),
    list16(suites),
    vec8(Buffer.from([0])), // compression: null only
    ...(extensions.length > 0 ? [vec16(Buffer.concat(extensions))] : []),
  ]);
  const handshake = Buffer.concat([u8(1), u24(body.length), body]);
  // Record version: 0x0300 for an SSL 3.0 hello, else 0x0301 (what RFC 8446 §5.1 asks, and what old servers accept).
  const recordVersion = options.protocol === "SSLv3" ? 0x0300 : 0x0301;
  return Buffer.concat([
    u8(0x16),
    u16(recordVersion),
    u16(handshake.length),
    handshake,
  ]);
}

function helloExtensions(
  options: ClientHelloOptions,
  tls13: boolean,
): Buffer[] {
  const out: Buffer[] = [];
  const name = options.serverName?.replace(/\.$/, "");
  if (name !== undefined && sendsServerName(name)) {
    const host = Buffer.from(name, "ascii");
    out.push(
      extension(
        EXTENSION.serverName,
        vec16(Buffer.concat([u8(0), vec16(host)])),
      ),
    );
  }
  const modern =
    options.protocol === "TLSv1.2" || options.protocol === "TLSv1.3";
  out.push(
    extension(
      EXTENSION.supportedGroups,
      list16(options.protocol === "TLSv1.3" ? TLS13_GROUPS : LEGACY_GROUPS),
    ),
  );
  if (options.protocol !== "TLSv1.3") {
    out.push(extension(EXTENSION.ecPointFormats, vec8(Buffer.from([0]))));
    out.push(extension(EXTENSION.renegotiationInfo, vec8(Buffer.alloc(0))));
  }
  if (modern || tls13) {
    out.push(
      extension(
        EXTENSION.signatureAlgorithms,
        list16(OFFERED_SIGNATURE_SCHEMES),
      ),
    );
  }
  if (options.alpn !== undefined && options.alpn.length > 0) {
    const names = Buffer.concat(
      options.alpn.map((p) => vec8(Buffer.from(p, "ascii"))),
    );
    out.push(extension(EXTENSION.alpn, vec16(names)));
  }
  out.push(extension(EXTENSION.extendedMasterSecret, Buffer.alloc(0)));
  if (tls13) {
    const versions = options.supportedVersions ?? ["TLSv1.3"];
    out.push(
      extension(
        EXTENSION.supportedVersions,
        vec8(Buffer.concat(versions.map((v) => u16(PROTOCOL_VERSIONS[v])))),
      ),
    );
    out.push(extension(EXTENSION.pskKeyExchangeModes, vec8(Buffer.from([1]))));
    const share = options.keyShare ?? x25519KeyShare();
    out.push(
      extension(
        EXTENSION.keyShare,
        vec16(Buffer.concat([u16(share.group), vec16(share.publicKey)])),
      ),
    );
  }
  return out;
}

/** SSL 2.0 CLIENT-HELLO in the 2-byte record header form (RFC 6176 forbids servers to answer it). */
function buildSsl2ClientHello(options: ClientHelloOptions): Buffer {
  const challenge = (options.random ?? randomBytes(32)).subarray(0, 16);
  const specs = Buffer.concat(options.suites.map((s) => u24(s)));
  const body = Buffer.concat([
    u8(1),
    u16(PROTOCOL_VERSIONS.SSLv2),
    u16(specs.length),
    u16(0),
    u16(challenge.length),
    specs,
    challenge,
  ]);
  return Buffer.concat([u16(0x8000 | body.length), body]);
}
