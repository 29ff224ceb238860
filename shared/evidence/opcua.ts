// What the OPC UA probe records (docs/evidence.md, "OPC UA"): the Hello/Acknowledge, the secure channel opened
// with SecurityPolicy None on the discovery channel, and the GetEndpoints answer — every endpoint with its
// security mode, policy, application certificate and user token policies. Observations only: the MES-PCS
// OPC UA rules judge them. No session is created and no credential is ever sent.
import { z } from "zod";
import { CertificateInfo } from "./certificate";
import { probeFailureWith, upgradeFailureKindsOfV1 } from "./connection";

import { OPCUA_EVIDENCE_SCHEMA, OPCUA_EVIDENCE_V1 } from "./schema-names";

export { OPCUA_EVIDENCE_SCHEMA };

/**
 * Why a step could not observe what it wanted, classified so the rules can pick the verdict: the one failure
 * record (connection.ts: a connect failure by its state, closed, timeout, stopped) with OPC UA's own kinds.
 * `code`: Node's code ("ECONNREFUSED"), the OPC UA status name ("BadTcpEndpointUrlInvalid"), or the fault
 * ("tls-answer", "http-answer", "bad-header", "truncated", "malformed", "too-large"…).
 */
export const OpcuaError = probeFailureWith([
  /** The answer is not OPC UA binary (another protocol, a bad header, a malformed message). */
  "protocol",
  /** The server answered with an OPC UA error (ERR message, an aborted chunk, or a ServiceFault). */
  "opcua-error",
  "other",
] as const);
export type OpcuaError = z.infer<typeof OpcuaError>;

/** How a step ended: answered as wanted, answered with an OPC UA error, or not answered as OPC UA. */
const StepOutcome = z.enum([
  /** The answer the step wanted. */
  "answered",
  /** An OPC UA error: ERR, an aborted chunk, a ServiceFault or a bad serviceResult. */
  "error",
  /** Closed or reset before a whole answer arrived. */
  "closed",
  /** Silent until the timeout. */
  "no-answer",
  /** Bytes that are not the OPC UA message expected here. */
  "not-opcua",
]);

/** The Acknowledge: the buffer sizes the server accepts. */
export const OpcuaAcknowledge = z.object({
  protocolVersion: z.number().int().nonnegative(),
  receiveBufferSize: z.number().int().nonnegative(),
  sendBufferSize: z.number().int().nonnegative(),
  /** 0: no limit. */
  maxMessageSize: z.number().int().nonnegative(),
  /** 0: no limit. */
  maxChunkCount: z.number().int().nonnegative(),
});
export type OpcuaAcknowledge = z.infer<typeof OpcuaAcknowledge>;

export const HelloStep = z.object({
  outcome: StepOutcome,
  acknowledge: OpcuaAcknowledge.nullable(),
  /** For an OPC UA error: the status code as sent (e.g. 0x80830000). */
  statusCode: z.number().int().nonnegative().nullable(),
  error: OpcuaError.nullable(),
});
export type HelloStep = z.infer<typeof HelloStep>;

/** OpenSecureChannel with SecurityPolicy None and mode None: the discovery channel, no certificate sent. */
export const SecureChannelStep = z.object({
  outcome: StepOutcome,
  channelId: z.number().int().nonnegative().nullable(),
  tokenId: z.number().int().nonnegative().nullable(),
  revisedLifetimeMs: z.number().int().nonnegative().nullable(),
  statusCode: z.number().int().nonnegative().nullable(),
  error: OpcuaError.nullable(),
});
export type SecureChannelStep = z.infer<typeof SecureChannelStep>;

export const OpcuaUserTokenType = z.enum([
  "anonymous",
  "user-name",
  "certificate",
  "issued-token",
  "unknown",
]);
export type OpcuaUserTokenType = z.infer<typeof OpcuaUserTokenType>;

/** One UserTokenPolicy of an endpoint: a kind of user identity the server accepts there. */
export const OpcuaUserTokenPolicy = z.object({
  policyId: z.string(),
  tokenType: OpcuaUserTokenType,
  /** The UserTokenType value as sent (0 anonymous, 1 user name, 2 certificate, 3 issued token). */
  tokenTypeValue: z.number().int(),
  issuedTokenType: z.string(),
  issuerEndpointUrl: z.string(),
  /** The policy that protects the token itself; "" means the endpoint's own policy applies. */
  securityPolicyUri: z.string(),
});
export type OpcuaUserTokenPolicy = z.infer<typeof OpcuaUserTokenPolicy>;

