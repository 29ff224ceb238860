// The server name (SNI) a TLS ClientHello carries, read from the first bytes of a connection, so a practice
// server can behave like HTTP.sys with only SNI bindings: a hello without a name is reset before any answer.

/** The largest first flight read before deciding (a ClientHello is a few hundred bytes). */
export const MAX_HELLO_BYTES = 16 * 1024;

export type HelloName =
  /** Not enough bytes yet. */
  | { status: "incomplete" }
  /** Not a TLS ClientHello at all (let the TLS server say so). */
  | { status: "not-tls" }
  /** A ClientHello; `name` is "" when it carries no server_name extension. */
  | { status: "hello"; name: string };

/** Reads the ClientHello's server_name (RFC 6066 §3) from the handshake records received so far. */
export function clientHelloName(bytes: Buffer): HelloName {
  // The handshake message may span records: gather the fragments of the leading handshake records.
  let message = Buffer.alloc(0);
  let offset = 0;
  while (offset + 5 <= bytes.length) {
    if (bytes[offset] !== 22) return { status: "not-tls" };
    const length = bytes.readUInt16BE(offset + 3);
    if (offset + 5 + length > bytes.length) break;
    message = Buffer.concat([
      message,
      bytes.subarray(offset + 5, offset + 5 + length),
    ]);
    offset += 5 + length;
    if (message.length >= 4) {
      if (message[0] !== 1) return { status: "not-tls" };
      if (message.length >= 4 + message.readUIntBE(1, 3)) break;
    }
  }
  if (bytes.length > 0 && bytes[0] !== 22) return { status: "not-tls" };
  if (message.length < 4) return { status: "incomplete" };
  const bodyLength = message.readUIntBE(1, 3);
  if (message.length < 4 + bodyLength) return { status: "incomplete" };
  const body = message.subarray(4, 4 + bodyLength);
  return { status: "hello", name: serverNameOf(body) };
}

function serverNameOf(hello: Buffer): string {
  let at = 2 + 32; // client_version, random
  const skip = (lengthBytes: 1 | 2): boolean => {
    if (at + lengthBytes > hello.length) return false;
    at +=
      lengthBytes +
      (lengthBytes === 1 ? (hello[at] ?? 0) : hello.readUInt16BE(at));
    return at <= hello.length;
  };
  if (!skip(1) || !skip(2) || !skip(1)) return ""; // session_id, cipher_suites, compression_methods
  if (at + 2 > hello.length) return "";
  const end = Math.min(hello.length, at + 2 + hello.readUInt16BE(at));
  at += 2;
  while (at + 4 <= end) {
    const type = hello.readUInt16BE(at);
    const length = hello.readUInt16BE(at + 2);
    const data = hello.subarray(at + 4, at + 4 + length);
    // server_name: list length, then entries of name_type (0 = host_name) and a 2-byte length.
    if (type === 0 && data.length >= 5 && data[2] === 0) {
      const nameLength = data.readUInt16BE(3);
      return data.subarray(5, 5 + nameLength).toString("latin1");
    }
    at += 4 + length;
  }
  return "";
}
