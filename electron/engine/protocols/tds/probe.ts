// The SQL Server probe (APP-DB): finds the port (explicit, SQL Browser, or 1433), learns what it can without
// credentials (PRELOGIN, TLS inside TDS, TDS 8.0), and logs in only when credentials are given and a TLS session
// is possible. Returns evidence; judging is rules/app-db.ts's job. The password is passed on, never recorded.
import { rootCertificates } from "node:tls";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import {
  MSSQL_EVIDENCE_SCHEMA,
  type CredentialedStep,
  type MssqlEvidence,
} from "../../../../shared/evidence/mssql";
import { certificateInfoFromDer } from "../../x509";
import {
  HostLimiter,
  connectFailureOrStop,
  isStop,
  resolveTarget,
  type ResolvedAddress,
  type ProbeOptions,
} from "../../net";
import { probeWithCredentials } from "./credentialed";
import {
  probeCleartextPrelogin,
  probeTds8,
  type EncryptionProbeContext,
} from "./encryption-probe";
import { askSqlBrowser } from "./sql-browser";

export const DEFAULT_MSSQL_PORT = 1433;
/** TDS 8.0 came with SQL Server 2022 (16.x): older servers are not sent a ClientHello they would log as an error. */
const FIRST_TDS8_MAJOR = 16;

export interface MssqlTarget {
  host: string;
  /** An explicit port wins over the instance's SQL Browser answer. */
  port?: number;
  /** Named instance, looked up through SQL Browser when no port is given. */
  instance?: string;
  /** The name the certificate must carry (SNI and name check); the host when absent. */
  serverName?: string;
}

export interface MssqlProbeOptions extends ProbeOptions {
  /** The plan's trust anchors for this endpoint, PEM. */
  anchorsPem: readonly string[];
  /** Whether Node's bundled public roots may anchor the chain too. */
  publicRoots: boolean;
  /** A SQL login, its password already resolved from the secret reference. */
  credentials?: { user: string; password: string };
  /** The MES application's SQL login, for APP-DB.sql.app-sessions. */
  appLogin?: string;
  /** SQL Browser's UDP port (1434); tests use another. */
  browserPort?: number;
}

