// The practice SQL Server against the real client: mssql 12 / tedious 19 connect to it, log in, and run the
// probe's queries — over TDS 7 with TLS inside PRELOGIN and over TDS 8.0 strict.
import sql from "mssql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TdsEmulatorOptions } from "../../electron/demo/tds/emulator";
import { PROBE_QUERIES } from "../../electron/engine/protocols/tds/queries";
import {
  emulators,
  SQL_NAME,
  sqlCertificates,
  type SqlCertificates,
} from "../support/tds";

const servers = emulators();
let certs: SqlCertificates;
beforeAll(() => {
  certs = sqlCertificates();
});
afterAll(() => servers.stopAll());

const LOGINS = [
  { user: "probe", password: "Probe-Pass-1", viewServerState: true },
  { user: "reader", password: "Reader-Pass-1", viewServerState: false },
];

async function connect(
  port: number,
  options: {
    user?: string;
    password?: string;
    encrypt?: boolean | "strict";
    trust?: boolean;
  } = {},
): Promise<sql.ConnectionPool> {
  const pool = new sql.ConnectionPool({
    server: "127.0.0.1",
    port,
    user: options.user ?? "probe",
    password: options.password ?? "Probe-Pass-1",
    connectionTimeout: 5000,
    requestTimeout: 5000,
    pool: { max: 1, min: 0 },
    options: {
      encrypt: options.encrypt ?? true,
      trustServerCertificate: options.trust ?? false,
      serverName: SQL_NAME,
      cryptoCredentialsDetails: { ca: [certs.anchorPem] },
    },
  });
  pool.on("error", () => undefined);
  await pool.connect();
  return pool;
}

async function start(
  options: Partial<TdsEmulatorOptions> = {},
): Promise<number> {
  const server = await servers.start({
    encryption: "required",
    certificate: certs.good,
    logins: LOGINS,
    sessions: [
      {
        login: "mes_app",
        hostName: "mes01",
        programName: "MES Core",
        encrypted: true,
        authScheme: "SQL",
      },
    ],
    ...options,
  });
  return server.port;
}

describe("the practice SQL Server with the real mssql client", () => {
  it("logs in over TLS inside PRELOGIN and answers every probe query as a token stream, by RPC and by batch", async () => {
    const pool = await connect(await start());
    try {
      const session = await pool.request().query(PROBE_QUERIES.session);
      expect(session.recordset[0]).toEqual({
        encrypt_option: "TRUE",
        auth_scheme: "SQL",
        protocol_version: 0x74000004,
        net_transport: "TCP",
      });
      const server = await pool.request().batch(PROBE_QUERIES.server);
      expect(server.recordset[0]).toEqual({
        integrated_security_only: 0,
        product_version: "16.0.1000.1",
      });
      const property = await pool
        .request()
        .query(PROBE_QUERIES.connectionProperty);
      expect(property.recordset[0]).toEqual({
        auth_scheme: "SQL",
        net_transport: "TCP",
      });
      const registry = await pool.request().query(PROBE_QUERIES.registry);
      expect(
        registry.recordset.map(
          (r: { value_name: string; value_data: string }) => [
            r.value_name,
            r.value_data,
          ],
        ),
      ).toContainEqual(["ForceEncryption", "1"]);
      const sessions = await pool.request().query(PROBE_QUERIES.appSessions);
      expect(
        sessions.recordset
          .map((r: { login_name: string }) => r.login_name)
          .sort(),
      ).toEqual(["mes_app", "probe"]);
      const one = await pool.request().query("SELECT 1;");
      expect(one.recordset).toHaveLength(1);
    } finally {
      await pool.close();
    }
  });

  it("refuses a wrong password with error 18456", async () => {
    const port = await start();
    await expect(connect(port, { password: "wrong" })).rejects.toMatchObject({
      code: "ELOGIN",
      message: "Login failed for user 'probe'.",
    });
  });

  it("refuses the DMV queries to a login without VIEW SERVER STATE with 300 then 297", async () => {
    const pool = await connect(await start(), {
      user: "reader",
      password: "Reader-Pass-1",
    });
    try {
      const error: unknown = await pool
        .request()
        .query(PROBE_QUERIES.session)
        .then(
          () => null,
          (e: unknown) => e,
        );
      expect(error).toMatchObject({
        number: 297,
        message: "The user does not have permission to perform this action.",
      });
      expect(
        (error as { precedingErrors: unknown[] }).precedingErrors,
      ).toContainEqual(
        expect.objectContaining({
          number: 300,
          message:
            "VIEW SERVER STATE permission was denied on object 'server', database 'master'.",
        }),
      );
      // CONNECTIONPROPERTY needs no permission.
      const property = await pool
        .request()
        .query(PROBE_QUERIES.connectionProperty);
      expect(property.recordset[0]).toMatchObject({ auth_scheme: "SQL" });
    } finally {
      await pool.close();
    }
  });

  it("refuses SQL logins on a server set to Windows authentication only", async () => {
    const port = await start({ integratedSecurityOnly: true });
    await expect(connect(port)).rejects.toMatchObject({
      code: "ELOGIN",
      message: expect.stringMatching(/Windows authentication only/) as unknown,
    });
  });

  it("makes a client without encryption give up on a forced server", async () => {
    const port = await start();
    await expect(connect(port, { encrypt: false })).rejects.toMatchObject({
      message: expect.stringMatching(/Server requires encryption/) as unknown,
    });
  });

  it("serves TDS 8.0 strict, and refuses a TDS 7 client when strict is the only way in", async () => {
    const port = await start({ strict: "only" });
    const pool = await connect(port, { encrypt: "strict" });
    try {
      const session = await pool.request().query(PROBE_QUERIES.session);
      expect(session.recordset[0]).toMatchObject({
        encrypt_option: "TRUE",
        protocol_version: 0x08000000,
      });
    } finally {
      await pool.close();
    }
    await expect(connect(port, { encrypt: true })).rejects.toBeInstanceOf(
      Error,
    );
  });

  it("lets the client refuse the self-signed fallback certificate, as the MES application with TrustServerCertificate=False does", async () => {
    const port = await start({
      certificate: certs.fallback,
      registryCertificate: "",
    });
    await expect(connect(port)).rejects.toMatchObject({ code: "ESOCKET" });
    // Trusting blindly connects: the "TrustServerCertificate trap" the probe does not fall into.
    const pool = await connect(port, { trust: true });
    await pool.close();
  });

  it("serves a server that is not forced: encryption as the client asks", async () => {
    const pool = await connect(
      await start({ encryption: "off", strict: "supported" }),
    );
    try {
      const session = await pool.request().query(PROBE_QUERIES.session);
      expect(session.recordset[0]).toMatchObject({ encrypt_option: "TRUE" });
    } finally {
      await pool.close();
    }
  });
});
