// One TLS client handshake over whatever carries it (the PRELOGIN tunnel, or the raw socket for TDS 8.0), with a
// timeout, recording protocol, suite, ALPN, the certificates exactly as the server sent them (read from its own
// records, tls/sent-certificates.ts) and the OCSP response it staples (always asked for). No CA is given to Node
// here: nothing is trusted here. Judging the chain is the certificate rules' job (engine/x509), not the handshake's.
import type { Duplex } from "node:stream";
import { isIP } from "node:net";
import { connect as tlsConnect, type TLSSocket } from "node:tls";
import type { MssqlError } from "../../../../shared/evidence/mssql";
import type { TdsProtocolError } from "./packet";
import { errorCode } from "../../errors";
import {
  readSentFlight,
  ServerFlightTap,
  watchHandshakeSecret,
} from "../tls/sent-certificates";

export interface TlsHandshakeOptions {
  /** SNI; an IP address is not sent as SNI (RFC 6066), the name check still uses it. */
  servername: string;
  alpn?: readonly string[];
  timeoutMs: number;
  signal?: AbortSignal;
}

export interface TlsCapture {
  completed: boolean;
  protocol: string | null;
  cipher: { name: string; standardName: string; version: string } | null;
  alpn: string | null;
  /** DER, leaf first, as the server sent them. */
  chainDer: Buffer[];
  /** The OCSP response the server stapled, or null. */
  ocspStaple: Buffer | null;
  error: MssqlError | null;
}

export interface TlsHandshakeResult {
  /** The live TLS socket when the handshake completed; the caller closes it. */
  socket: TLSSocket | null;
  capture: TlsCapture;
}

/** A sentence for a failed handshake, naming the protocol fault when the tunnel saw one. */
function handshakeError(
  error: unknown,
  fault: TdsProtocolError | null,
): MssqlError {
  if (fault !== null) {
    return {
      kind: "protocol",
      code: fault.problem,
      message: `The TLS handshake inside TDS broke off: ${fault.message}.`,
    };
  }
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ECONNRESET" || /socket hang up|disconnected/i.test(text)) {
    return {
      kind: "tls",
      code: code === "" ? "ECONNRESET" : code,
      message:
        "The server closed the connection during the TLS handshake: it offers no protocol version or cipher suite this client accepts (TLS 1.2 or newer), or it does not speak TLS here.",
    };
  }
  if (
    /wrong version number|unsupported protocol|protocol version/i.test(text)
  ) {
    return {
      kind: "tls",
      code,
      message: `The TLS handshake failed on the protocol version (${text}): the server offers only versions older than TLS 1.2.`,
    };
  }
  return {
    kind: "tls",
    code,
    message: `The TLS handshake failed: ${text}.`,
  };
}

/** Node's rebuilt chain (each certificate linked to its issuer): only when the server's records cannot be read. */
function peerChain(socket: TLSSocket): Buffer[] {
  const chain: Buffer[] = [];
  const seen = new Set<string>();
  let cert = socket.getPeerCertificate(true);
  // A chain longer than 16 is not one a server sends; the bound also ends any loop.
  for (let i = 0; i < 16 && Object.keys(cert).length > 0; i++) {
    const fingerprint = cert.fingerprint256;
    if (seen.has(fingerprint)) break;
    seen.add(fingerprint);
    chain.push(Buffer.from(cert.raw));
    const issuer = cert.issuerCertificate as typeof cert | undefined;
    if (issuer === undefined || issuer === cert) break;
    cert = issuer;
  }
  return chain;
}

/**
 * Runs a TLS client handshake over `transport`. Never throws: a failure is recorded in the capture.
 * `faultOf` lets the PRELOGIN tunnel report the TDS fault behind a broken handshake.
 */
export function tlsHandshake(
  transport: Duplex,
  options: TlsHandshakeOptions,
  faultOf: () => TdsProtocolError | null = () => null,
): Promise<TlsHandshakeResult> {
  const failed = (error: MssqlError): TlsHandshakeResult => ({
    socket: null,
    capture: {
      completed: false,
      protocol: null,
      cipher: null,
      alpn: null,
      chainDer: [],
      ocspStaple: null,
      error,
    },
  });
  return new Promise((resolve) => {
    if (options.signal?.aborted === true) {
      resolve(
        failed({
          kind: "aborted",
          code: "ABORT_ERR",
          message: "The probe was stopped.",
        }),
      );
      return;
    }
    const tap = new ServerFlightTap(transport);
    const socket = tlsConnect({
      socket: tap,
      requestOCSP: true,
      ...(isIP(options.servername) === 0 && options.servername !== ""
        ? { servername: options.servername }
        : {}),
      // An empty store: nothing is added to what the server sent, and nothing is trusted here.
      ca: [],
      rejectUnauthorized: false,
      ...(options.alpn !== undefined && {
        ALPNProtocols: [...options.alpn],
      }),
    });
    const secret = watchHandshakeSecret(socket);
    let stapled: Buffer | null = null;
    socket.once("OCSPResponse", (response: Buffer | null) => {
      // null: the server staples nothing.
      if (response !== null && response.length > 0)
        stapled = Buffer.from(response);
    });
    let settled = false;
    const settle = (result: TlsHandshakeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      socket.off("secureConnect", onSecure);
      socket.off("error", onError);
      socket.off("close", onClose);
      transport.off("error", onTransportError);
      if (result.socket === null) {
        // The failure is recorded; what the transport still reports (through the tap) has nowhere to go.
        socket.on("error", () => undefined);
        socket.destroy();
        transport.destroy();
      } else {
        // Late errors (the server closing after we got what we came for) are expected and harmless.
        socket.on("error", () => undefined);
      }
      resolve(result);
    };
    const onSecure = (): void => {
      const cipher = socket.getCipher();
      const protocol = socket.getProtocol();
      const alpn = socket.alpnProtocol;
      const flight = readSentFlight(tap.received(), secret());
      tap.release();
      settle({
        socket,
        capture: {
          completed: true,
          protocol: protocol ?? null,
          cipher: {
            name: cipher.name,
            standardName: cipher.standardName,
            version: cipher.version,
          },
          alpn: typeof alpn === "string" ? alpn : null,
          chainDer: flight.certificates ?? peerChain(socket),
          ocspStaple: stapled ?? flight.staple,
          error: null,
        },
      });
    };
    const onError = (error: Error): void =>
      settle(failed(handshakeError(error, faultOf())));
    const onTransportError = (error: Error): void =>
      settle(failed(handshakeError(error, faultOf())));
    const onClose = (): void =>
      settle(
        failed(
          handshakeError(
            Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }),
            faultOf(),
          ),
        ),
      );
    const onAbort = (): void =>
      settle(
        failed({
          kind: "aborted",
          code: "ABORT_ERR",
          message: "The probe was stopped.",
        }),
      );
    const timer = setTimeout(() => {
      const fault = faultOf();
      settle(
        failed(
          fault !== null
            ? handshakeError(fault, fault)
            : {
                kind: "timeout",
                code: "ETIMEDOUT",
                message: `The TLS handshake did not finish within ${options.timeoutMs} ms: the server stopped answering.`,
              },
        ),
      );
    }, options.timeoutMs);
    socket.once("secureConnect", onSecure);
    socket.once("error", onError);
    socket.once("close", onClose);
    transport.once("error", onTransportError);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}
