// Against a real SQL Server when CELLCERT_TEST_MSSQL holds a connection string
// ("Server=sql01.plant.local,1433;User Id=probe;Password=…"); reported skipped, with that reason, otherwise.
// Optional: CELLCERT_TEST_MSSQL_CA (PEM file of the anchor), CELLCERT_TEST_MSSQL_APP_LOGIN (the MES login).
// The server's configuration is unknown here, so the test proves the probe runs to a verdict on every check,
// records evidence the schema accepts, never records the password, and prints the report for the engineer.
import { readFileSync } from "node:fs";
import sql from "mssql";
import { describe, expect, it } from "vitest";
import { judgeAppDb } from "../../electron/engine/rules/app-db";
import { probeMssql } from "../../electron/engine/protocols/tds/probe";
import {
  renderProbeReport,
  probeReport,
} from "../../electron/cli/probe-report";
import { MssqlEvidence } from "../../shared/evidence/mssql";

const connectionString = process.env.CELLCERT_TEST_MSSQL ?? "";
const SKIP_REASON =
  "CELLCERT_TEST_MSSQL is not set: set it to a SQL Server connection string (Server=host,port;User Id=…;Password=…) to run the probe against a real server.";

describe("the SQL Server probe against a real server", () => {
  it("judges every APP-DB check of the server in CELLCERT_TEST_MSSQL", async (ctx) => {
    if (connectionString === "") {
      console.info(`Skipped: ${SKIP_REASON}`);
      ctx.skip(SKIP_REASON);
    }
    const config = sql.ConnectionPool.parseConnectionString(connectionString);
    const instance = config.options.instanceName;
    const serverName = config.options.serverName;
    const caFile = process.env.CELLCERT_TEST_MSSQL_CA;
    const appLogin = process.env.CELLCERT_TEST_MSSQL_APP_LOGIN;
    const anchorsPem =
      caFile === undefined ? [] : [readFileSync(caFile, "utf8")];
    const credentials =
      config.user !== undefined && config.password !== undefined
        ? { user: config.user, password: config.password }
        : undefined;
    const startedAt = new Date();
    const evidence = await probeMssql(
      {
        host: config.server,
        ...(config.port !== undefined &&
          instance === undefined && { port: config.port }),
        ...(instance !== undefined && { instance }),
        ...(serverName !== undefined && { serverName }),
      },
      {
        anchorsPem,
        publicRoots: false,
        timeoutMs: 5000,
        ...(credentials !== undefined && { credentials }),
        ...(appLogin !== undefined && { appLogin }),
      },
    );
    expect(() => MssqlEvidence.parse(evidence)).not.toThrow();
    if (credentials !== undefined) {
      expect(JSON.stringify(evidence)).not.toContain(credentials.password);
    }
    expect(evidence.unreachable, evidence.unreachable?.message).toBeNull();
    // A real SQL Server answers the cleartext PRELOGIN, or refuses it and speaks TDS 8.0.
    expect(
      evidence.prelogin?.outcome === "answered" ||
        evidence.tds8?.outcome === "works",
    ).toBe(true);
    const checks = await judgeAppDb(evidence, {
      anchorsPem,
      publicRoots: false,
      headroomDays: 30,
      minimumTlsVersion: "TLSv1.2",
      credentialsGiven: credentials !== undefined,
      now: new Date(),
    });
    expect(checks).toHaveLength(6);
    console.info(
      renderProbeReport(
        probeReport({
          command: "probe mssql",
          target: `${evidence.target.host}:${evidence.target.port ?? "?"}`,
          startedAt: startedAt.toISOString(),
          durationMs: Date.now() - startedAt.getTime(),
          checks,
          evidence,
        }),
      ),
    );
  }, 60_000);
});
