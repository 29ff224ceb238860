// What the TCP, plain-HTTP, HTTPS and client-certificate probes record (docs/evidence.md). Observations only:
// the rules judge them.
import { z } from "zod";
import { ConnectionState, connectFailures } from "./connection";

import {
  HTTP_EVIDENCE_SCHEMA,
  MTLS_EVIDENCE_SCHEMA,
  TCP_EVIDENCE_SCHEMA,
} from "./schema-names";

export { HTTP_EVIDENCE_SCHEMA, MTLS_EVIDENCE_SCHEMA, TCP_EVIDENCE_SCHEMA };

/** How one TCP connection attempt ended. */
export const PortState = ConnectionState;
export type PortState = ConnectionState;

export const PortObservation = z.object({
  port: z.number().int(),
  state: PortState,
  /** The address connected to, when the name resolved. */
  address: z.string(),
  /** The system's error code (ECONNREFUSED…), "" when open or timed out. */
  code: z.string(),
  durationMs: z.number(),
  message: z.string(),
});
export type PortObservation = z.infer<typeof PortObservation>;

export const TcpEvidence = z.object({
  schema: z.literal(TCP_EVIDENCE_SCHEMA),
  host: z.string(),
  localAddress: z.string().nullable(),
  ports: z.array(PortObservation),
});
export type TcpEvidence = z.infer<typeof TcpEvidence>;

/** One HTTP exchange (one hop of a redirect chain). */
export const HttpExchange = z.object({
  url: z.string(),
  /** How it ended: an answer, or why there was none. */
  outcome: z.enum([
    "answered",
    "closed",
    "timeout",
    "tls-refused",
    "protocol-error",
    /** An HTTP answer whose header is larger than the probe reads (MAX_HEADER_BYTES): `status` from its status line. */
    "header-too-large",
    ...connectFailures,
  ]),
  status: z.number().int().nullable(),
  /** Location, Strict-Transport-Security, Date, Server and Content-Type, as sent. */
  headers: z.record(z.string(), z.string()),
  /** Every Strict-Transport-Security header of the answer, each as sent, in order (HSTS counts the first valid one). */
  hsts: z.array(z.string()).optional(),
  /** For tls-refused: the TLS alert or error code, e.g. "unrecognized_name (112)", "ECONNRESET". */
  tlsAlert: z.string().optional(),
  /** Body bytes read (at most the probe's limit). */
  bodyBytes: z.number().int(),
  durationMs: z.number(),
  /** What went wrong, when it did. */
  error: z.string(),
});
export type HttpExchange = z.infer<typeof HttpExchange>;

export const PathObservation = z.object({
  path: z.string(),
  /** Every hop, the request for the path first; at most 6 (5 redirects). */
  hops: z.array(HttpExchange),
});
export type PathObservation = z.infer<typeof PathObservation>;

export const HttpEvidence = z.object({
  schema: z.literal(HTTP_EVIDENCE_SCHEMA),
  scheme: z.enum(["http", "https"]),
  host: z.string(),
  port: z.number().int(),
  /** The Host header and SNI name used. */
  serverName: z.string(),
  /** Whether the plan's client identity was presented (mTLS endpoints). */
  clientIdentity: z.boolean(),
  paths: z.array(PathObservation),
});
export type HttpEvidence = z.infer<typeof HttpEvidence>;

/** How a server answered one client of the client-certificate probe. */
export const ClientAttempt = z.object({
  /** anonymous: no certificate; untrusted: a throwaway certificate from an unknown CA; identity: the plan's. */
  client: z.enum(["anonymous", "untrusted", "identity"]),
  version: z.enum(["TLSv1.2", "TLSv1.3"]),
  /**
   * accepted: the request was served. refused: at the handshake, on the first read, or by an HTTP 4xx other
   * than 404. unsupported: the server does not speak this version. error: nothing could be learned.
   */
  result: z.enum(["accepted", "refused", "unsupported", "error"]),
  /** Where a refusal happened. */
  refusedAt: z.enum(["handshake", "first-read", "http", ""]),
  /** The TLS alert or error code, e.g. "certificate_required (116)" or ERR_SSL_…; "" when none. */
  alert: z.string(),
  httpStatus: z.number().int().nullable(),
  /**
   * Whether the handshake carried a CertificateRequest (read in clear in TLS 1.2, from the decrypted handshake in
   * TLS 1.3): null when unknown.
   */
  certificateRequested: z.boolean().nullable(),
  /**
   * Whether the server asked for a new handshake after the request (a TLS 1.2 HelloRequest: client certificates
   * asked for per path, as IIS and Apache do); null over TLS 1.3 or when no request was sent.
   */
  renegotiationRequested: z.boolean().nullable().optional(),
  /** Whether any ServerHello came back (false: refused before it, as a server that needs a name does). */
  serverHelloSeen: z.boolean().nullable().optional(),
  /** The WWW-Authenticate header of the answer, "" when none (Negotiate, NTLM: Windows authentication). */
  authenticate: z.string().optional(),
  durationMs: z.number(),
  detail: z.string(),
});
export type ClientAttempt = z.infer<typeof ClientAttempt>;

export const MtlsEvidence = z.object({
  schema: z.literal(MTLS_EVIDENCE_SCHEMA),
  host: z.string(),
  port: z.number().int(),
  serverName: z.string(),
  path: z.string(),
  /** Subject of the throwaway certificate and of the plan's identity, as presented. */
  untrustedSubject: z.string(),
  identitySubject: z.string(),
  /** Why the identity could not be used (no identity in the plan, passphrase missing…), or "". */
  identityProblem: z.string(),
  /** The identity certificate's extendedKeyUsage as OIDs; null when it has none (any purpose) or none was used. */
  identityExtendedKeyUsage: z.array(z.string()).nullable().optional(),
  attempts: z.array(ClientAttempt),
});
export type MtlsEvidence = z.infer<typeof MtlsEvidence>;
