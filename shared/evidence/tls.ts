// The TLS probe's evidence (docs/evidence.md, "TLS"): what one endpoint answered — reachability, whether it
// speaks TLS, every accepted protocol and suite, the negotiated handshake and the certificate chain — as raw
// observations, before any rule judged them. The chain viewer, the report and the rules all read this shape.
import { z } from "zod";
import { ConnectionState, probeFailureWith } from "./connection";
import { TLS_PROTOCOLS } from "../catalog/thresholds";
import { CertificateInfo, ValidatedPath } from "./certificate";

import { TLS_EVIDENCE_SCHEMA, TLS_EVIDENCE_V1 } from "./schema-names";

export { TLS_EVIDENCE_SCHEMA };

export const TlsProtocolId = z.enum(TLS_PROTOCOLS);

export const TlsSuiteRef = z.object({
  /** IANA code (SSL 2.0: the 3-byte cipher kind). */
  code: z.number().int().nonnegative(),
  /** IANA name, e.g. "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256". */
  name: z.string(),
});
export type TlsSuiteRef = z.infer<typeof TlsSuiteRef>;

export const TlsProtocolScan = z.object({
  protocol: TlsProtocolId,
  /** false when this protocol was not tried (legacy hellos switched off). */
  tried: z.boolean(),
  /** null: could not tell (timeouts, resets). */
  accepted: z.boolean().nullable(),
  /** Every suite the server accepted with this protocol, in the order it chose them. */
  suites: z.array(TlsSuiteRef),
  /** false when the suite enumeration stopped early (time, resets); the list may then be short. */
  suitesComplete: z.boolean(),
  /** What decided it, e.g. "ServerHello TLS 1.2", "alert protocol_version", "connection closed". */
  detail: z.string(),
  connections: z.number().int().nonnegative(),
  /**
   * true when every acceptance was a HelloRetryRequest, never a ServerHello: no handshake was finished with this
   * protocol, so acceptance is only proven when the full handshake negotiated it.
   */
  helloRetryOnly: z.boolean().optional(),
});
export type TlsProtocolScan = z.infer<typeof TlsProtocolScan>;

export const TlsHandshake = z.object({
  /** Node's words: "TLSv1.3", "TLSv1.2", … */
  protocol: z.string(),
  suite: TlsSuiteRef,
  /** The local TLS library's name for it, e.g. "ECDHE-RSA-AES128-GCM-SHA256". */
  libraryName: z.string(),
  /** Negotiated ALPN protocol, or null. */
  alpn: z.string().nullable(),
  /** Key exchange group, e.g. "X25519", "prime256v1", or "DH" with its size; null where not reported. */
  group: z.string().nullable(),
  groupBits: z.number().int().nonnegative().nullable(),
  durationMs: z.number().nonnegative(),
});
export type TlsHandshake = z.infer<typeof TlsHandshake>;

/** TLS's own kinds after the ones every probe shares (connection-states.ts). */
export const tlsOwnFailureKinds = [
  "not-tls",
  "too-large",
  "alert",
  "tls-error",
] as const;

/** The one failure record (connection.ts) with TLS's kinds, where it happened and the protocol being tried. */
export const TlsFailure = probeFailureWith(tlsOwnFailureKinds).extend({
  stage: z.enum(["connect", "first-hello", "enumeration", "handshake"]),
  /** The protocol being tried, where one was. */
  protocol: TlsProtocolId.nullable(),
});
export type TlsFailure = z.infer<typeof TlsFailure>;

