// What the SQL Server probe records (docs/evidence.md, "SQL Server"): the PRELOGIN answer, the TLS handshake
// inside TDS, TDS 8.0, the SQL Browser answer and, with credentials, the session's own facts. Observations
// only: the APP-DB rules judge them. Never holds a password.
import { z } from "zod";
import { CertificateInfo } from "./certificate";
import { probeFailureWith, upgradeFailureKindsOfV1 } from "./connection";

import { MSSQL_EVIDENCE_SCHEMA, MSSQL_EVIDENCE_V1 } from "./schema-names";

export { MSSQL_EVIDENCE_SCHEMA };

/**
 * Why a step could not observe what it wanted, classified so the rules can pick the verdict: the one failure
 * record (connection.ts: a connect failure by its state, closed, timeout, stopped) with SQL Server's own kinds.
 */
export const MssqlError = probeFailureWith([
  /** The answer is not TDS (wrong packet type, bad length, malformed PRELOGIN, TLS where TDS belongs). */
  "protocol",
  /** The TLS handshake failed. */
  "tls",
  /** SQL Browser did not give a port. */
  "browser",
  /** The SQL login was refused. */
  "login",
  /** A query was refused for a missing permission. */
  "permission",
  "other",
] as const);
export type MssqlError = z.infer<typeof MssqlError>;

export const SqlVersion = z.object({
  major: z.number().int(),
  minor: z.number().int(),
  build: z.number().int(),
  subbuild: z.number().int(),
  /** "16.0.1000" */
  text: z.string(),
  /** "SQL Server 2022", or "" when the major version is unknown. */
  product: z.string(),
});
export type SqlVersion = z.infer<typeof SqlVersion>;

export const PreloginAnswer = z.object({
  /** The raw ENCRYPTION byte. */
  encryptionByte: z.number().int().min(0).max(255),
  /** MS-TDS's word for it, or "unknown". */
  encryption: z.enum(["off", "on", "not-supported", "required", "unknown"]),
  /** Bit 0x80: the server wants a client certificate. */
  clientCertificate: z.boolean(),
  version: SqlVersion.nullable(),
  /** The option tokens of the answer, in order, for the record. */
  options: z.array(z.number().int()),
});
export type PreloginAnswer = z.infer<typeof PreloginAnswer>;

/** One TLS handshake inside TDS (wrapped in PRELOGIN packets, or TLS-first for TDS 8.0). */
export const TdsTls = z.object({
  completed: z.boolean(),
  /** "TLSv1.2", "TLSv1.3"… */
  protocol: z.string().nullable(),
  cipher: z
    .object({
      name: z.string(),
      standardName: z.string(),
      version: z.string(),
    })
    .nullable(),
  /** The ALPN protocol the server selected ("tds/8.0"), or null. */
  alpn: z.string().nullable(),
  /** The certificates exactly as the server sent them (its Certificate message), leaf first. */
  chain: z.array(CertificateInfo),
  /** The OCSP response the server stapled (always asked for), base64 DER; null: none. */
  ocspStaple: z.string().nullable().optional(),
  error: MssqlError.nullable(),
});
export type TdsTls = z.infer<typeof TdsTls>;

/** The cleartext PRELOGIN the probe sends first (ENCRYPTION = OFF), and what came of it. */
export const PreloginStep = z.object({
  sent: z.literal("off"),
  outcome: z.enum([
    /** A well-formed PRELOGIN answer. */
    "answered",
    /** Closed or reset without an answer (how a strict-only server refuses a cleartext PRELOGIN). */
    "refused",
    /** Connected, silent until the timeout. */
    "no-answer",
    /** Answered with TLS records instead of TDS. */
    "tls-answer",
    /** Answered, but not with a well-formed PRELOGIN. */
    "not-tds",
  ]),
  answer: PreloginAnswer.nullable(),
  /** The TLS handshake wrapped in PRELOGIN packets, when the answer allowed one. */
  tls: TdsTls.nullable(),
  error: MssqlError.nullable(),
});
export type PreloginStep = z.infer<typeof PreloginStep>;

/** TDS 8.0: TLS first with ALPN tds/8.0, then PRELOGIN inside TLS. */
export const Tds8Step = z.object({
  outcome: z.enum([
    /** TLS completed and a well-formed PRELOGIN answer came back inside it. */
    "works",
    /** The TLS handshake failed (a TDS 7 server closes on a ClientHello). */
    "tls-failed",
    /** TLS completed but no PRELOGIN answer came back inside it: not a TDS 8.0 server. */
    "no-tds-answer",
  ]),
  tls: TdsTls.nullable(),
  answer: PreloginAnswer.nullable(),
  error: MssqlError.nullable(),
});
export type Tds8Step = z.infer<typeof Tds8Step>;

