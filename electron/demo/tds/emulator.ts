// The practice SQL Server: a TDS endpoint on a loopback address that answers PRELOGIN per the configured
// encryption (off / on / required / not supported), runs TLS inside PRELOGIN packets or TLS first (TDS 8.0,
// strict supported or strict only), accepts SQL logins, refuses wrong ones with error 18456, and answers the
// probe's queries as real token streams — including "permission denied" for logins without VIEW SERVER STATE.
// Real clients (mssql/tedious) connect to it; it is a building block of the practice plant.
import { createHash, X509Certificate } from "node:crypto";
import { createServer, isIP, type Server, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { createSecureContext, type TLSSocket } from "node:tls";
import {
  encodeMessage,
  MessageReader,
  PacketType,
} from "../../engine/protocols/tds/packet";
import {
  buildPrelogin,
  Encryption,
  type EncryptionWord,
  encryptionByte,
  parsePrelogin,
} from "../../engine/protocols/tds/prelogin";
import { PROBE_QUERIES } from "../../engine/protocols/tds/queries";
import {
  ClientMessageError,
  parseLogin7,
  parseRpcStatement,
  parseSqlBatch,
  type Login7,
} from "./client-messages";
import { refuseConnection } from "../firewall";
import { tlsFirst, tlsInsidePrelogin } from "./tls-bridge";
import {
  CMD_SELECT,
  type CellValue,
  type Column,
  DEFAULT_COLLATION,
  done,
  DoneStatus,
  envChange,
  envChangeBytes,
  EnvChangeType,
  errorToken,
  infoToken,
  loginAck,
  resultSet,
  returnStatus,
  type ServerMessage,
  Token,
} from "./tokens";

/** How the server is configured, in SQL Server Configuration Manager's terms. */
export type EmulatorEncryption =
  /** A certificate, Force Encryption = No: answers OFF to OFF, ON to ON. */
  | "off"
  /** Always answers ON: the whole session encrypted whatever the client asked. */
  | "on"
  /** Force Encryption = Yes: answers REQ to OFF and NOT_SUP. */
  | "required"
  /** No certificate at all: answers NOT_SUP, no TLS possible. */
  | "not-supported";

export type EmulatorStrict =
  /** TDS 7 only: a ClientHello as the first bytes is closed, as SQL Server 2019 does. */
  | "off"
  /** TDS 8.0 (TLS first, ALPN tds/8.0) as well as TDS 7. */
  | "supported"
  /** Force Strict Encryption: a cleartext PRELOGIN is refused (connection closed). */
  | "only";

export interface EmulatedLogin {
  user: string;
  password: string;
  /** Whether the login holds VIEW SERVER STATE; without it the DMV queries fail with 300/297. */
  viewServerState?: boolean;
}

/** A session of some other client (the MES application), as sys.dm_exec_sessions would list it. */
export interface EmulatedSession {
  login: string;
  hostName: string;
  programName: string;
  encrypted: boolean;
  authScheme: "SQL" | "NTLM" | "KERBEROS";
}

export interface TdsEmulatorOptions {
  /** A loopback address (127.0.0.0/8 or ::1). */
  host: string;
  /** 0 or absent: any free port. */
  port?: number;
  encryption: EmulatorEncryption;
  strict?: EmulatorStrict;
  /** PEM private key and PEM chain (leaf first); required unless encryption is "not-supported". */
  certificate?: { key: string; cert: string };
  /** The version PRELOGIN and LOGINACK report; default 16.0.1000 (SQL Server 2022). */
  version?: { major: number; minor: number; build: number };
  logins?: readonly EmulatedLogin[];
  /** Windows authentication only: every SQL login is refused. */
  integratedSecurityOnly?: boolean;
  /** The Certificate registry value; default the SHA-1 thumbprint of the configured leaf ("" = self-signed fallback). */
  registryCertificate?: string;
  sessions?: readonly EmulatedSession[];
  /** Shown in error messages, as @@SERVERNAME. */
  serverName?: string;
  /** Connections from other sources are reset at once, as a firewall would. */
  acceptFrom?: (remoteAddress: string) => boolean;
}

export interface TdsEmulator {
  host: string;
  port: number;
  /** Connections accepted so far (the tests check no LOGIN7 came where none should). */
  readonly stats: {
    connections: number;
    logins: number;
    loginAttempts: number;
  };
  close(): Promise<void>;
}

const TDS_7_4 = 0x74000004;
const TDS_8_0 = 0x08000000;
const SUPER_SOCKET_KEY =
  "HKLM\\Software\\Microsoft\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQLServer\\SuperSocketNetLib";

function isLoopback(host: string): boolean {
  return (isIP(host) === 4 && host.startsWith("127.")) || host === "::1";
}

/** The server's ENCRYPTION answer to the client's value (notes/sql-server-tds.md, the table). */
export function encryptionAnswer(
  config: EmulatorEncryption,
  client: number,
): EncryptionWord {
  const asked = client & 0x7f;
  switch (config) {
    case "not-supported":
      return "not-supported";
    case "on":
      return "on";
    case "required":
      return asked === Encryption.ON ? "on" : "required";
    case "off":
      if (asked === Encryption.OFF) return "off";
      if (asked === Encryption.NOT_SUP) return "not-supported";
      return "on";
  }
}

interface LiveSession {
  spid: number;
  login: string;
  hostName: string;
  programName: string;
  encrypted: boolean;
}

export async function startTdsEmulator(
  options: TdsEmulatorOptions,
): Promise<TdsEmulator> {
  if (!isLoopback(options.host)) {
    throw new Error(
      `The practice SQL Server listens on loopback addresses only, not on ${options.host}.`,
    );
  }
  if (
    options.encryption !== "not-supported" &&
    options.certificate === undefined
  ) {
    throw new Error(
      `A practice SQL Server with encryption "${options.encryption}" needs a certificate.`,
    );
  }
  const strict = options.strict ?? "off";
  const version = options.version ?? { major: 16, minor: 0, build: 1000 };
  const serverName = options.serverName ?? "PRACTICE-SQL";
  const contexts =
    options.certificate === undefined
      ? null
      : {
          // TDS 7 runs TLS up to 1.2 inside PRELOGIN, as SQL Server does; TDS 8.0 allows TLS 1.3.
          tds7: createSecureContext({
            ...options.certificate,
            maxVersion: "TLSv1.2",
          }),
          tds8: createSecureContext({ ...options.certificate }),
        };
  const registryCertificate =
    options.registryCertificate ??
    (options.certificate === undefined
      ? ""
      : createHash("sha1")
          .update(new X509Certificate(options.certificate.cert).raw)
          .digest("hex"));

  const stats = { connections: 0, logins: 0, loginAttempts: 0 };
  const sockets = new Set<Socket>();
  const live = new Map<Socket, LiveSession>();
  let nextSpid = 51;

  const server: Server = createServer((socket) => {
    stats.connections += 1;
    sockets.add(socket);
    socket.on("close", () => {
      sockets.delete(socket);
      live.delete(socket);
    });
    socket.on("error", () => undefined);
    if (
      options.acceptFrom !== undefined &&
      !options.acceptFrom(socket.remoteAddress ?? "")
    ) {
      refuseConnection(socket);
      return;
    }
    socket.once("data", (first: Buffer) => {
      socket.pause();
      const tlsFirstByte = first[0] === 0x16;
      if (tlsFirstByte) {
        if (strict === "off" || contexts === null) {
          // A TDS 7 server reads 0x16 as a bad packet type and drops the connection.
          socket.destroy();
          return;
        }
        const tls = tlsFirst(socket, first, contexts.tds8);
        tls.on("error", () => socket.destroy());
        tls.once("secure", () => {
          serve(socket, tls, { tds8: true, first: null, encrypted: true });
        });
        return;
      }
      if (strict === "only") {
        socket.destroy();
        return;
      }
      serve(socket, socket, { tds8: false, first, encrypted: false });
    });
  });

  /** One session; whatever goes wrong in it closes that connection, never the server. */
  const serve = (
    socket: Socket,
    transport: Duplex,
    session: { tds8: boolean; first: Buffer | null; encrypted: boolean },
  ): void => {
    serveSession(socket, transport, session).catch(() => socket.destroy());
  };

  /** Reads whole messages from a stream, one at a time. */
  function messages(stream: Duplex, first: Buffer | null) {
    const reader = new MessageReader();
    const queue: { type: number; payload: Buffer }[] = [];
    let waiting: ((ok: boolean) => void) | null = null;
    let ended = false;
    const wake = (): void => {
      const w = waiting;
      waiting = null;
      w?.(true);
    };
    const onData = (chunk: Buffer): void => {
      try {
        queue.push(...reader.feed(chunk));
      } catch {
        ended = true;
        stream.destroy();
      }
      wake();
    };
    const onEnd = (): void => {
      ended = true;
      wake();
    };
    stream.on("data", onData);
    stream.on("end", onEnd);
    stream.on("close", onEnd);
    if (first !== null) onData(first);
    stream.resume();
    return {
      async next(): Promise<{ type: number; payload: Buffer } | null> {
        // Bounded by the connection: every wait ends with a message or the connection's end.
        for (;;) {
          const message = queue.shift();
          if (message !== undefined) return message;
          if (ended) return null;
          await new Promise<boolean>((resolve) => {
            waiting = resolve;
          });
        }
      },
      detach(): void {
        stream.off("data", onData);
        stream.off("end", onEnd);
        stream.off("close", onEnd);
        stream.pause();
      },
    };
  }

  const send = (
    stream: Duplex,
    type: number,
    payload: Buffer,
    packetSize = 4096,
  ): void => {
    if (!stream.destroyed)
      stream.write(encodeMessage(type, payload, { packetSize }));
  };

  const message = (
    number: number,
    severity: number,
    text: string,
    state = 1,
  ): ServerMessage => ({ number, state, severity, text, serverName });

  async function serveSession(
    socket: Socket,
    transport: Duplex,
    session: { tds8: boolean; first: Buffer | null; encrypted: boolean },
  ): Promise<void> {
    let stream: Duplex = transport;
    let inbox = messages(stream, session.first);
    let encrypted = session.encrypted;

    // PRELOGIN (in clear for TDS 7, inside TLS for TDS 8.0).
    const prelogin = await inbox.next();
    if (prelogin?.type !== PacketType.PRELOGIN) {
      socket.destroy();
      return;
    }
    let clientEncryption: number;
    try {
      clientEncryption =
        parsePrelogin(prelogin.payload).encryption ?? Encryption.OFF;
    } catch {
      socket.destroy();
      return;
    }
    const answer: EncryptionWord = session.tds8
      ? "not-supported"
      : encryptionAnswer(options.encryption, clientEncryption);
    send(
      stream,
      PacketType.TABULAR_RESULT,
      buildPrelogin({
        version: { ...version, subbuild: 0 },
        encryption: encryptionByte(answer),
        mars: 0,
      }),
    );

    if (!session.tds8 && answer !== "not-supported" && contexts !== null) {
      // The client now runs its TLS handshake inside PRELOGIN packets.
      inbox.detach();
      const tls: TLSSocket = tlsInsidePrelogin(socket, contexts.tds7, () =>
        socket.destroy(),
      );
      tls.on("error", () => socket.destroy());
      stream = tls;
      inbox = messages(stream, null);
      encrypted = true;
    }

    const mustEncrypt =
      session.tds8 ||
      options.encryption === "required" ||
      options.encryption === "on";
    const login = await inbox.next();
    if (login?.type !== PacketType.LOGIN7 || (mustEncrypt && !encrypted)) {
      socket.destroy();
      return;
    }
    stats.loginAttempts += 1;
    let parsed: Login7;
    try {
      parsed = parseLogin7(login.payload);
    } catch (error) {
      if (error instanceof ClientMessageError) socket.destroy();
      return;
    }
    const known = (options.logins ?? []).find(
      (l) => l.user === parsed.userName && l.password === parsed.password,
    );
    if (known === undefined || options.integratedSecurityOnly === true) {
      const reason =
        options.integratedSecurityOnly === true
          ? " Reason: An attempt to login using SQL authentication failed. Server is configured for Windows authentication only."
          : "";
      send(
        stream,
        PacketType.TABULAR_RESULT,
        Buffer.concat([
          errorToken(
            message(
              18456,
              14,
              `Login failed for user '${parsed.userName}'.${reason}`,
            ),
          ),
          done(Token.DONE, DoneStatus.ERROR),
        ]),
      );
      stream.end();
      return;
    }
    stats.logins += 1;
    const packetSize = Math.min(
      32767,
      Math.max(512, parsed.packetSize || 4096),
    );
    const tdsVersion = parsed.tdsVersion === TDS_8_0 ? TDS_8_0 : TDS_7_4;
    const spid = nextSpid++;
    live.set(socket, {
      spid,
      login: parsed.userName,
      hostName: parsed.hostName,
      programName: parsed.appName,
      encrypted,
    });
    send(
      stream,
      PacketType.TABULAR_RESULT,
      Buffer.concat([
        envChange(EnvChangeType.DATABASE, "master", ""),
        infoToken(message(5701, 0, "Changed database context to 'master'.", 2)),
        envChangeBytes(
          EnvChangeType.SQL_COLLATION,
          DEFAULT_COLLATION,
          Buffer.alloc(0),
        ),
        envChange(EnvChangeType.LANGUAGE, "us_english", ""),
        infoToken(message(5703, 0, "Changed language setting to us_english.")),
        loginAck({ tdsVersion, progName: "Microsoft SQL Server", version }),
        envChange(EnvChangeType.PACKET_SIZE, String(packetSize), "4096"),
        done(Token.DONE, DoneStatus.FINAL),
      ]),
    );

    // Requests until the client goes: each bounded by the connection's life.
    for (;;) {
      const request = await inbox.next();
      if (request === null) return;
      if (request.type === PacketType.ATTENTION) {
        send(
          stream,
          PacketType.TABULAR_RESULT,
          done(Token.DONE, DoneStatus.ATTN),
          packetSize,
        );
        continue;
      }
      let sqlText: string | null;
      try {
        sqlText =
          request.type === PacketType.SQL_BATCH
            ? parseSqlBatch(request.payload)
            : request.type === PacketType.RPC
              ? parseRpcStatement(request.payload)
              : null;
      } catch {
        socket.destroy();
        return;
      }
      const rpc = request.type === PacketType.RPC;
      const answer = answerQuery(sqlText ?? "", known, {
        spid,
        encrypted,
        tdsVersion: session.tds8 ? TDS_8_0 : TDS_7_4,
      });
      send(stream, PacketType.TABULAR_RESULT, frame(answer, rpc), packetSize);
    }
  }

  type QueryAnswer =
    | { kind: "rows"; columns: Column[]; rows: CellValue[][] }
    | { kind: "ok" }
    | { kind: "error"; messages: ServerMessage[] };

  /** Closes a query's tokens the way SQL Server does for a batch or an RPC. */
  function frame(answer: QueryAnswer, rpc: boolean): Buffer {
    if (answer.kind === "error") {
      const errors = answer.messages.map((m) => errorToken(m));
      return rpc
        ? Buffer.concat([
            ...errors,
            done(Token.DONEINPROC, DoneStatus.ERROR | DoneStatus.MORE),
            returnStatus(0),
            done(Token.DONEPROC, DoneStatus.ERROR),
          ])
        : Buffer.concat([...errors, done(Token.DONE, DoneStatus.ERROR)]);
    }
    if (answer.kind === "ok") {
      return rpc
        ? Buffer.concat([
            returnStatus(0),
            done(Token.DONEPROC, DoneStatus.FINAL),
          ])
        : done(Token.DONE, DoneStatus.FINAL);
    }
    const rows = resultSet(answer.columns, answer.rows);
    return rpc
      ? Buffer.concat([
          rows,
          done(
            Token.DONEINPROC,
            DoneStatus.COUNT | DoneStatus.MORE,
            CMD_SELECT,
            answer.rows.length,
          ),
          returnStatus(0),
          done(Token.DONEPROC, DoneStatus.FINAL),
        ])
      : Buffer.concat([
          rows,
          done(Token.DONE, DoneStatus.COUNT, CMD_SELECT, answer.rows.length),
        ]);
  }

  const normalise = (sql: string): string => sql.replace(/\s+/g, " ").trim();
  const KNOWN = new Map(
    Object.entries(PROBE_QUERIES).map(([name, text]) => [
      normalise(text),
      name,
    ]),
  );

  function answerQuery(
    sqlText: string,
    login: EmulatedLogin,
    session: { spid: number; encrypted: boolean; tdsVersion: number },
  ): QueryAnswer {
    const text = normalise(sqlText);
    const denied: QueryAnswer = {
      kind: "error",
      messages: [
        message(
          300,
          14,
          "VIEW SERVER STATE permission was denied on object 'server', database 'master'.",
        ),
        message(
          297,
          16,
          "The user does not have permission to perform this action.",
        ),
      ],
    };
    const mayView = login.viewServerState === true;
    switch (KNOWN.get(text)) {
      case "session":
        if (!mayView) return denied;
        return {
          kind: "rows",
          columns: [
            { name: "encrypt_option", type: "nvarchar" },
            { name: "auth_scheme", type: "nvarchar" },
            { name: "protocol_version", type: "int" },
            { name: "net_transport", type: "nvarchar" },
          ],
          rows: [
            [
              session.encrypted ? "TRUE" : "FALSE",
              "SQL",
              session.tdsVersion | 0,
              "TCP",
            ],
          ],
        };
      case "connectionProperty":
        return {
          kind: "rows",
          columns: [
            { name: "auth_scheme", type: "nvarchar" },
            { name: "net_transport", type: "nvarchar" },
          ],
          rows: [["SQL", "TCP"]],
        };
      case "server":
        return {
          kind: "rows",
          columns: [
            { name: "integrated_security_only", type: "int" },
            { name: "product_version", type: "nvarchar" },
          ],
          rows: [
            [
              options.integratedSecurityOnly === true ? 1 : 0,
              `${version.major}.${version.minor}.${version.build}.1`,
            ],
          ],
        };
      case "registry": {
        if (!mayView) return denied;
        const forced =
          options.encryption === "required" || options.encryption === "on";
        return {
          kind: "rows",
          columns: [
            { name: "registry_key", type: "nvarchar" },
            { name: "value_name", type: "nvarchar" },
            { name: "value_data", type: "nvarchar" },
          ],
          rows: [
            [SUPER_SOCKET_KEY, "Certificate", registryCertificate],
            [SUPER_SOCKET_KEY, "ForceEncryption", forced ? "1" : "0"],
            [
              SUPER_SOCKET_KEY,
              "ForceStrictEncryption",
              strict === "only" ? "1" : "0",
            ],
          ],
        };
      }
      case "appSessions": {
        if (!mayView) return denied;
        const emulated = (options.sessions ?? []).map((s, i) => [
          60 + i,
          s.login,
          s.hostName,
          s.programName,
          s.encrypted ? "TRUE" : "FALSE",
          s.authScheme,
          "TCP",
        ]);
        const connected = [...live.values()].map((s) => [
          s.spid,
          s.login,
          s.hostName,
          s.programName,
          s.encrypted ? "TRUE" : "FALSE",
          "SQL",
          "TCP",
        ]);
        return {
          kind: "rows",
          columns: [
            { name: "session_id", type: "int" },
            { name: "login_name", type: "nvarchar" },
            { name: "host_name", type: "nvarchar" },
            { name: "program_name", type: "nvarchar" },
            { name: "encrypt_option", type: "nvarchar" },
            { name: "auth_scheme", type: "nvarchar" },
            { name: "net_transport", type: "nvarchar" },
          ],
          rows: [...connected, ...emulated].sort(
            (a, b) => Number(a[0]) - Number(b[0]),
          ),
        };
      }
      default:
        break;
    }
    if (/^set\s/i.test(text)) return { kind: "ok" };
    if (/^select 1;?$/i.test(text)) {
      return {
        kind: "rows",
        columns: [{ name: "", type: "int" }],
        rows: [[1]],
      };
    }
    return {
      kind: "error",
      messages: [
        message(
          102,
          15,
          "The practice SQL Server answers only Cellcert's probe queries.",
        ),
      ],
    };
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  const port =
    typeof address === "object" && address !== null ? address.port : 0;

  return {
    host: options.host,
    port,
    stats,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
