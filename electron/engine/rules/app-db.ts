// The APP-DB checks (DESIGN §4) as pure functions of the SQL Server probe's evidence: encryption forced, the
// certificate inside TDS, its TLS version, and — with credentials — SQL authentication, mixed mode and the MES
// application's own sessions. A check whose prerequisite (catalog) failed is not-tested, naming it (DESIGN §2).
import { commonName } from "../../../shared/evidence/distinguished-name";
import { findCheck } from "../../../shared/catalog/catalog";
import {
  effectiveTlsThresholds,
  TLS_PROTOCOL_LABELS,
  TLS_PROTOCOLS,
  type TlsProtocol,
} from "../../../shared/catalog/thresholds";
import type {
  CredentialedStep,
  MssqlEvidence,
  PreloginAnswer,
  TdsTls,
} from "../../../shared/evidence/mssql";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import {
  certificateCheckIds,
  combineCertificateOutcomes,
  evaluateCertificate,
  keyExchangeOf,
  type CertificateJudgeOptions,
} from "../x509";
import { formatHostPort } from "../../../shared/model/net";

export const APP_DB_CHECKS = [
  "APP-DB.tds.encryption",
  "APP-DB.tds.cert",
  "APP-DB.tds.protocol",
  "APP-DB.sql.auth",
  "APP-DB.sql.mixed-mode",
  "APP-DB.sql.app-sessions",
] as const;
export type AppDbCheckId = (typeof APP_DB_CHECKS)[number];

export interface AppDbContext {
  /** The plan's trust anchors for this endpoint, PEM. */
  anchorsPem: readonly string[];
  publicRoots: boolean;
  /** policy.headroomDays (at least 30). */
  headroomDays: number;
  /** policy.minimumTlsVersion. */
  minimumTlsVersion: "TLSv1.2" | "TLSv1.3";
  /** Whether credentials were given at all (without them the sql.* checks are not-tested, "no credentials"). */
  credentialsGiven: boolean;
  now: Date;
  /** The plan's CRLs (PEM or DER). */
  crls?: readonly (string | Uint8Array)[];
  /** policy.requireRevocation. */
  requireRevocation?: boolean;
}

/** SQL Server's certificate when none is configured. */
export const SELF_SIGNED_FALLBACK_CN = "SSL_Self_Signed_Fallback";

/** What the probe found about encryption, in the words the verdicts use. */
export type EncryptionSituation =
  | { kind: "unreachable" }
  /** PRELOGIN answered REQ (or ON) to a client asking OFF: every session encrypted. */
  | { kind: "forced"; answer: PreloginAnswer; strictSupported: boolean }
  /** A cleartext PRELOGIN was refused while TLS-first (TDS 8.0) works. */
  | { kind: "strict-enforced" }
  /** PRELOGIN answered OFF: encryption only when the client asks. */
  | {
      kind: "available-not-forced";
      answer: PreloginAnswer;
      strictSupported: boolean;
    }
  /** PRELOGIN answered NOT_SUP: no certificate, no TLS. */
  | { kind: "not-supported"; answer: PreloginAnswer; strictSupported: boolean }
  /** The cleartext PRELOGIN went unanswered while TDS 8.0 works: enforcement not proven. */
  | { kind: "strict-unproven" }
  /** An ENCRYPTION value MS-TDS does not define. */
  | { kind: "unknown-answer"; answer: PreloginAnswer }
  /** The endpoint answers, but not as a SQL Server (or not at all) on either path. */
  | { kind: "not-sql-server"; detail: string };

export function encryptionSituation(
  evidence: MssqlEvidence,
): EncryptionSituation {
  const cleartext = evidence.prelogin;
  if (evidence.unreachable !== null || cleartext === null) {
    return { kind: "unreachable" };
  }
  const strictSupported = evidence.tds8?.outcome === "works";
  if (cleartext.outcome === "answered" && cleartext.answer !== null) {
    const answer = cleartext.answer;
    switch (answer.encryption) {
      case "required":
      case "on":
        return { kind: "forced", answer, strictSupported };
      case "off":
        return { kind: "available-not-forced", answer, strictSupported };
      case "not-supported":
        return { kind: "not-supported", answer, strictSupported };
      case "unknown":
        return { kind: "unknown-answer", answer };
    }
  }
  if (strictSupported) {
    // A refusal (close, reset, or a TLS alert) proves enforcement; silence does not.
    return cleartext.outcome === "no-answer"
      ? { kind: "strict-unproven" }
      : { kind: "strict-enforced" };
  }
  return {
    kind: "not-sql-server",
    detail: cleartext.error?.message ?? "the PRELOGIN was not answered",
  };
}

