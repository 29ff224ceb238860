// With a SQL login: connect the way the MES application should (mssql/tedious, encrypt on, the server's
// certificate checked against the plan's anchors and name) and read the session's own facts. Every query the
// login may not run becomes a recorded missing permission, never a guess. The password is used, never kept.
import sql from "mssql";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import type {
  AppSession,
  CredentialedStep,
  MissingPermission,
  MssqlError,
  SessionFacts,
} from "../../../../shared/evidence/mssql";
import { LOGIN_FAILED, PERMISSION_ERRORS, PROBE_QUERIES } from "./queries";
import { errorCode } from "../../errors";

export interface CredentialedContext {
  host: string;
  port: number;
  /** SNI and the name the certificate must carry. */
  serverName: string;
  /** PEM certificates the chain must validate to. */
  ca: readonly string[];
  mode: CredentialedStep["mode"];
  user: string;
  password: string;
  /** The MES application's SQL login, whose sessions APP-DB.sql.app-sessions inspects. */
  appLogin?: string;
  localAddress?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

type Row = Record<string, unknown>;

const text = (value: unknown): string | null =>
  typeof value === "string"
    ? value
    : typeof value === "number" || typeof value === "boolean"
      ? String(value)
      : null;

const integer = (value: unknown): number | null => {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^-?\d+$/.test(value.trim()))
    return Number.parseInt(value, 10);
  return null;
};

interface SqlServerError {
  number: number | null;
  message: string;
  code: string;
}

/** The SQL Server errors behind a driver error: the last one and those before it. */
function serverErrors(error: unknown): SqlServerError[] {
  const all: unknown[] = [];
  if (typeof error === "object" && error !== null) {
    if ("precedingErrors" in error && Array.isArray(error.precedingErrors)) {
      all.push(...(error.precedingErrors as unknown[]));
    }
    all.push(error);
  }
  return all.map((e) => {
    const record = (typeof e === "object" && e !== null ? e : {}) as Record<
      string,
      unknown
    >;
    return {
      number: integer(record.number),
      message: e instanceof Error ? e.message : String(e),
      code: typeof record.code === "string" ? record.code : "",
    };
  });
}

/** The most specific code in a chain of wrapped errors (the TLS code under mssql's ESOCKET, for one). */
function innermostCode(error: unknown): string {
  let code = "";
  let current: unknown = error;
  for (
    let depth = 0;
    depth < 6 && typeof current === "object" && current !== null;
    depth++
  ) {
    const record = current as Record<string, unknown>;
    if (typeof record.code === "string" && record.code !== "")
      code = record.code;
    current = record.originalError ?? record.cause;
  }
  return code;
}

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO|CERT_|HOSTNAME_MISMATCH)/;

function connectError(error: unknown, ctx: CredentialedContext): MssqlError {
  const outer = error instanceof Error ? error.message : String(error);
  const code = innermostCode(error);
  const top = errorCode(error);
  if (top === "ELOGIN") {
    return {
      kind: "login",
      code: String(LOGIN_FAILED),
      message: `SQL Server refused the login "${ctx.user}": ${outer} Check the user name and the password its secret reference gives.`,
    };
  }
  if (TLS_CODE.test(code)) {
    return {
      kind: "tls",
      code,
      message: `The SQL client refused the server's certificate (${code}): ${outer}`,
    };
  }
  if (top === "ETIMEOUT") {
    return {
      kind: "timeout",
      code: top,
      message: `The SQL login did not finish within ${ctx.timeoutMs * 2} ms: ${outer}`,
    };
  }
  return {
    kind: code === "ECONNREFUSED" ? "refused" : "other",
    code: code === "" ? top : code,
    message: `Connecting with the SQL login "${ctx.user}" failed: ${outer}`,
  };
}

