// The full handshake through node:tls, as a real client makes it: negotiated protocol, suite, ALPN and group, the
// certificates exactly as the server sent them (read from its own records: sent-certificates.ts) and the OCSP
// response it staples (always asked for). Verification is off (`rejectUnauthorized: false`) because our own
// code judges the chain (engine/x509); no roots are loaded (`ca: []`).
import type { Duplex } from "node:stream";
import {
  connect as tlsConnect,
  type PeerCertificate,
  type TLSSocket,
} from "node:tls";
import type { TlsHandshake } from "../../../../shared/evidence/tls";
import {
  withConnection,
  type HostLimiter,
  type ResolvedAddress,
  type TcpTarget,
} from "../../net";
import {
  readSentFlight,
  ServerFlightTap,
  watchHandshakeSecret,
} from "./sent-certificates";
import { suiteByName } from "../../../../shared/evidence/cipher-suites";

export interface HandshakeOptions {
  limiter: HostLimiter;
  resolved: ResolvedAddress;
  timeoutMs: number;
  /** SNI; omitted for IP addresses. */
  serverName?: string;
  alpn?: readonly string[];
  localAddress?: string;
  signal?: AbortSignal;
}

export type HandshakeResult =
  | {
      ok: true;
      handshake: TlsHandshake;
      chainDer: Buffer[];
      /** "sent": read from the server's Certificate message; "reconstructed": Node's rebuilt chain (fallback). */
      chainSource: "sent" | "reconstructed";
      /** The OCSP response the server stapled, or null. */
      ocspStaple: Buffer | null;
    }
  | {
      ok: false;
      /** alert: the server refused with an alert; tls-error: our side gave up (e.g. chain too large); … */
      kind:
        "alert" | "tls-error" | "too-large" | "timeout" | "reset" | "closed";
      code: string;
      message: string;
    };

/** Most certificates we follow up the issuer links (a hostile server cannot make us loop). */
const MAX_CHAIN = 16;

/**
 * Offer everything this TLS library can still do (`@SECLEVEL=0`), so a legacy server still shows its chain.
 * BoringSSL (Electron) has no security levels; there the defaults are used.
 */
const LEGACY_CIPHERS = "ALL:@SECLEVEL=0";

export async function fullHandshake(
  target: TcpTarget,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  return withConnection(
    target,
    // Everything withConnection reads (limiter, resolved, timeout, source address, signal) is in the options.
    options,
    (socket) => handshakeOver(socket, options),
  );
}

function startTls(socket: Duplex, options: HandshakeOptions): TLSSocket {
  const base = {
    socket,
    rejectUnauthorized: false,
    // Every probe asks for the OCSP staple (DESIGN §3 revocation); Node reports it as 'OCSPResponse'.
    requestOCSP: true,
    ca: [] as string[],
    minVersion: "TLSv1" as const,
    maxVersion: "TLSv1.3" as const,
    ...(options.serverName !== undefined &&
      options.serverName !== "" && { servername: options.serverName }),
    ...(options.alpn !== undefined &&
      options.alpn.length > 0 && { ALPNProtocols: [...options.alpn] }),
  };
  try {
    return tlsConnect({ ...base, ciphers: LEGACY_CIPHERS });
  } catch {
    return tlsConnect(base);
  }
}