const hex = (n: number): string =>
  `0x${n.toString(16).padStart(2, "0").toUpperCase()}`;
const ANSWER_WORD: Record<PreloginAnswer["encryption"], string> = {
  off: "OFF",
  on: "ON",
  "not-supported": "NOT_SUP",
  required: "REQ",
  unknown: "unknown",
};

function registryValue(evidence: MssqlEvidence, name: string): string | null {
  const row = evidence.credentialed?.registry?.find(
    (r) => r.name.toLowerCase() === name.toLowerCase(),
  );
  return row === undefined ? null : row.value;
}

function versionPhrase(evidence: MssqlEvidence): string {
  const version =
    evidence.prelogin?.answer?.version ??
    evidence.tds8?.answer?.version ??
    null;
  if (version === null) return "";
  return version.product === ""
    ? ` (version ${version.text})`
    : ` (${version.product}, ${version.text})`;
}

const ENCRYPTION_THRESHOLD =
  "PRELOGIN answers encryption required (Force Encryption), or TDS 8.0 strict encryption is enforced";

function judgeEncryption(evidence: MssqlEvidence): CheckOutcome {
  const id = "APP-DB.tds.encryption";
  const situation = encryptionSituation(evidence);
  const where =
    evidence.target.port === null
      ? `${evidence.target.host} (port unknown)`
      : formatHostPort(evidence.target.host, evidence.target.port);
  const server = `SQL Server at ${where}${versionPhrase(evidence)}`;
  const forceRegistry = registryValue(evidence, "ForceEncryption");
  const registryNote =
    forceRegistry === null
      ? ""
      : `; registry ForceEncryption = ${forceRegistry}`;
  const strictNote = (supported: boolean): string =>
    supported ? "; TDS 8.0 strict supported, not enforced" : "";
  switch (situation.kind) {
    case "unreachable":
      return notTested(
        id,
        "unreachable",
        evidence.unreachable?.message ?? "The SQL Server could not be reached.",
      );
    case "forced":
      return outcome(
        id,
        "pass",
        `${server} forces encryption: a client asking for none is told ${ANSWER_WORD[situation.answer.encryption]}, so every session runs inside TLS.`,
        {
          measured: `PRELOGIN ENCRYPTION ${ANSWER_WORD[situation.answer.encryption]} (${hex(situation.answer.encryptionByte)}) to a client asking OFF${strictNote(situation.strictSupported)}${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "strict-enforced":
      return outcome(
        id,
        "pass",
        `${server} enforces TDS 8.0 strict encryption: it refuses a cleartext PRELOGIN, and every session starts with TLS.`,
        {
          measured: `cleartext PRELOGIN refused (${evidence.prelogin?.error?.message ?? "closed"}); TDS 8.0 (TLS first, ALPN ${evidence.tds8?.tls?.alpn ?? "—"}) works${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "available-not-forced":
      return outcome(
        id,
        "fail",
        `${server} encrypts only when the client asks: it answers OFF to a client asking OFF, so a client without Encrypt=True sends its queries and results in clear (only the login is encrypted). Set Force Encryption = Yes in SQL Server Configuration Manager (Protocols for the instance → Properties)${situation.strictSupported ? ", or Force Strict Encryption since TDS 8.0 already works" : ""}, and restart the service.`,
        {
          measured: `PRELOGIN ENCRYPTION OFF (${hex(situation.answer.encryptionByte)}) to a client asking OFF${strictNote(situation.strictSupported)}${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "not-supported":
      return outcome(
        id,
        "fail",
        `${server} cannot encrypt at all: it answers NOT_SUP, so every session — the SQL login's password included — travels in clear. Install a certificate issued by the plant's CA for the instance, set Force Encryption = Yes, and restart the service.`,
        {
          measured: `PRELOGIN ENCRYPTION NOT_SUP (${hex(situation.answer.encryptionByte)})${registryNote}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "strict-unproven":
      return notTested(
        id,
        "strict enforcement not proven",
        `${server} speaks TDS 8.0, but did not answer a cleartext PRELOGIN within the timeout rather than refusing it, so whether cleartext clients are refused is not proven. Probe again; if it stays silent, check Force Strict Encryption in SQL Server Configuration Manager and attest it.`,
      );
    case "unknown-answer":
      return outcome(
        id,
        "fail",
        `${server} answered the PRELOGIN with ENCRYPTION ${hex(situation.answer.encryptionByte)}, a value MS-TDS does not define: clients cannot rely on it. Check what answers on this port.`,
        {
          measured: `PRELOGIN ENCRYPTION ${hex(situation.answer.encryptionByte)}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    case "not-sql-server": {
      const tds8 = evidence.tds8;
      const tds8Note =
        tds8 === null
          ? ""
          : ` TDS 8.0 (TLS first) did not work either: ${tds8.error?.message ?? tds8.outcome}`;
      return outcome(
        id,
        "fail",
        `The endpoint at ${where} does not answer as a SQL Server: ${situation.detail}${tds8Note} Check the port (a named instance has its own), and that SQL Server listens there.`,
        {
          measured: `cleartext PRELOGIN: ${evidence.prelogin?.outcome ?? "—"}; TDS 8.0: ${tds8?.outcome ?? "not tried"}`,
          threshold: ENCRYPTION_THRESHOLD,
        },
      );
    }
  }
}

/** The handshakes that completed inside TDS, the TDS 7 one (what the MES application meets) first. */
function completedHandshakes(
  evidence: MssqlEvidence,
): { path: "PRELOGIN" | "TDS 8.0"; tls: TdsTls }[] {
  const found: { path: "PRELOGIN" | "TDS 8.0"; tls: TdsTls }[] = [];
  const inPrelogin = evidence.prelogin?.tls;
  if (inPrelogin?.completed === true)
    found.push({ path: "PRELOGIN", tls: inPrelogin });
  const tds8 = evidence.tds8;
  if (tds8?.outcome === "works" && tds8.tls?.completed === true)
    found.push({ path: "TDS 8.0", tls: tds8.tls });
  return found;
}

const VERDICT_RANK = { fail: 3, "not-tested": 2, warn: 1, pass: 0 } as const;

async function judgeCertificate(
  evidence: MssqlEvidence,
  context: AppDbContext,
): Promise<CheckOutcome> {
  const id = "APP-DB.tds.cert";
  const handshakes = completedHandshakes(evidence);
  if (handshakes.length === 0) {
    const failed =
      evidence.prelogin?.tls?.error ?? evidence.tds8?.tls?.error ?? null;
    return notTested(
      id,
      "no certificate",
      failed === null
        ? "No TLS session was set up inside TDS, so there is no certificate to judge."
        : `No TLS session was set up inside TDS, so there is no certificate to judge: ${failed.message}`,
    );
  }
  const judged = new Map<string, CheckOutcome>();
  for (const { path, tls } of handshakes) {
    const leaf = tls.chain[0];
    const key = leaf?.fingerprintSha256 ?? path;
    if (judged.has(key)) continue;
    const combined =
      leaf !== undefined && commonName(leaf.subject) === SELF_SIGNED_FALLBACK_CN
        ? await fallbackOutcome(id, evidence, context, tls)
        : combineCertificateOutcomes(
            id,
            await evaluateCertificate(
              tls.chain,
              tdsJudgeOptions(evidence, context, tls),
            ),
          );
    judged.set(
      key,
      handshakes.length > 1 && judged.size > 0
        ? {
            ...combined,
            message: `TDS 8.0 presents another certificate: ${combined.message}`,
          }
        : combined,
    );
  }
  return [...judged.values()].reduce((worst, next) =>
    VERDICT_RANK[next.verdict] > VERDICT_RANK[worst.verdict] ? next : worst,
  );
}

/** How the certificate inside TDS is judged: a TLS server's, against the negotiated key exchange. */
function tdsJudgeOptions(
  evidence: MssqlEvidence,
  context: AppDbContext,
  tls: TdsTls,
): CertificateJudgeOptions {
  return {
    checkIds: certificateCheckIds("APP-DB"),
    anchorsPem: context.anchorsPem,
    crls: context.crls ?? [],
    ocspStaple:
      tls.ocspStaple == null ? null : Buffer.from(tls.ocspStaple, "base64"),
    requireRevocation: context.requireRevocation ?? false,
    purpose: {
      kind: "server-tls",
      keyExchange:
        tls.protocol === null || tls.cipher === null
          ? null
          : keyExchangeOf(tls.protocol, tls.cipher.standardName),
    },
    publicRoots: context.publicRoots,
    referenceName: evidence.target.serverName,
    headroomDays: context.headroomDays,
    now: context.now,
  };
}

/** The self-signed fallback fails by name, whatever else is said about it. */
async function fallbackOutcome(
  id: string,
  evidence: MssqlEvidence,
  context: AppDbContext,
  tls: TdsTls,
): Promise<CheckOutcome> {
  const certificateValue = registryValue(evidence, "Certificate");
  const aspects = combineCertificateOutcomes(
    id,
    await evaluateCertificate(
      tls.chain,
      tdsJudgeOptions(evidence, context, tls),
    ),
  );
  return outcome(
    id,
    "fail",
    `SQL Server is using its self-signed fallback certificate: no certificate is configured, so the session is encrypted but the server's identity is not proven, and anyone on the network can pose as it. Install a certificate issued by the plant's CA for ${evidence.target.serverName} (SQL Server Configuration Manager → Protocols for the instance → Properties → Certificate) and restart the service.`,
    {
      measured: `CN=${SELF_SIGNED_FALLBACK_CN} (SHA-256 ${tls.chain[0]?.fingerprintSha256 ?? "—"})${certificateValue === null ? "" : `; registry Certificate = "${certificateValue}"`}; ${aspects.measured}`,
      threshold:
        "a certificate issued by the plant's CA for the server's name; never SQL Server's self-signed fallback",
    },
  );
}

function protocolRank(protocol: string | null): number {
  return protocol === null
    ? -1
    : TLS_PROTOCOLS.indexOf(protocol as TlsProtocol);
}
const protocolLabel = (protocol: string): string =>
  (TLS_PROTOCOLS as readonly string[]).includes(protocol)
    ? TLS_PROTOCOL_LABELS[protocol as TlsProtocol]
    : protocol;

function judgeProtocol(
  evidence: MssqlEvidence,
  context: AppDbContext,
): CheckOutcome {
  const id = "APP-DB.tds.protocol";
  const thresholds = effectiveTlsThresholds({
    minimumTlsVersion: context.minimumTlsVersion,
  });
  const minimum = thresholds.minimumProtocol;
  const threshold = `${protocolLabel(minimum)} or newer (the probe offers TLS 1.2 and 1.3 only; older versions are never offered to SQL Server, DESIGN §5)`;
  const handshakes = completedHandshakes(evidence);
  const tds7Failure =
    evidence.prelogin?.tls !== null &&
    evidence.prelogin?.tls !== undefined &&
    !evidence.prelogin.tls.completed
      ? evidence.prelogin.tls.error
      : null;
  const measured = handshakes
    .map(
      ({ path, tls }) =>
        `${protocolLabel(tls.protocol ?? "?")} inside ${path === "PRELOGIN" ? "PRELOGIN (TDS 7)" : "TDS 8.0"} (${tls.cipher?.standardName ?? "—"})`,
    )
    .join("; ");
  if (tds7Failure !== null) {
    return outcome(
      id,
      "fail",
      `No TLS 1.2 or newer session could be set up inside TDS, which clients of the MES application use: ${tds7Failure.message} Enable TLS 1.2 for SQL Server (and Windows' Schannel) and install a current SQL Server update.`,
      {
        measured:
          measured === ""
            ? `handshake failed (${tds7Failure.code || tds7Failure.kind})`
            : `${measured}; inside PRELOGIN: handshake failed (${tds7Failure.code || tds7Failure.kind})`,
        threshold,
      },
    );
  }
  if (handshakes.length === 0) {
    return notTested(
      id,
      "no TLS session",
      "No TLS session was set up inside TDS, so there is no protocol version to judge.",
    );
  }
  const weak = handshakes.filter(
    ({ tls }) => protocolRank(tls.protocol) < protocolRank(minimum),
  );
  if (weak.length > 0) {
    return outcome(
      id,
      "fail",
      `SQL Server negotiates ${weak.map(({ tls }) => protocolLabel(tls.protocol ?? "?")).join(", ")}, below ${protocolLabel(minimum)}${minimum === "TLSv1.3" ? " (the plan's policy)" : ""}. Enable ${protocolLabel(minimum)} for SQL Server and disable the older versions in Windows' Schannel.`,
      { measured, threshold },
    );
  }
  return outcome(
    id,
    "pass",
    `SQL Server negotiates ${[...new Set(handshakes.map(({ tls }) => protocolLabel(tls.protocol ?? "?")))].join(" and ")} inside TDS.`,
    { measured, threshold },
  );
}

// Neutral words: the command line adds its option hint (probe mssql), the app where to add a SQL credential.
const NO_CREDENTIALS =
  "No SQL login was given: this check logs in to SQL Server and needs one.";

/** Why a credentialed check cannot be judged, or null when it can. */
/** The SQL login's step, or why a check that needs it is not tested (no credentials, login not attempted). */
function credentialedStep(
  id: string,
  evidence: MssqlEvidence,
  context: AppDbContext,
): { step: CredentialedStep } | { skip: CheckOutcome } {
  if (!context.credentialsGiven)
    return { skip: notTested(id, "no credentials", NO_CREDENTIALS) };
  if (evidence.credentialed === null) {
    return {
      skip: notTested(
        id,
        "login not attempted",
        evidence.credentialsSkipped === ""
          ? "The SQL login was not attempted."
          : evidence.credentialsSkipped,
      ),
    };
  }
  return { step: evidence.credentialed };
}

const WINDOWS_ONLY = /Windows authentication only/i;

function judgeAuth(
  evidence: MssqlEvidence,
  context: AppDbContext,
): CheckOutcome {
  const id = "APP-DB.sql.auth";
  const found = credentialedStep(id, evidence, context);
  if ("skip" in found) return found.skip;
  const { step } = found;
  const threshold =
    "a SQL login over an encrypted session: encrypt_option TRUE, auth_scheme SQL";
  if (!step.connected) {
    const error = step.error;
    if (error?.kind === "tls") {
      return outcome(
        id,
        "fail",
        `${error.message} The MES application, with Encrypt=True and TrustServerCertificate=False, fails the same way; fix the server's certificate rather than trusting it blindly.`,
        {
          measured: `login failed in the TLS handshake (${error.code})`,
          threshold,
        },
      );
    }
    if (error?.kind === "login") {
      return notTested(id, "login refused", error.message);
    }
    return notTested(
      id,
      `login failed (${error?.kind ?? "unknown"})`,
      error?.message ?? "The SQL login failed.",
    );
  }
  const session = step.session;
  if (session === null) {
    const why = step.queryErrors.find((q) => q.query === "connection-property")
      ?.error.message;
    return notTested(
      id,
      "session unknown",
      `Logged in as "${step.login}", but the session's authentication could not be read${why === undefined ? "" : `: ${why}`}.`,
    );
  }
  const clientSide =
    step.mode === "tds8-strict"
      ? "TDS 8.0 strict (TLS before any TDS)"
      : step.clientTls === null
        ? null
        : `${protocolLabel(step.clientTls.protocol)} for the whole session`;
  const encrypted =
    session.encryptOption !== null
      ? session.encryptOption.toUpperCase() === "TRUE"
      : clientSide !== null;
  const sqlAuth = (session.authScheme ?? "").toUpperCase() === "SQL";
  const measured =
    session.source === "dm_exec_connections"
      ? `encrypt_option ${session.encryptOption ?? "—"}, auth_scheme ${session.authScheme ?? "—"}${session.protocolVersion === null ? "" : `, protocol_version 0x${(session.protocolVersion >>> 0).toString(16).padStart(8, "0")}`} (sys.dm_exec_connections)`
      : `auth_scheme ${session.authScheme ?? "—"} (CONNECTIONPROPERTY); encryption seen by Cellcert's client: ${clientSide ?? "none"} (encrypt_option not readable without VIEW SERVER STATE)`;
  if (!encrypted) {
    return outcome(
      id,
      "fail",
      `The SQL session of "${step.login}" is not encrypted although the client asked for encryption. Set Force Encryption = Yes on the server and check for anything between client and server that terminates TLS.`,
      { measured, threshold },
    );
  }
  if (!sqlAuth) {
    return outcome(
      id,
      "fail",
      `The session of "${step.login}" is authenticated by ${session.authScheme ?? "an unknown scheme"}, not SQL authentication as the guide requires. Give Cellcert (and the MES application) a SQL login.`,
      { measured, threshold },
    );
  }
  return outcome(
    id,
    "pass",
    `The SQL login "${step.login}" works over an encrypted session with SQL authentication.`,
    { measured, threshold },
  );
}

function judgeMixedMode(
  evidence: MssqlEvidence,
  context: AppDbContext,
): CheckOutcome {
  const id = "APP-DB.sql.mixed-mode";
  const threshold =
    "SERVERPROPERTY('IsIntegratedSecurityOnly') = 0 (SQL Server and Windows Authentication mode)";
  const found = credentialedStep(id, evidence, context);
  if ("skip" in found) return found.skip;
  const { step } = found;
  const windowsOnly = (): CheckOutcome =>
    outcome(
      id,
      "fail",
      'SQL Server accepts Windows logins only, but the MES application must use SQL Authentication. Switch the server to "SQL Server and Windows Authentication mode" (Server Properties → Security) and restart the service.',
      { measured: "IsIntegratedSecurityOnly = 1", threshold },
    );
  if (!step.connected) {
    if (step.error?.kind === "login" && WINDOWS_ONLY.test(step.error.message))
      return windowsOnly();
    return notTested(
      id,
      step.error?.kind === "login"
        ? "login refused"
        : `login failed (${step.error?.kind ?? "unknown"})`,
      step.error?.message ?? "The SQL login failed.",
    );
  }
  if (step.integratedSecurityOnly === 1) return windowsOnly();
  if (step.integratedSecurityOnly === 0) {
    return outcome(
      id,
      "pass",
      "SQL Server accepts SQL logins (mixed mode), as the MES application needs.",
      {
        measured: "IsIntegratedSecurityOnly = 0",
        threshold,
      },
    );
  }
  const why = step.queryErrors.find((q) => q.query === "server")?.error.message;
  return notTested(
    id,
    "property unreadable",
    `SERVERPROPERTY('IsIntegratedSecurityOnly') could not be read${why === undefined ? "" : `: ${why}`}.`,
  );
}

function judgeAppSessions(
  evidence: MssqlEvidence,
  context: AppDbContext,
): CheckOutcome {
  const id = "APP-DB.sql.app-sessions";
  const threshold =
    "every session of the MES application's login: encrypt_option TRUE, auth_scheme SQL";
  const found = credentialedStep(id, evidence, context);
  if ("skip" in found) return found.skip;
  const { step } = found;
  if (!step.connected) {
    return notTested(
      id,
      step.error?.kind === "login"
        ? "login refused"
        : `login failed (${step.error?.kind ?? "unknown"})`,
      step.error?.message ?? "The SQL login failed.",
    );
  }
  const appLogin = step.appLogin;
  if (appLogin === null || appLogin === "") {
    return notTested(
      id,
      "no application login",
      "The MES application's SQL login is not named, so its sessions cannot be picked out: give it as the endpoint's application login in the plan.",
    );
  }
  const denied = step.permissionsMissing.find(
    (p) => p.query === "app-sessions",
  );
  if (denied !== undefined) {
    return notTested(
      id,
      `no permission: ${denied.permission}`,
      `The login "${step.login}" may not list other sessions — SQL Server said: "${denied.message}" (error ${denied.number}). Grant it ${denied.permission} (GRANT ${denied.permission} TO [${step.login}]) for the commissioning, or have the DBA attest the application's sessions.`,
    );
  }
  const failed = step.queryErrors.find((q) => q.query === "app-sessions");
  if (step.appSessions === null) {
    return notTested(
      id,
      "sessions unreadable",
      `The sessions could not be listed${failed === undefined ? "" : `: ${failed.error.message}`}.`,
    );
  }
  const sessions = step.appSessions;
  if (sessions.length === 0) {
    return notTested(
      id,
      "no sessions",
      `The MES application's login "${appLogin}" had no session open while Cellcert probed: probe again while the application is connected.`,
    );
  }
  const bad = sessions.filter(
    (s) =>
      s.encryptOption.toUpperCase() !== "TRUE" ||
      s.authScheme.toUpperCase() !== "SQL",
  );
  const describe = (s: (typeof sessions)[number]): string =>
    `session ${s.sessionId} from ${s.hostName || "?"} (${s.programName || "?"}): encrypt_option ${s.encryptOption}, ${s.authScheme}`;
  const measured = `${sessions.length - bad.length} of ${sessions.length} sessions of "${appLogin}" encrypted and SQL-authenticated`;
  if (bad.length > 0) {
    const unencrypted = bad.some(
      (s) => s.encryptOption.toUpperCase() !== "TRUE",
    );
    return outcome(
      id,
      "fail",
      `${bad.length} of ${sessions.length} sessions of the MES application's login "${appLogin}" are not encrypted and SQL-authenticated: ${bad.slice(0, 5).map(describe).join("; ")}${bad.length > 5 ? "; …" : ""}. ${unencrypted ? "Set Encrypt=True in the application's connection string, or Force Encryption on the server." : "Configure the application for SQL Authentication."}`,
      { measured, threshold },
    );
  }
  return outcome(
    id,
    "pass",
    `${sessions.length === 1 ? "The one session" : sessions.length === 2 ? "Both sessions" : `All ${sessions.length} sessions`} of the MES application's login "${appLogin}" ${sessions.length === 1 ? "is" : "are"} encrypted and SQL-authenticated.`,
    { measured, threshold },
  );
}

const JUDGES: Record<
  AppDbCheckId,
  (
    evidence: MssqlEvidence,
    context: AppDbContext,
  ) => CheckOutcome | Promise<CheckOutcome>
> = {
  "APP-DB.tds.encryption": (evidence) => judgeEncryption(evidence),
  "APP-DB.tds.cert": judgeCertificate,
  "APP-DB.tds.protocol": judgeProtocol,
  "APP-DB.sql.auth": judgeAuth,
  "APP-DB.sql.mixed-mode": judgeMixedMode,
  "APP-DB.sql.app-sessions": judgeAppSessions,
};

const PREREQUISITE_FAILED = "prerequisite failed";

/**
 * The six APP-DB outcomes, in catalog order. Unreachable: all not-tested. A check whose catalog prerequisite
 * failed (or was itself skipped for a failed prerequisite) is not-tested, naming it: one fault, one failing check.
 */
export async function judgeAppDb(
  evidence: MssqlEvidence,
  context: AppDbContext,
): Promise<CheckOutcome[]> {
  if (evidence.unreachable !== null || evidence.prelogin === null) {
    const message =
      evidence.unreachable?.message ?? "The SQL Server could not be reached.";
    const kind = evidence.unreachable?.kind;
    const reason =
      kind === "browser"
        ? "instance port unknown"
        : kind === "aborted"
          ? "stopped"
          : "unreachable";
    return APP_DB_CHECKS.map((id) => notTested(id, reason, message));
  }
  const decided = new Map<string, CheckOutcome>();
  for (const id of APP_DB_CHECKS) {
    const prerequisites = findCheck(id)?.prerequisites ?? [];
    const blocker = prerequisites.find((p) => {
      const before = decided.get(p);
      return (
        before !== undefined &&
        (before.verdict === "fail" ||
          before.reason.startsWith(PREREQUISITE_FAILED))
      );
    });
    if (blocker !== undefined) {
      decided.set(
        id,
        notTested(
          id,
          `${PREREQUISITE_FAILED}: ${blocker}`,
          `Not judged because ${blocker} did not pass; fix that first.`,
        ),
      );
      continue;
    }
    decided.set(id, await JUDGES[id](evidence, context));
  }
  return APP_DB_CHECKS.map(
    (id) => decided.get(id) ?? notTested(id, "not judged", "Not judged."),
  );
}
