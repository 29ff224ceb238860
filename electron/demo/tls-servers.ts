// The practice plant's TLS building blocks: configurable TLS servers on a loopback address (good ones and ones
// with the faults a commissioning engineer meets), and hostile endpoints that misbehave at the byte level.
// Every server listens on loopback only and stops with `close()`, which also drops its open connections.
import { refuseConnection } from "./firewall";
import { randomBytes } from "node:crypto";
import {
  createServer as createTcpServer,
  type Server,
  type Socket,
} from "node:net";
import {
  createServer as createTlsServer,
  type SecureVersion,
  type TLSSocket,
} from "node:tls";
import { formatHostPort, isIpLiteral } from "../../shared/model/net";
import { pemBundle, type PracticeCertificate } from "./pki";

/** Mozilla's "intermediate" profile: TLS 1.2 and 1.3, ECDHE with AES-GCM or ChaCha20-Poly1305. */
export const MOZILLA_INTERMEDIATE_CIPHERS = [
  "TLS_AES_128_GCM_SHA256",
  "TLS_AES_256_GCM_SHA384",
  "TLS_CHACHA20_POLY1305_SHA256",
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");

export interface RunningServer {
  host: string;
  port: number;
  /** "host:port", IPv6 in brackets. */
  target: string;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
}

export interface PracticeTlsServerOptions {
  /** A loopback address (127.0.0.0/8 or ::1); 127.0.0.1 by default. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** What the server sends as its chain, leaf first; the leaf's key signs. */
  chain: readonly PracticeCertificate[];
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  /** OpenSSL cipher string; TLS 1.3 suites by their TLS_ names. Mozilla intermediate by default. */
  ciphers?: string;
  /**
   * OpenSSL security level (appended as @SECLEVEL=n). 0 lets Node 20's OpenSSL 3 serve TLS 1.0/1.1, NULL and
   * anonymous suites, RSA-1024 keys and SHA-1 chains; the default 1 refuses those.
   */
  securityLevel?: 0 | 1 | 2;
  /** Signature algorithms the server will use, OpenSSL syntax ("RSA+SHA256:ECDSA+SHA256"). */
  sigalgs?: string;
  /** DH parameters (PEM) for DHE suites. */
  dhparam?: string;
  /** Ask for a client certificate; with `rejectUnauthorized`, demand one issued by `clientCa`. */
  requestCert?: boolean;
  rejectUnauthorized?: boolean;
  clientCa?: readonly string[];
  alpn?: readonly string[];
  /** Refuse (reset at once) connections from source addresses a real firewall would block. */
  acceptFrom?: (remoteAddress: string) => boolean;
  /** What to do with an established connection; by default answer one HTTP request with "200 ok" and close. */
  onConnection?: (socket: TLSSocket) => void;
}

function assertLoopback(host: string): void {
  const loopback =
    host === "::1" ||
    (isIpLiteral(host) && /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host));
  if (!loopback) {
    throw new Error(
      `Practice servers listen on loopback addresses only (127.0.0.0/8 or ::1), not ${host}.`,
    );
  }
}

function answerHttpOnce(socket: TLSSocket): void {
  socket.once("data", () => {
    socket.end(
      "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok",
    );
  });
}

