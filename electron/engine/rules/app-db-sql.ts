// The credentialed APP-DB checks (DESIGN §4), pure functions of what the SQL login read: SQL authentication,
// mixed mode and the MES application's own sessions. Without a login each is not-tested, saying so.
import { tlsProtocolLabel } from "../../../shared/catalog/thresholds";
import type {
  CredentialedStep,
  MssqlError,
  MssqlEvidence,
} from "../../../shared/evidence/mssql";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";

/** What the credentialed checks read of the APP-DB context: whether a login was given at all. */
export interface SqlLoginContext {
  /** Whether credentials were given at all (without them the sql.* checks are not-tested, "no credentials"). */
  credentialsGiven: boolean;
}

// Neutral words: the command line adds its option hint (probe mssql), the app where to add a SQL credential.
const NO_CREDENTIALS =
  "No SQL login was given: this check logs in to SQL Server and needs one.";

/** The SQL login's step, or why a check that needs it is not tested (no credentials, login not attempted). */
function credentialedStep(
  id: string,
  evidence: MssqlEvidence,
  context: SqlLoginContext,
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

export function judgeAuth(
  evidence: MssqlEvidence,
  context: SqlLoginContext,
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
    return loginNotTested(id, error);
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
        : `${tlsProtocolLabel(step.clientTls.protocol)} for the whole session`;
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

export function judgeMixedMode(
  evidence: MssqlEvidence,
  context: SqlLoginContext,
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
    return loginNotTested(id, step.error);
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

export function judgeAppSessions(
  evidence: MssqlEvidence,
  context: SqlLoginContext,
): CheckOutcome {
  const id = "APP-DB.sql.app-sessions";
  const threshold =
    "every session of the MES application's login: encrypt_option TRUE, auth_scheme SQL";
  const found = credentialedStep(id, evidence, context);
  if ("skip" in found) return found.skip;
  const { step } = found;
  if (!step.connected) {
    return loginNotTested(id, step.error);
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

/** A check the SQL login did not get far enough for: refused, or failed before it (the failure's kind named). */
function loginNotTested(id: string, error: MssqlError | null): CheckOutcome {
  return notTested(
    id,
    error?.kind === "login"
      ? "login refused"
      : `login failed (${error?.kind ?? "unknown"})`,
    error?.message ?? "The SQL login failed.",
  );
}
