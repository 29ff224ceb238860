// The TLS client handshake inside TDS (the PRELOGIN tunnel, or the raw socket for TDS 8.0): the one handshake of
// tls/handshake.ts, capturing the certificates exactly as the server sent them and the OCSP staple, its failure
// worded for SQL Server. Nothing is trusted here: judging the chain is the certificate rules' job (engine/x509).
import type { Duplex } from "node:stream";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import type { TLSSocket } from "node:tls";
import type { MssqlError } from "../../../../shared/evidence/mssql";
import type { TdsProtocolError } from "./packet";
import { tlsOver, type TlsOverFailure } from "../tls/handshake";

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
  failure: TlsOverFailure,
  fault: TdsProtocolError | null,
): MssqlError {
  if (fault !== null) {
    return {
      kind: "protocol",
      code: fault.problem,
      message: `The TLS handshake inside TDS broke off: ${fault.message}.`,
    };
  }
  switch (failure.kind) {
    case "aborted":
      return STOPPED_FAILURE;
    case "timeout":
      return {
        kind: "timeout",
        code: "ETIMEDOUT",
        message: `${failure.message} The server stopped answering.`,
      };
    case "reset":
    case "closed":
      return {
        kind: "tls",
        code: failure.code === "" ? "ECONNRESET" : failure.code,
        message: `${failure.message.replace(/\.$/, "")}: it offers no protocol version or cipher suite this client accepts (TLS 1.2 or newer), or it does not speak TLS here.`,
      };
    case "version":
      return {
        kind: "tls",
        code: failure.code,
        message: `${failure.message} The server offers only versions older than TLS 1.2.`,
      };
    default:
      return { kind: "tls", code: failure.code, message: failure.message };
  }
}

/**
 * Runs a TLS client handshake over `transport`. Never throws: a failure is recorded in the capture.
 * `faultOf` lets the PRELOGIN tunnel report the TDS fault behind a broken handshake.
 */
export async function tlsHandshake(
  transport: Duplex,
  options: TlsHandshakeOptions,
  faultOf: () => TdsProtocolError | null = () => null,
): Promise<TlsHandshakeResult> {
  const result = await tlsOver(transport, {
    serverName: options.servername,
    timeoutMs: options.timeoutMs,
    capture: true,
    ...(options.alpn !== undefined && { alpn: options.alpn }),
    ...(options.signal !== undefined && { signal: options.signal }),
  });
  if (!result.ok) {
    transport.destroy();
    return {
      socket: null,
      capture: {
        completed: false,
        protocol: null,
        cipher: null,
        alpn: null,
        chainDer: [],
        ocspStaple: null,
        error: handshakeError(result.failure, faultOf()),
      },
    };
  }
  const { socket, handshake, cipher, sent } = result;
  return {
    socket,
    capture: {
      completed: true,
      protocol: handshake.protocol === "" ? null : handshake.protocol,
      cipher,
      alpn: handshake.alpn,
      chainDer: sent?.chainDer ?? [],
      ocspStaple: sent?.ocspStaple ?? null,
      error: null,
    },
  };
}