export async function probeMssql(
  target: MssqlTarget,
  options: MssqlProbeOptions,
): Promise<MssqlEvidence> {
  const serverName =
    target.serverName !== undefined && target.serverName !== ""
      ? target.serverName
      : target.host;
  const instance =
    target.instance !== undefined && target.instance !== ""
      ? target.instance
      : null;
  const evidence: MssqlEvidence = {
    schema: MSSQL_EVIDENCE_SCHEMA,
    target: {
      host: target.host,
      port: target.port ?? null,
      portSource:
        target.port !== undefined
          ? "explicit"
          : instance !== null
            ? "sql-browser"
            : "default",
      instance,
      serverName,
      localAddress: options.localAddress ?? null,
    },
    unreachable: null,
    browser: null,
    prelogin: null,
    tds8: null,
    tds8Skipped: "",
    credentialed: null,
    credentialsSkipped: "",
  };

  /** Stop pressed: what was seen so far is kept, but nothing is judged from half a probe. */
  const stopped = (): boolean => {
    if (options.signal?.aborted !== true) return false;
    evidence.unreachable = STOPPED_FAILURE;
    return true;
  };

  let resolved: ResolvedAddress;
  try {
    resolved = await resolveTarget(
      { host: target.host, port: target.port ?? DEFAULT_MSSQL_PORT },
      options,
    );
  } catch (error) {
    evidence.unreachable = connectFailureOrStop(error, options.signal);
    return evidence;
  }
  const limiter = options.limiter ?? new HostLimiter();

  let port = target.port;
  if (port === undefined && instance !== null) {
    const browser = await askSqlBrowser({
      host: resolved.address,
      instance,
      timeoutMs: options.timeoutMs,
      ...(options.browserPort !== undefined && { port: options.browserPort }),
      ...(options.localAddress !== undefined && {
        localAddress: options.localAddress,
      }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
    evidence.browser = browser;
    if (stopped()) return evidence;
    if (browser.tcpPort === null) {
      evidence.unreachable = browser.error ?? {
        kind: "browser",
        code: "ENOPORT",
        message: `SQL Browser gave no port for "${instance}". Give the instance's TCP port instead (HOST:PORT).`,
      };
      return evidence;
    }
    port = browser.tcpPort;
  }
  port ??= DEFAULT_MSSQL_PORT;
  evidence.target.port = port;

  const ca = [
    ...options.anchorsPem,
    ...(options.publicRoots ? rootCertificates : []),
  ];
  const ctx: EncryptionProbeContext = {
    host: target.host,
    resolved,
    limiter,
    port,
    servername: serverName,
    timeoutMs: options.timeoutMs,
    describeCertificate: certificateInfoFromDer,
    ...(options.localAddress !== undefined && {
      localAddress: options.localAddress,
    }),
    ...(options.signal !== undefined && { signal: options.signal }),
  };

  try {
    evidence.prelogin = await probeCleartextPrelogin(ctx);
  } catch (error) {
    evidence.unreachable = connectFailureOrStop(error, options.signal);
    return evidence;
  }
  if (stopped()) return evidence;

  const version = evidence.prelogin.answer?.version ?? null;
  if (version !== null && version.major < FIRST_TDS8_MAJOR) {
    evidence.tds8Skipped = `${version.product === "" ? `SQL Server ${version.text}` : `${version.product} (${version.text})`} predates TDS 8.0 (SQL Server 2022).`;
  } else {
    try {
      evidence.tds8 = await probeTds8(ctx);
    } catch (error) {
      // It answered a moment ago: record it, the cleartext answer still stands.
      evidence.tds8 = {
        outcome: "tls-failed",
        tls: null,
        answer: null,
        error: connectFailureOrStop(error, options.signal),
      };
    }
  }
  if (stopped()) return evidence;

  if (options.credentials !== undefined) {
    const mode = credentialedMode(evidence);
    if (typeof mode === "object") {
      evidence.credentialsSkipped = mode.skipped;
    } else {
      // The driver opens one connection of its own: it holds one of the host's slots like the others.
      let release: () => void;
      try {
        release = await limiter.acquire(resolved.address, options.signal);
      } catch (error) {
        if (isStop(error, options.signal) && stopped()) return evidence;
        throw error;
      }
      try {
        evidence.credentialed = await probeWithCredentials({
          host: resolved.address,
          port,
          serverName,
          ca,
          mode,
          user: options.credentials.user,
          password: options.credentials.password,
          timeoutMs: options.timeoutMs,
          ...(options.appLogin !== undefined && { appLogin: options.appLogin }),
          ...(options.localAddress !== undefined && {
            localAddress: options.localAddress,
          }),
          ...(options.signal !== undefined && { signal: options.signal }),
        });
      } finally {
        release();
      }
      if (stopped()) return evidence;
    }
  }
  return evidence;
}

/**
 * How to log in, or why not to. A password is only ever sent inside TLS: with no TLS session possible the
 * driver would send LOGIN7 (the password merely scrambled) in clear, so the login is not attempted.
 */
export function credentialedMode(
  evidence: Pick<MssqlEvidence, "prelogin" | "tds8">,
): CredentialedStep["mode"] | { skipped: string } {
  const cleartext = evidence.prelogin;
  const tds8Works = evidence.tds8?.outcome === "works";
  if (cleartext?.outcome === "answered") {
    if (cleartext.tls?.completed === true) return "tds7-encrypt";
    if (tds8Works) return "tds8-strict";
    return {
      skipped:
        cleartext.answer?.encryption === "not-supported"
          ? "The server offers no encryption: the SQL login would travel in clear, so it was not attempted."
          : "No TLS session could be set up with the server, so the SQL login was not attempted.",
    };
  }
  if (tds8Works) return "tds8-strict";
  return {
    skipped:
      "The server did not answer as a SQL Server, so the SQL login was not attempted.",
  };
}