/** Tracks connections so `close()` can drop them, and listens on the loopback address. */
function listen(
  server: Server,
  host: string,
  port: number,
  acceptFrom?: (remoteAddress: string) => boolean,
): Promise<RunningServer> {
  assertLoopback(host);
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    if (acceptFrom !== undefined && !acceptFrom(socket.remoteAddress ?? "")) {
      refuseConnection(socket);
      return;
    }
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("error", () => undefined);
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port }, () => {
      server.off("error", reject);
      const address = server.address();
      const bound =
        typeof address === "object" && address !== null ? address.port : port;
      resolve({
        host,
        port: bound,
        target: formatHostPort(host, bound),
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A TLS server with the given chain and settings. */
export async function startTlsServer(
  options: PracticeTlsServerOptions,
): Promise<RunningServer> {
  assertLoopback(options.host ?? "127.0.0.1");
  const leaf = options.chain[0];
  if (leaf === undefined) throw new Error("A TLS server needs a certificate.");
  const level = options.securityLevel ?? 1;
  const ciphers = `${options.ciphers ?? MOZILLA_INTERMEDIATE_CIPHERS}${level === 1 ? "" : `:@SECLEVEL=${level}`}`;
  const server = createTlsServer(
    {
      cert: pemBundle(options.chain),
      key: leaf.key.privateKeyPem,
      minVersion: options.minVersion ?? "TLSv1.2",
      maxVersion: options.maxVersion ?? "TLSv1.3",
      ciphers,
      ...(options.sigalgs !== undefined && { sigalgs: options.sigalgs }),
      ...(options.dhparam !== undefined && { dhparam: options.dhparam }),
      requestCert: options.requestCert ?? false,
      rejectUnauthorized: options.rejectUnauthorized ?? false,
      ...(options.clientCa !== undefined && { ca: [...options.clientCa] }),
      ...(options.alpn !== undefined && { ALPNProtocols: [...options.alpn] }),
    },
    (socket) => {
      socket.on("error", () => undefined);
      (options.onConnection ?? answerHttpOnce)(socket);
    },
  );
  // Handshakes that fail (scanners hang up after the ServerHello) are normal here, not errors.
  server.on("tlsClientError", () => undefined);
  return await listen(
    server,
    options.host ?? "127.0.0.1",
    options.port ?? 0,
    options.acceptFrom,
  );
}

/** A chain padded with copies of `filler` to about `bytes` (the "1 MB chain" fault). */
export function oversizedChain(
  leaf: PracticeCertificate,
  filler: PracticeCertificate,
  bytes = 1024 * 1024,
): PracticeCertificate[] {
  const copies = Math.ceil(bytes / filler.der.length);
  return [leaf, ...Array.from({ length: copies }, () => filler)];
}

// ---- hostile endpoints ----------------------------------------------------------------------------------------

export type HostileBehaviour =
  /** Answers the ClientHello with random bytes that are not TLS. */
  | "garbage"
  /** Answers with plain HTTP, as a web server on the wrong port would. */
  | "plaintext-http"
  /** Sends a real-looking ServerHello one byte a second. */
  | "one-byte-a-second"
  /** Resets the connection as soon as the ClientHello arrives. */
  | "reset-mid-handshake"
  /** Accepts, reads, and never answers. */
  | "silence"
  /** Answers every ClientHello with a HelloRetryRequest (asking for P-256), never a ServerHello. */
  | "hello-retry-loop"
  /** Answers every ClientHello with a burst of warning alerts, never a ServerHello, then closes. */
  | "alert-storm";

export interface HostileServerOptions {
  behaviour: HostileBehaviour;
  host?: string;
  port?: number;
}

/** A TLS 1.2 ServerHello record to dribble: valid-looking, so the client keeps waiting for the rest. */
const DRIBBLE = Buffer.from(
  "160303003502000031" +
    "0303" +
    "11".repeat(32) +
    "00" +
    "c02f" +
    "00" +
    "0009ff0100010000000000",
  "hex",
);

const HRR_RANDOM = Buffer.from(
  "cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c",
  "hex",
);

/** The session id and the first (TLS 1.3, else any) suite of a ClientHello record; null when it is not one. */
function helloFields(
  record: Buffer,
): { sessionId: Buffer; suite: number } | null {
  if (record.length < 44 || record[0] !== 22 || record[5] !== 1) return null;
  let at = 43;
  const idLength = record[at] ?? 0;
  const sessionId = record.subarray(at + 1, at + 1 + idLength);
  at += 1 + idLength;
  if (at + 2 > record.length) return null;
  const suitesLength = record.readUInt16BE(at);
  const suites: number[] = [];
  for (
    let i = at + 2;
    i + 1 < at + 2 + suitesLength && i + 1 < record.length;
    i += 2
  )
    suites.push(record.readUInt16BE(i));
  const suite =
    suites.find((code) => code >> 8 === 0x13) ?? suites[0] ?? 0x1301;
  return { sessionId, suite };
}

/** A HelloRetryRequest (RFC 8446 §4.1.4) asking for secp256r1, echoing the client's session id. */
function helloRetryRequest(sessionId: Buffer, suite: number): Buffer {
  const extensions = Buffer.from("002b00020304003300020017", "hex");
  const body = Buffer.concat([
    Buffer.from([3, 3]),
    HRR_RANDOM,
    Buffer.from([sessionId.length]),
    sessionId,
    Buffer.from([suite >> 8, suite & 0xff, 0]),
    Buffer.from([extensions.length >> 8, extensions.length & 0xff]),
    extensions,
  ]);
  const message = Buffer.concat([
    Buffer.from([2, 0, body.length >> 8, body.length & 0xff]),
    body,
  ]);
  return Buffer.concat([
    Buffer.from([22, 3, 3, message.length >> 8, message.length & 0xff]),
    message,
  ]);
}

export async function startHostileServer(
  options: HostileServerOptions,
): Promise<RunningServer> {
  assertLoopback(options.host ?? "127.0.0.1");
  const server = createTcpServer((socket) => {
    socket.on("error", () => undefined);
    switch (options.behaviour) {
      case "garbage":
        socket.once("data", () => {
          // Never a valid record type as the first byte, and never four printable bytes in a row (that would
          // read as another protocol's plain text, about one time in twenty with random bytes); 4 KiB, then close.
          const noise = randomBytes(4096);
          noise[0] = 0x5a;
          noise[1] = 0x00;
          socket.end(noise);
        });
        break;
      case "plaintext-http":
        socket.once("data", () =>
          socket.end(
            "HTTP/1.1 400 Bad Request\r\ncontent-type: text/plain\r\ncontent-length: 11\r\nconnection: close\r\n\r\nbad request",
          ),
        );
        break;
      case "one-byte-a-second":
        socket.once("data", () => {
          socket.write(DRIBBLE.subarray(0, 1));
          let sent = 1;
          const timer = setInterval(() => {
            if (sent >= DRIBBLE.length || socket.destroyed) {
              clearInterval(timer);
              socket.end();
              return;
            }
            socket.write(DRIBBLE.subarray(sent, sent + 1));
            sent++;
          }, 1000);
          socket.on("close", () => clearInterval(timer));
        });
        break;
      case "reset-mid-handshake":
        socket.once("data", () => socket.resetAndDestroy());
        break;
      case "silence":
        socket.on("data", () => undefined);
        break;
      case "hello-retry-loop": {
        // Every hello, the client's second one after a retry too, gets another retry; bounded per connection.
        let retries = 0;
        socket.on("data", (chunk: Buffer) => {
          const hello = helloFields(chunk);
          if (hello === null || ++retries > 4) {
            socket.end();
            return;
          }
          socket.write(helloRetryRequest(hello.sessionId, hello.suite));
        });
        break;
      }
      case "alert-storm":
        socket.once("data", () => {
          // 64 warning alerts user_canceled (90), then a close.
          socket.end(
            Buffer.concat(
              Array.from({ length: 64 }, () =>
                Buffer.from("1503030002015a", "hex"),
              ),
            ),
          );
        });
        break;
    }
  });
  return await listen(server, options.host ?? "127.0.0.1", options.port ?? 0);
}
