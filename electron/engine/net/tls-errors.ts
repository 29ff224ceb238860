// The one classifier of Node's TLS errors (ERR_SSL_…_ALERT_…, a reset, a close, an oversized chain), with one
// sentence per kind: every TLS handshake (the TLS profile's, the HTTPS and client-certificate probes', the one inside
// TDS) reads a failure through it, so the same reset is worded the same everywhere.
import { errorCode } from "../errors";

/**
 * alert: the server sent a TLS alert; version: no protocol version in common; too-large: the server's chain is over
 * what TLS clients accept; reset / closed: the server hung up during the handshake; other: any other TLS error.
 */
export type TlsErrorKind =
  "alert" | "version" | "too-large" | "reset" | "closed" | "other";

export interface TlsErrorClass {
  kind: TlsErrorKind;
  /** Node's error code ("ERR_SSL_…", "ECONNRESET"), or "". */
  code: string;
  /** The alert as "handshake_failure (40)" when the server sent one, else "". */
  alert: string;
  /** What went wrong, in a sentence the user can act on. */
  message: string;
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

/** The sentences, one per way a handshake ends early. */
export const TLS_SENTENCES = {
  reset: "The server reset the connection during the TLS handshake.",
  closed: "The server closed the connection during the TLS handshake.",
  tooLarge:
    "The server sends a certificate chain larger than TLS clients accept (over 100 KiB): send only the server certificate and its intermediates.",
  timeout: (timeoutMs: number) =>
    `The TLS handshake did not finish within ${timeoutMs / 1000} s.`,
  stopped: "The probe was stopped.",
} as const;

/** Classifies a TLS error from Node; never throws. */
export function classifyTlsError(error: unknown): TlsErrorClass {
  const code = errorCode(error);
  const text = error instanceof Error ? error.message : String(error);
  if (code === "ERR_SSL_EXCESSIVE_MESSAGE_SIZE")
    return {
      kind: "too-large",
      code,
      alert: "",
      message: TLS_SENTENCES.tooLarge,
    };
  // OpenSSL names the alert in the code (ERR_SSL_SSLV3_ALERT_…, ERR_SSL_TLSV1_UNRECOGNIZED_NAME) and numbers it in
  // the message ("SSL alert number 112"); the number is the surer of the two.
  const numbered = /SSL alert number (\d+)/.exec(text);
  const byNumber =
    numbered === null
      ? undefined
      : Object.entries(ALERTS).find(
          ([, [, number]]) => number === Number(numbered[1]),
        )?.[0];
  const named =
    byNumber !== undefined
      ? [byNumber, byNumber]
      : (/ALERT_([A-Z_]+)/.exec(code) ??
        /^ERR_SSL_TLSV1_(UNRECOGNIZED_NAME)$/.exec(code) ??
        /alert ([a-z ]+)/i.exec(text));
  if (named !== null) {
    const key = (named[1] ?? "").toUpperCase().replace(/ /g, "_");
    const known = ALERTS[key];
    const alert =
      known === undefined ? key.toLowerCase() : `${known[0]} (${known[1]})`;
    return key === "PROTOCOL_VERSION"
      ? {
          kind: "version",
          code,
          alert,
          message: `The server refused the protocol version (${alert}).`,
        }
      : {
          kind: "alert",
          code,
          alert,
          message: `The server refused the TLS handshake with the alert ${alert}.`,
        };
  }
  if (
    /UNSUPPORTED_PROTOCOL|WRONG_VERSION_NUMBER|NO_PROTOCOLS_AVAILABLE|VERSION_TOO_LOW|NO_SUITABLE/.test(
      code,
    )
  )
    return {
      kind: "version",
      code,
      alert: "",
      message: `No protocol version in common with the server (${code}).`,
    };
  if (code === "ECONNRESET" || code === "EPIPE")
    return { kind: "reset", code, alert: "", message: TLS_SENTENCES.reset };
  if (/socket hang up|disconnected before secure/i.test(text))
    return { kind: "closed", code, alert: "", message: TLS_SENTENCES.closed };
  return {
    kind: "other",
    code,
    alert: "",
    message: `The TLS handshake failed: ${opensslReason(text)}.`,
  };
}

/** "802C…:error:0A000199:SSL routines:ssl3_read_bytes:too many warn alerts:../ssl/…c:1582:" → "too many warn alerts". */
function opensslReason(message: string): string {
  const reason = /^(?:[0-9A-F]+:)?error:[0-9A-F]+:[^:]*:[^:]*:([^:\n]+)/i.exec(
    message,
  )?.[1];
  return (reason ?? message).trim().replace(/\.$/, "");
}