export const OpcuaSecurityMode = z.enum([
  "invalid",
  "none",
  "sign",
  "sign-and-encrypt",
  "unknown",
]);
export type OpcuaSecurityMode = z.infer<typeof OpcuaSecurityMode>;

/** The server's ApplicationDescription, as each endpoint carries it. */
export const OpcuaApplication = z.object({
  applicationUri: z.string(),
  productUri: z.string(),
  /** The LocalizedText's text. */
  applicationName: z.string(),
  applicationType: z.enum([
    "server",
    "client",
    "client-and-server",
    "discovery-server",
    "unknown",
  ]),
});
export type OpcuaApplication = z.infer<typeof OpcuaApplication>;

export const OpcuaEndpoint = z.object({
  endpointUrl: z.string(),
  securityMode: OpcuaSecurityMode,
  /** The MessageSecurityMode value as sent (1 None, 2 Sign, 3 SignAndEncrypt). */
  securityModeValue: z.number().int(),
  securityPolicyUri: z.string(),
  /** The server's own ranking of the endpoint (higher is more secure). */
  securityLevel: z.number().int().min(0).max(255),
  transportProfileUri: z.string(),
  server: OpcuaApplication,
  /** The ServerCertificate field: the application certificate first, then any issuer certificates the server
   * appends (OPC UA allows a chain there); empty when the endpoint sends none. */
  serverCertificateChain: z.array(CertificateInfo),
  /** Why the ServerCertificate bytes could not be read as X.509 certificates; "" when they could (or were empty). */
  serverCertificateError: z.string(),
  userIdentityTokens: z.array(OpcuaUserTokenPolicy),
});
export type OpcuaEndpoint = z.infer<typeof OpcuaEndpoint>;

export const GetEndpointsStep = z.object({
  outcome: StepOutcome,
  /** The ResponseHeader's serviceResult (or the ServiceFault's), as sent. */
  statusCode: z.number().int().nonnegative().nullable(),
  /** Chunks and bytes of the answer (a large answer comes in several chunks). */
  chunks: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  endpoints: z.array(OpcuaEndpoint),
  error: OpcuaError.nullable(),
  // Issue 18: the server's clock, a source of the run's clock skew beside HTTP Date headers.
  /** The ResponseHeader's timestamp (the server's clock), ISO 8601; null when it sent none. */
  serverTimestamp: z.iso.datetime({ offset: true }).nullable().optional(),
  /** The laptop's clock when the answer was read. */
  receivedAt: z.iso.datetime({ offset: true }).optional(),
});
export type GetEndpointsStep = z.infer<typeof GetEndpointsStep>;

export const OpcuaEvidence = z.object({
  schema: z.literal(OPCUA_EVIDENCE_SCHEMA),
  target: z.object({
    host: z.string(),
    port: z.number().int().min(1).max(65535),
    /** The /PATH of opc.tcp://HOST:PORT/PATH, or "". */
    path: z.string(),
    /** The endpoint URL sent in the Hello and in GetEndpoints. */
    url: z.string(),
    localAddress: z.string().nullable(),
  }),
  startedAt: z.iso.datetime({ offset: true }),
  durationMs: z.number().nonnegative(),
  /** Each step's wall time, or null when the step was not reached. */
  timings: z.object({
    connectMs: z.number().nonnegative().nullable(),
    helloMs: z.number().nonnegative().nullable(),
    openSecureChannelMs: z.number().nonnegative().nullable(),
    getEndpointsMs: z.number().nonnegative().nullable(),
  }),
  /** Set when nothing could be judged: the endpoint could not be reached (or the probe was stopped). */
  unreachable: OpcuaError.nullable(),
  hello: HelloStep.nullable(),
  secureChannel: SecureChannelStep.nullable(),
  getEndpoints: GetEndpointsStep.nullable(),
});
export type OpcuaEvidence = z.infer<typeof OpcuaEvidence>;

/** Opcua evidence of any version, read as the current one (where it is shown or compared; rules judge only /2). */
export const OpcuaEvidenceAnyVersion = z.preprocess(
  (data) =>
    upgradeFailureKindsOfV1(data, OPCUA_EVIDENCE_V1, OPCUA_EVIDENCE_SCHEMA),
  OpcuaEvidence,
);