function handshakeOver(
  socket: Duplex,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  const started = performance.now();
  return new Promise<HandshakeResult>((resolve) => {
    const tap = new ServerFlightTap(socket);
    const tls = startTls(tap, options);
    const secret = watchHandshakeSecret(tls);
    let stapled: Buffer | null = null;
    tls.once("OCSPResponse", (response: Buffer | null) => {
      // null: the server staples nothing.
      if (response !== null && response.length > 0)
        stapled = Buffer.from(response);
    });
    let done = false;
    const finish = (result: HandshakeResult): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      // After a good handshake say goodbye properly (close_notify, then FIN); after a failure just hang up.
      if (result.ok) tls.end();
      else tls.destroy();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          kind: "timeout",
          code: "",
          message: `The TLS handshake did not finish within ${options.timeoutMs / 1000} s.`,
        }),
      options.timeoutMs,
    );
    tls.once("secureConnect", () => {
      try {
        const flight = readSentFlight(tap.received(), secret());
        tap.release();
        finish({
          ok: true,
          handshake: describe(tls, performance.now() - started),
          chainDer: flight.certificates ?? peerChain(tls),
          chainSource: flight.certificates === null ? "reconstructed" : "sent",
          ocspStaple: stapled ?? flight.staple,
        });
      } catch (error) {
        finish({
          ok: false,
          kind: "tls-error",
          code: "",
          message: `The handshake's results could not be read: ${String(error)}`,
        });
      }
    });
    tls.on("error", (error: Error & { code?: string }) =>
      finish(failure(error)),
    );
    tls.once("close", () =>
      finish({
        ok: false,
        kind: "closed",
        code: "",
        message: "The server closed the connection during the TLS handshake.",
      }),
    );
  });
}

function describe(tls: TLSSocket, ms: number): TlsHandshake {
  const cipher = tls.getCipher();
  const suite = suiteByName(cipher.standardName);
  const key = tls.getEphemeralKeyInfo();
  const keyInfo =
    typeof key === "object" && key !== null
      ? (key as { type?: string; name?: string; size?: number })
      : {};
  return {
    protocol: tls.getProtocol() ?? "",
    suite: { code: suite?.code ?? 0, name: cipher.standardName },
    libraryName: cipher.name,
    alpn: typeof tls.alpnProtocol === "string" ? tls.alpnProtocol : null,
    group: keyInfo.name ?? (keyInfo.type === "DH" ? "DH" : null),
    groupBits: typeof keyInfo.size === "number" ? keyInfo.size : null,
    durationMs: Math.round(ms),
  };
}

/** Node's rebuilt chain (the leaf and the issuer links it found): only when the records cannot be read. */
function peerChain(tls: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<PeerCertificate>();
  let current: PeerCertificate | undefined = tls.getPeerCertificate(true);
  while (
    current?.raw !== undefined &&
    !seen.has(current) &&
    chain.length < MAX_CHAIN
  ) {
    seen.add(current);
    if (chain.some((der) => der.equals(current?.raw ?? Buffer.alloc(0)))) break;
    chain.push(Buffer.from(current.raw));
    const next: PeerCertificate | undefined = (
      current as PeerCertificate & { issuerCertificate?: PeerCertificate }
    ).issuerCertificate;
    current = next;
  }
  return chain;
}

/** Node's TLS errors in sentences. */
function failure(error: Error & { code?: string }): HandshakeResult {
  const code = error.code ?? "";
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_ALERT_(.+)$/.exec(code);
  if (alert !== null) {
    const name = (alert[1] ?? "").toLowerCase();
    return {
      ok: false,
      kind: "alert",
      code,
      message: `The server refused the TLS handshake with the alert ${name}.`,
    };
  }
  if (code === "ERR_SSL_EXCESSIVE_MESSAGE_SIZE") {
    return {
      ok: false,
      kind: "too-large",
      code,
      message:
        "The server sends a certificate chain larger than TLS clients accept (over 100 KiB): send only the server certificate and its intermediates.",
    };
  }
  if (code === "ECONNRESET" || code === "EPIPE") {
    return {
      ok: false,
      kind: "reset",
      code,
      message: "The server reset the connection during the TLS handshake.",
    };
  }
  return {
    ok: false,
    kind: "tls-error",
    code,
    message: `The TLS handshake failed: ${opensslReason(error.message)}.`,
  };
}

/** "802C…:error:0A000199:SSL routines:ssl3_read_bytes:too many warn alerts:../ssl/…c:1582:" → "too many warn alerts". */
function opensslReason(message: string): string {
  const reason = /^(?:[0-9A-F]+:)?error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/i.exec(
    message,
  )?.[1];
  return (reason ?? message).trim().replace(/\.$/, "");
}