export async function probeWithCredentials(
  ctx: CredentialedContext,
): Promise<CredentialedStep> {
  const step: CredentialedStep = {
    login: ctx.user,
    mode: ctx.mode,
    connected: false,
    error: null,
    clientTls: null,
    session: null,
    integratedSecurityOnly: null,
    productVersion: null,
    registry: null,
    appLogin: ctx.appLogin ?? null,
    appSessions: null,
    permissionsMissing: [],
    queryErrors: [],
  };
  if (ctx.signal?.aborted === true) {
    return {
      ...step,
      error: STOPPED_FAILURE,
    };
  }
  const pool = new sql.ConnectionPool({
    server: ctx.host,
    port: ctx.port,
    user: ctx.user,
    password: ctx.password,
    connectionTimeout: ctx.timeoutMs * 2,
    requestTimeout: ctx.timeoutMs,
    validateConnection: false,
    pool: { max: 1, min: 0, idleTimeoutMillis: 1000 },
    options: {
      encrypt: ctx.mode === "tds8-strict" ? "strict" : true,
      trustServerCertificate: false,
      serverName: ctx.serverName,
      cryptoCredentialsDetails: { ca: [...ctx.ca] },
      appName: "Cellcert",
      ...(ctx.localAddress !== undefined && { localAddress: ctx.localAddress }),
    },
    beforeConnect: (connection) => {
      // tedious says which TLS the session runs on (TDS 7 only; in strict mode it stays silent).
      connection.on("secure", (socket) => {
        const cipher = socket.getCipher();
        step.clientTls = {
          protocol: socket.getProtocol() ?? "",
          cipher: cipher.standardName,
        };
      });
    },
  });
  // A pool error after the outcome (the server closing) is not a finding.
  pool.on("error", () => undefined);
  const onAbort = (): void => {
    void pool.close().catch(() => undefined);
  };
  ctx.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    try {
      await pool.connect();
    } catch (error) {
      return { ...step, error: connectError(error, ctx) };
    }
    step.connected = true;

    const run = async (
      query: keyof typeof PROBE_QUERIES,
      area: MissingPermission["query"] | "connection-property" | "server",
    ): Promise<Row[] | null> => {
      try {
        const result = await pool.request().query<Row>(PROBE_QUERIES[query]);
        return [...result.recordset];
      } catch (error) {
        const errors = serverErrors(error);
        const denied = errors.find(
          (e) => e.number !== null && PERMISSION_ERRORS.has(e.number),
        );
        if (
          denied !== undefined &&
          area !== "connection-property" &&
          area !== "server"
        ) {
          // SQL Server sends 300 ("VIEW SERVER STATE permission was denied…") then 297: keep the precise one.
          const precise = errors.find((e) => e.number === 300) ?? denied;
          step.permissionsMissing.push({
            query: area,
            permission: /VIEW SERVER PERFORMANCE STATE/i.test(precise.message)
              ? "VIEW SERVER PERFORMANCE STATE"
              : "VIEW SERVER STATE",
            number: precise.number ?? 0,
            message: precise.message,
          });
          return null;
        }
        const last = errors[errors.length - 1];
        step.queryErrors.push({
          query: area,
          error: {
            kind: denied !== undefined ? "permission" : "other",
            code:
              last?.number === null || last === undefined
                ? (last?.code ?? "")
                : String(last.number),
            message: last?.message ?? "the query failed",
          },
        });
        return null;
      }
    };

    const sessionRows = await run("session", "session");
    const first = sessionRows?.[0];
    if (first !== undefined) {
      step.session = {
        source: "dm_exec_connections",
        encryptOption: text(first.encrypt_option),
        authScheme: text(first.auth_scheme),
        protocolVersion: integer(first.protocol_version),
        netTransport: text(first.net_transport),
      } satisfies SessionFacts;
    } else {
      const propertyRows = await run(
        "connectionProperty",
        "connection-property",
      );
      const property = propertyRows?.[0];
      if (property !== undefined) {
        step.session = {
          source: "connectionproperty",
          encryptOption: null,
          authScheme: text(property.auth_scheme),
          protocolVersion: null,
          netTransport: text(property.net_transport),
        };
      }
    }

    const server = (await run("server", "server"))?.[0];
    if (server !== undefined) {
      step.integratedSecurityOnly = integer(server.integrated_security_only);
      step.productVersion = text(server.product_version);
    }

    const registry = await run("registry", "registry");
    if (registry !== null) {
      step.registry = registry.map((row) => ({
        key: text(row.registry_key) ?? "",
        name: text(row.value_name) ?? "",
        value: text(row.value_data) ?? "",
      }));
    }

    if (ctx.appLogin !== undefined && ctx.appLogin !== "") {
      const sessions = await run("appSessions", "app-sessions");
      if (sessions !== null) {
        const wanted = ctx.appLogin.toLowerCase();
        step.appSessions = sessions
          .filter(
            (row) => (text(row.login_name) ?? "").toLowerCase() === wanted,
          )
          .map((row): AppSession => ({
            sessionId: integer(row.session_id) ?? 0,
            login: text(row.login_name) ?? "",
            hostName: text(row.host_name) ?? "",
            programName: text(row.program_name) ?? "",
            encryptOption: text(row.encrypt_option) ?? "",
            authScheme: text(row.auth_scheme) ?? "",
            netTransport: text(row.net_transport) ?? "",
          }));
      }
    }
    return step;
  } finally {
    ctx.signal?.removeEventListener("abort", onAbort);
    await pool.close().catch(() => undefined);
  }
}