export const TlsEvidence = z.object({
  schema: z.literal(TLS_EVIDENCE_SCHEMA),
  target: z.object({
    host: z.string(),
    port: z.number().int().min(1).max(65535),
    /** The SNI name sent; "" when none (IP targets). */
    serverName: z.string(),
    /** The address connected to; "" when the name did not resolve. */
    address: z.string(),
    /** The vantage's source address; "" for the system's choice. */
    localAddress: z.string(),
  }),
  /** The plan's endpoint kind; only TLS kinds get legacy hellos (DESIGN §5). */
  endpointKind: z.string(),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().nonnegative(),
  /**
   * Set when nothing could be judged: the first connection failed (`kind` its state: refused, filtered,
   * dns-failure, unreachable, reset) or Stop was pressed (`stopped`, at the stage it had reached). Null: the port
   * accepted connections and the probe ran to its end.
   */
  unreachable: TlsFailure.nullable(),
  /** Whether what answered is TLS (DESIGN §2: garbage or plaintext where TLS is required fails). */
  speaksTls: z.object({
    verdict: z.enum(["yes", "no", "unknown"]),
    /** How it answered: tls, plaintext-http, garbage, silent, slow, closed, reset; "" when not reached. */
    answer: z.string(),
    message: z.string(),
    /** Up to 64 bytes of the first answer, hex. */
    firstBytesHex: z.string(),
  }),
  handshake: TlsHandshake.nullable(),
  /**
   * The certificates exactly as the server sent them in its Certificate message: its order, duplicates, extras,
   * a root if it sends one (read from the handshake's own records, not Node's reconstruction).
   */
  chain: z.array(CertificateInfo),
  /** reconstructed: Node's rebuilt chain, only when the handshake's own records could not be read. */
  chainSource: z.enum(["handshake", "tls12-flight", "reconstructed", "none"]),
  /** The OCSP response the server stapled in the full handshake (which always asks for one), base64 DER; null: none. */
  ocspStaple: z.string().nullable().optional(),
  /** The path as validated against the endpoint's trust material when the run judged it (engine/x509). */
  validatedPath: ValidatedPath.nullable().optional(),
  /** The server asked for a client certificate (TLS 1.2 flight). */
  clientCertificateRequested: z.boolean().nullable(),
  /** DHE group size seen in a TLS 1.2 ServerKeyExchange, if any DHE suite was chosen. */
  dhBits: z.number().int().nonnegative().nullable(),
  protocols: z.array(TlsProtocolScan),
  /**
   * No server name was sent (an IP target without one) and every TLS 1.2 and TLS 1.3 ClientHello — the first
   * hello, the enumeration's and the full handshake — was refused before any ServerHello with alert 112
   * (unrecognized_name), 40 (handshake_failure) or a reset: the server needs a name (DESIGN §2).
   */
  refusedWithoutServerName: z.boolean().optional(),
  timings: z.object({
    firstAnswerMs: z.number().nonnegative().nullable(),
    enumerationMs: z.number().nonnegative().nullable(),
    handshakeMs: z.number().nonnegative().nullable(),
    connections: z.number().int().nonnegative(),
  }),
  errors: z.array(TlsFailure),
});
export type TlsEvidence = z.infer<typeof TlsEvidence>;

/** cellcert.tls-evidence/1: the same record with the first connection's `reachability` instead of `unreachable`. */
const TlsEvidenceV1 = TlsEvidence.omit({ schema: true, unreachable: true })
  .extend({
    schema: z.literal(TLS_EVIDENCE_V1),
    reachability: z.object({ state: ConnectionState, message: z.string() }),
  })
  .transform(({ reachability, ...v1 }): TlsEvidence => ({
    ...v1,
    // /1 listed the first connection's failure among the errors too; /2 holds it only in `unreachable`.
    errors:
      reachability.state === "open"
        ? v1.errors
        : v1.errors.filter((e) => e.stage !== "connect"),
    schema: TLS_EVIDENCE_SCHEMA,
    unreachable:
      reachability.state === "open"
        ? null
        : {
            stage: "connect",
            kind: reachability.state,
            protocol: null,
            code: v1.errors.find((e) => e.stage === "connect")?.code ?? "",
            message: reachability.message,
          },
  }));

/** TLS evidence of any version, read as the current one (where it is shown or compared; rules judge only /2). */
export const TlsEvidenceAnyVersion = z.union([TlsEvidence, TlsEvidenceV1]);
