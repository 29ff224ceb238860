// The one TLS client handshake, over any duplex stream (a plain socket, the TDS PRELOGIN tunnel): as a real client
// makes it, with a timeout and Stop, optionally reading the certificates exactly as the server sent them (from its
// own records: sent-certificates.ts) and the OCSP response it staples. Verification is off
// (`rejectUnauthorized: false`) because our own code judges the chain (engine/x509); no roots are loaded (`ca: []`).
// A failure is classified by net/'s one classifier. `fullHandshake` is the TLS profile's: connect, handshake, hang up.
import type { Duplex } from "node:stream";
import type { KeyObject } from "node:crypto";
import {
  connect as tlsConnect,
  type ConnectionOptions,
  type PeerCertificate,
  type SecureVersion,
  type TLSSocket,
} from "node:tls";
import type { TlsHandshake } from "../../../../shared/evidence/tls";
import { sendsServerName } from "../../../../shared/model/net";
import {
  classifyTlsError,
  TLS_SENTENCES,
  withConnection,
  type HostLimiter,
  type ResolvedAddress,
  type TcpTarget,
  type TlsErrorKind,
} from "../../net";
import {
  readSentFlight,
  ServerFlightTap,
  watchHandshakeSecret,
} from "./sent-certificates";
import { suiteByName } from "../../../../shared/evidence/cipher-suites";

export interface ClientCertificate {
  key: KeyObject | string;
  /** The leaf first, then its chain, PEM. */
  certificatePems: string[];
}

export interface TlsOverOptions {
  /** SNI; not sent for an IP address (RFC 6066) or "". */
  serverName?: string;
  alpn?: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
  /** Offer everything this TLS library can still do (TLS 1.0 up, `@SECLEVEL=0`), so a legacy server still answers. */
  legacy?: boolean;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  certificate?: ClientCertificate;
  /** Read the certificates and the OCSP staple as the server sent them (asks for the staple). */
  capture?: boolean;
  /**
   * Say goodbye (close_notify, then FIN) in the secureConnect event itself, for a caller that only reads the
   * handshake: ended a turn later, the close is no longer graceful and the server sees the connection outlive the
   * host's slot (tls-hostile's counting relay).
   */
  hangUp?: boolean;
  /** Called with the TLS socket before its handshake starts (to listen for its keylog, say). */
  watch?: (socket: TLSSocket) => void;
}

/** What the server sent, read from its own records (or Node's rebuilt chain when those cannot be read). */
export interface SentByServer {
  /** DER, leaf first. */
  chainDer: Buffer[];
  /** "sent": read from the server's Certificate message; "reconstructed": Node's rebuilt chain (fallback). */
  chainSource: "sent" | "reconstructed";
  /** The OCSP response the server stapled, or null. */
  ocspStaple: Buffer | null;
}

export interface TlsOverFailure {
  kind: TlsErrorKind | "timeout" | "aborted";
  code: string;
  /** The alert as "handshake_failure (40)" when the server sent one, else "". */
  alert: string;
  message: string;
  /** What Node reported, for a carrier that knows better (the TDS tunnel). */
  cause: unknown;
}

export type TlsOverResult =
  | {
      ok: true;
      /** Open: the caller uses it and closes it. */
      socket: TLSSocket;
      handshake: TlsHandshake;
      cipher: { name: string; standardName: string; version: string };
      /** With `capture`; else null. */
      sent: SentByServer | null;
    }
  | { ok: false; failure: TlsOverFailure };

/** Most certificates we follow up Node's issuer links (a hostile server cannot make us loop). */
const MAX_CHAIN = 16;

/** BoringSSL (Electron) has no security levels; there the defaults are used. */
const LEGACY_CIPHERS = "ALL:@SECLEVEL=0";

function startTls(socket: Duplex, options: TlsOverOptions): TLSSocket {
  const certificate = options.certificate;
  const base: ConnectionOptions = {
    socket,
    rejectUnauthorized: false,
    ...(options.capture === true && {
      // Every capturing probe asks for the OCSP staple (DESIGN §3 revocation); Node reports it as 'OCSPResponse'.
      requestOCSP: true,
      ca: [] as string[],
    }),
    ...(options.legacy === true && {
      minVersion: "TLSv1" as const,
      maxVersion: "TLSv1.3" as const,
    }),
    ...(options.minVersion !== undefined && { minVersion: options.minVersion }),
    ...(options.maxVersion !== undefined && { maxVersion: options.maxVersion }),
    ...(options.serverName !== undefined &&
      sendsServerName(options.serverName) && {
        servername: options.serverName,
      }),
    ...(options.alpn !== undefined &&
      options.alpn.length > 0 && { ALPNProtocols: [...options.alpn] }),
    ...(certificate !== undefined && {
      key:
        typeof certificate.key === "string"
          ? certificate.key
          : certificate.key.export({ type: "pkcs8", format: "pem" }).toString(),
      cert: certificate.certificatePems.join("\n"),
    }),
  };
  if (options.legacy !== true) return tlsConnect(base);
  try {
    return tlsConnect({ ...base, ciphers: LEGACY_CIPHERS });
  } catch {
    return tlsConnect(base);
  }
}

