// A TLS client over a socket the limiter already holds, for the HTTPS and client-certificate probes: our own
// verdicts judge the certificate, so the handshake never rejects it; what the server refuses is classified.
import type { SecureVersion, TLSSocket } from "node:tls";
import type { Duplex } from "node:stream";
import { classifyTlsError as classify } from "../../net";
import {
  tlsOver,
  type ClientCertificate,
  type TlsOverFailure,
} from "./handshake";

export type { ClientCertificate };

export interface TlsClientOptions {
  servername: string;
  minVersion?: SecureVersion;
  maxVersion?: SecureVersion;
  certificate?: ClientCertificate;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Called with the TLS socket before its handshake starts (to listen for its keylog, say). */
  watch?: (socket: TLSSocket) => void;
}

/** Why a TLS connection did not carry a request. */
export class TlsRefusal extends Error {
  override readonly name = "TlsRefusal";
  constructor(
    /** alert: the server sent a TLS alert; closed: it closed or reset; timeout; version: no common protocol. */
    readonly kind: "alert" | "closed" | "timeout" | "version" | "other",
    /** "handshake_failure (40)", "certificate_required (116)", an error code, or "". */
    readonly alert: string,
    message: string,
  ) {
    super(message);
  }
}

/** Classifies a TLS error from Node through net/'s one classifier, as the HTTP probes record it. */
export function classifyTlsError(error: unknown): TlsRefusal {
  if (error instanceof TlsRefusal) return error;
  return refusalOf(classify(error));
}

function refusalOf(failure: {
  kind: TlsOverFailure["kind"];
  code: string;
  alert: string;
  message: string;
}): TlsRefusal {
  switch (failure.kind) {
    case "alert":
    case "version":
      return new TlsRefusal(
        failure.kind,
        failure.alert === "" ? failure.code : failure.alert,
        failure.message,
      );
    case "reset":
    case "closed":
      return new TlsRefusal(
        "closed",
        failure.code === "" ? "closed" : failure.code,
        failure.message,
      );
    case "timeout":
      return new TlsRefusal("timeout", "timeout", failure.message);
    case "aborted":
      return new TlsRefusal("other", "aborted", failure.message);
    default:
      return new TlsRefusal("other", failure.code, failure.message);
  }
}

/** Runs the TLS handshake on `socket`; resolves once it completes, or rejects with a TlsRefusal. */
export async function openTls(
  socket: Duplex,
  options: TlsClientOptions,
): Promise<TLSSocket> {
  const { servername, ...rest } = options;
  const result = await tlsOver(socket, {
    ...rest,
    serverName: servername,
    alpn: ["http/1.1"],
  });
  if (!result.ok) throw refusalOf(result.failure);
  return result.socket;
}

/** A client identity as the TLS client presents it, or why the plan's could not be opened. */
export type LoadedIdentity =
  | {
      certificate: ClientCertificate;
      subject: string;
      /** The certificate's extendedKeyUsage (OIDs), null when absent — judged by PER-MES.mtls.identity-accepted. */
      extendedKeyUsage: string[] | null;
    }
  | { problem: string };
