// A TLS client over a socket the limiter already holds, for the HTTPS and client-certificate probes: our own
// verdicts judge the certificate, so the handshake never rejects it; what the server refuses is classified.
import {
  connect as tlsConnect,
  type SecureVersion,
  type TLSSocket,
} from "node:tls";
import type { Duplex } from "node:stream";
import type { KeyObject } from "node:crypto";
import { sendsServerName } from "../../../../shared/model/net";
import { errorCode } from "../../errors";

export interface ClientCertificate {
  key: KeyObject | string;
  /** The leaf first, then its chain, PEM. */
  certificatePems: string[];
}

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

/** TLS alert descriptions as OpenSSL names them in error codes, with their numbers (RFC 8446 §6). */
const ALERTS: Record<string, [string, number]> = {
  HANDSHAKE_FAILURE: ["handshake_failure", 40],
  BAD_CERTIFICATE: ["bad_certificate", 42],
  UNSUPPORTED_CERTIFICATE: ["unsupported_certificate", 43],
  CERTIFICATE_REVOKED: ["certificate_revoked", 44],
  CERTIFICATE_EXPIRED: ["certificate_expired", 45],
  CERTIFICATE_UNKNOWN: ["certificate_unknown", 46],
  UNKNOWN_CA: ["unknown_ca", 48],
  ACCESS_DENIED: ["access_denied", 49],
  DECRYPT_ERROR: ["decrypt_error", 51],
  PROTOCOL_VERSION: ["protocol_version", 70],
  INSUFFICIENT_SECURITY: ["insufficient_security", 71],
  INTERNAL_ERROR: ["internal_error", 80],
  UNRECOGNIZED_NAME: ["unrecognized_name", 112],
  CERTIFICATE_REQUIRED: ["certificate_required", 116],
  NO_APPLICATION_PROTOCOL: ["no_application_protocol", 120],
};

/** Classifies a TLS error from Node (ERR_SSL_…_ALERT_…, ECONNRESET, our timeout). */
export function classifyTlsError(error: unknown): TlsRefusal {
  if (error instanceof TlsRefusal) return error;
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  // OpenSSL names the alert in the code (ERR_SSL_SSLV3_ALERT_…, ERR_SSL_TLSV1_UNRECOGNIZED_NAME) and numbers it in
  // the message ("SSL alert number 112"); the number is the surer of the two.
  const numbered = /SSL alert number (\d+)/.exec(text);
  const byNumber =
    numbered === null
      ? undefined
      : Object.entries(ALERTS).find(
          ([, [, number]]) => number === Number(numbered[1]),
        )?.[0];
  const alert =
    byNumber !== undefined
      ? [byNumber, byNumber]
      : (/ALERT_([A-Z_]+)/.exec(code) ??
        /^ERR_SSL_TLSV1_(UNRECOGNIZED_NAME)$/.exec(code) ??
        /alert ([a-z ]+)/i.exec(text));
  if (alert !== null) {
    const key = (alert[1] ?? "").toUpperCase().replace(/ /g, "_");
    const known = ALERTS[key];
    const name =
      known === undefined ? key.toLowerCase() : `${known[0]} (${known[1]})`;
    if (key === "PROTOCOL_VERSION")
      return new TlsRefusal(
        "version",
        name,
        `The server refused the protocol version (${name}).`,
      );
    return new TlsRefusal(
      "alert",
      name,
      `The server sent the TLS alert ${name}.`,
    );
  }
  if (
    /UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|NO_SUITABLE/.test(
      code,
    )
  ) {
    return new TlsRefusal(
      "version",
      code,
      `No protocol version in common with the server (${code}).`,
    );
  }
  if (
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    /socket hang up|disconnected before secure/i.test(text)
  ) {
    return new TlsRefusal(
      "closed",
      code === "" ? "closed" : code,
      "The server closed the connection.",
    );
  }
  return new TlsRefusal("other", code, text);
}

/** Runs the TLS handshake on `socket`; resolves once it completes, or rejects with a TlsRefusal. */
export function openTls(
  socket: Duplex,
  options: TlsClientOptions,
): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const tlsSocket = tlsConnect({
      socket,
      servername: sendsServerName(options.servername)
        ? options.servername
        : undefined,
      rejectUnauthorized: false,
      ALPNProtocols: ["http/1.1"],
      ...(options.minVersion !== undefined && {
        minVersion: options.minVersion,
      }),
      ...(options.maxVersion !== undefined && {
        maxVersion: options.maxVersion,
      }),
      ...(options.certificate !== undefined && {
        key:
          typeof options.certificate.key === "string"
            ? options.certificate.key
            : pemOf(options.certificate.key),
        cert: options.certificate.certificatePems.join("\n"),
      }),
    });
    tlsSocket.on("error", () => undefined);
    options.watch?.(tlsSocket);
    const finish = (result: TLSSocket | TlsRefusal): void => {
      clearTimeout(timer);
      tlsSocket.off("secureConnect", onSecure);
      tlsSocket.off("error", onError);
      tlsSocket.off("close", onClose);
      options.signal?.removeEventListener("abort", onAbort);
      if (result instanceof TlsRefusal) {
        tlsSocket.destroy();
        reject(result);
      } else resolve(result);
    };
    const onSecure = (): void => finish(tlsSocket);
    const onError = (error: Error): void => finish(classifyTlsError(error));
    const onClose = (): void =>
      finish(
        new TlsRefusal(
          "closed",
          "closed",
          "The server closed the connection during the handshake.",
        ),
      );
    const onAbort = (): void =>
      finish(new TlsRefusal("other", "aborted", "Stopped."));
    const timer = setTimeout(
      () =>
        finish(
          new TlsRefusal(
            "timeout",
            "timeout",
            `The TLS handshake did not finish within ${options.timeoutMs / 1000} s.`,
          ),
        ),
      options.timeoutMs,
    );
    tlsSocket.once("secureConnect", onSecure);
    tlsSocket.once("error", onError);
    tlsSocket.once("close", onClose);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

function pemOf(key: KeyObject): string {
  return key.export({ type: "pkcs8", format: "pem" }).toString();
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