/** Runs a TLS client handshake over `transport`. Never rejects: a failure is the result, classified. */
export function tlsOver(
  transport: Duplex,
  options: TlsOverOptions,
): Promise<TlsOverResult> {
  const failed = (
    kind: TlsOverFailure["kind"],
    message: string,
    cause: unknown = null,
    code = "",
  ): TlsOverResult => ({
    ok: false,
    failure: { kind, code, alert: "", message, cause },
  });
  if (options.signal?.aborted === true)
    return Promise.resolve(failed("aborted", TLS_SENTENCES.stopped));
  const started = performance.now();
  return new Promise<TlsOverResult>((resolve) => {
    const tap =
      options.capture === true ? new ServerFlightTap(transport) : null;
    const tls = startTls(tap ?? transport, options);
    // What the transport still reports after the outcome has nowhere to go.
    tls.on("error", () => undefined);
    options.watch?.(tls);
    const secret = tap === null ? null : watchHandshakeSecret(tls);
    let stapled: Buffer | null = null;
    if (tap !== null)
      tls.once("OCSPResponse", (response: Buffer | null) => {
        // null: the server staples nothing.
        if (response !== null && response.length > 0)
          stapled = Buffer.from(response);
      });
    let settled = false;
    const settle = (result: TlsOverResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      tls.off("secureConnect", onSecure);
      tls.off("error", onError);
      tls.off("close", onClose);
      transport.off("error", onError);
      if (!result.ok) tls.destroy();
      else if (options.hangUp === true) tls.end();
      resolve(result);
    };
    const onSecure = (): void => {
      try {
        let sent: SentByServer | null = null;
        if (tap !== null) {
          const flight = readSentFlight(tap.received(), secret?.() ?? null);
          tap.release();
          sent = {
            chainDer: flight.certificates ?? peerChain(tls),
            chainSource:
              flight.certificates === null ? "reconstructed" : "sent",
            ocspStaple: stapled ?? flight.staple,
          };
        }
        const cipher = tls.getCipher();
        settle({
          ok: true,
          socket: tls,
          handshake: describe(tls, performance.now() - started),
          cipher: {
            name: cipher.name,
            standardName: cipher.standardName,
            version: cipher.version,
          },
          sent,
        });
      } catch (error) {
        settle(
          failed(
            "other",
            `The handshake's results could not be read: ${String(error)}`,
            error,
          ),
        );
      }
    };
    const onError = (error: Error): void => {
      const { kind, code, alert, message } = classifyTlsError(error);
      settle({
        ok: false,
        failure: { kind, code, alert, message, cause: error },
      });
    };
    const onClose = (): void => settle(failed("closed", TLS_SENTENCES.closed));
    const onAbort = (): void =>
      settle(failed("aborted", TLS_SENTENCES.stopped, null, "ABORT_ERR"));
    const timer = setTimeout(
      () =>
        settle(
          failed("timeout", TLS_SENTENCES.timeout(options.timeoutMs), null),
        ),
      options.timeoutMs,
    );
    tls.once("secureConnect", onSecure);
    tls.once("error", onError);
    tls.once("close", onClose);
    transport.once("error", onError);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

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

/** The TLS profile's handshake: connect through the limiter, offer everything, read what was sent, hang up. */
export async function fullHandshake(
  target: TcpTarget,
  options: HandshakeOptions,
): Promise<HandshakeResult> {
  return withConnection(
    target,
    // Everything withConnection reads (limiter, resolved, timeout, source address, signal) is in the options.
    options,
    async (socket): Promise<HandshakeResult> => {
      const result = await tlsOver(socket, {
        timeoutMs: options.timeoutMs,
        legacy: true,
        capture: true,
        hangUp: true,
        ...(options.serverName !== undefined && {
          serverName: options.serverName,
        }),
        ...(options.alpn !== undefined && { alpn: options.alpn }),
      });
      if (!result.ok) {
        const { code, message } = result.failure;
        return { ok: false, kind: profileKind(result.failure), code, message };
      }
      const sent = result.sent ?? {
        chainDer: [],
        chainSource: "reconstructed" as const,
        ocspStaple: null,
      };
      return { ok: true, handshake: result.handshake, ...sent };
    },
  );
}

/** The TLS evidence's kinds: a refused version is an alert when the server said so, else our side gave up. */
function profileKind(
  failure: TlsOverFailure,
): Extract<HandshakeResult, { ok: false }>["kind"] {
  switch (failure.kind) {
    case "version":
      return failure.alert === "" ? "tls-error" : "alert";
    case "other":
    case "aborted":
      return "tls-error";
    default:
      return failure.kind;
  }
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