export const BrowserStep = z.object({
  /** UDP port asked (1434). */
  port: z.number().int(),
  instance: z.string(),
  answered: z.boolean(),
  /** The instance's TCP port from the answer, or null. */
  tcpPort: z.number().int().nullable(),
  /** The answer text, at most 2048 characters. */
  answer: z.string(),
  error: MssqlError.nullable(),
});
export type BrowserStep = z.infer<typeof BrowserStep>;

export const SessionFacts = z.object({
  /** Where the facts come from: the DMV (VIEW SERVER STATE) or CONNECTIONPROPERTY (no permission needed). */
  source: z.enum(["dm_exec_connections", "connectionproperty"]),
  /** "TRUE" / "FALSE"; null where the source cannot tell. */
  encryptOption: z.string().nullable(),
  /** "SQL", "NTLM", "KERBEROS". */
  authScheme: z.string().nullable(),
  /** e.g. 0x74000004 (TDS 7.4), 0x08000000 (TDS 8.0). */
  protocolVersion: z.number().int().nullable(),
  netTransport: z.string().nullable(),
});
export type SessionFacts = z.infer<typeof SessionFacts>;

export const AppSession = z.object({
  sessionId: z.number().int(),
  login: z.string(),
  hostName: z.string(),
  programName: z.string(),
  encryptOption: z.string(),
  authScheme: z.string(),
  netTransport: z.string(),
});
export type AppSession = z.infer<typeof AppSession>;

export const MissingPermission = z.object({
  /** What the probe wanted to read. */
  query: z.enum(["session", "registry", "app-sessions"]),
  permission: z.string(),
  /** SQL Server's error number (300, 297…) and its own words. */
  number: z.number().int(),
  message: z.string(),
});
export type MissingPermission = z.infer<typeof MissingPermission>;

export const CredentialedStep = z.object({
  /** The SQL login used (never the password). */
  login: z.string(),
  /** How the client connected: TDS 7 with encrypt=true, or TDS 8.0 strict. */
  mode: z.enum(["tds7-encrypt", "tds8-strict"]),
  connected: z.boolean(),
  error: MssqlError.nullable(),
  /** What the client itself negotiated for the session (null in strict mode, where tedious does not say). */
  clientTls: z.object({ protocol: z.string(), cipher: z.string() }).nullable(),
  session: SessionFacts.nullable(),
  /** SERVERPROPERTY('IsIntegratedSecurityOnly'): 1 Windows-only, 0 mixed mode. */
  integratedSecurityOnly: z.number().int().nullable(),
  productVersion: z.string().nullable(),
  /** ForceEncryption, Certificate, ForceStrictEncryption under SuperSocketNetLib, where readable. */
  registry: z
    .array(z.object({ key: z.string(), name: z.string(), value: z.string() }))
    .nullable(),
  /** Sessions of the MES application's login, where VIEW SERVER STATE is granted and a login is named. */
  appLogin: z.string().nullable(),
  appSessions: z.array(AppSession).nullable(),
  permissionsMissing: z.array(MissingPermission),
  /** Queries that failed for another reason (an old version without the view, a timeout…). */
  queryErrors: z.array(
    z.object({
      query: z.enum([
        "session",
        "connection-property",
        "server",
        "registry",
        "app-sessions",
      ]),
      error: MssqlError,
    }),
  ),
});
export type CredentialedStep = z.infer<typeof CredentialedStep>;

export const MssqlEvidence = z.object({
  schema: z.literal(MSSQL_EVIDENCE_SCHEMA),
  target: z.object({
    host: z.string(),
    /** The TCP port probed; null when it could not be found. */
    port: z.number().int().nullable(),
    portSource: z.enum(["explicit", "sql-browser", "default"]),
    instance: z.string().nullable(),
    /** The name the certificate must carry (SNI and name check). */
    serverName: z.string(),
    localAddress: z.string().nullable(),
  }),
  /** Set when nothing could be judged: the SQL Server could not be reached (or SQL Browser gave no port). */
  unreachable: MssqlError.nullable(),
  browser: BrowserStep.nullable(),
  prelogin: PreloginStep.nullable(),
  tds8: Tds8Step.nullable(),
  /** Why TDS 8.0 was not tried (a server older than SQL Server 2022 is not sent a ClientHello); "" when tried. */
  tds8Skipped: z.string(),
  /** Null when no credentials were given, or when the login was not attempted (`credentialsSkipped` says why). */
  credentialed: CredentialedStep.nullable(),
  credentialsSkipped: z.string(),
});
export type MssqlEvidence = z.infer<typeof MssqlEvidence>;

/** Mssql evidence of any version, read as the current one (where it is shown or compared; rules judge only /2). */
export const MssqlEvidenceAnyVersion = z.preprocess(
  (data) =>
    upgradeFailureKindsOfV1(data, MSSQL_EVIDENCE_V1, MSSQL_EVIDENCE_SCHEMA),
  MssqlEvidence,
);
