// The SQL Server probe end to end against practice SQL Servers on 127.0.0.1: each encryption mode, each
// certificate case, TDS 8.0 strict and strict-only, credentials good and bad, SQL Browser, and the CLI's exit codes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSqlBrowser } from "../../electron/demo/tds/sql-browser";
import type {
  TdsEmulator,
  TdsEmulatorOptions,
} from "../../electron/demo/tds/emulator";
import { runCli } from "../../electron/cli/program";
import { judgeAppDb } from "../../electron/engine/rules/app-db";
import {
  probeMssql,
  type MssqlProbeOptions,
  type MssqlTarget,
} from "../../electron/engine/protocols/tds/probe";
import { MssqlEvidence } from "../../shared/evidence/mssql";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import { captureIo } from "../support/cli";
import {
  emulators,
  SQL_NAME,
  sqlCertificates,
  type SqlCertificates,
} from "../support/tds";

const servers = emulators();
const closers: (() => Promise<void>)[] = [];
let certs: SqlCertificates;
let caFile: string;
beforeAll(() => {
  certs = sqlCertificates();
  const dir = mkdtempSync(join(tmpdir(), "cellcert-mssql-"));
  caFile = join(dir, "plant-ca.pem");
  writeFileSync(caFile, certs.anchorPem);
});
afterAll(async () => {
  await servers.stopAll();
  await Promise.all(closers.splice(0).map((close) => close()));
});

const PROBE_LOGIN = {
  user: "probe",
  password: "Probe-Pass-1",
  viewServerState: true,
};
const READER_LOGIN = {
  user: "reader",
  password: "Reader-Pass-1",
  viewServerState: false,
};

function start(
  options: Partial<TdsEmulatorOptions> = {},
): Promise<TdsEmulator> {
  return servers.start({
    encryption: "required",
    certificate: certs.good,
    logins: [PROBE_LOGIN, READER_LOGIN],
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
}

async function probe(
  target: Partial<MssqlTarget> & { port?: number },
  options: Partial<MssqlProbeOptions> = {},
): Promise<{ evidence: MssqlEvidence; checks: Record<string, CheckOutcome> }> {
  const evidence = await probeMssql(
    { host: "127.0.0.1", serverName: SQL_NAME, ...target },
    {
      anchorsPem: [certs.anchorPem],
      publicRoots: false,
      timeoutMs: 3000,
      ...options,
    },
  );
  // What the probe records is what the schema documents.
  expect(() => MssqlEvidence.parse(evidence)).not.toThrow();
  expect(JSON.stringify(evidence)).not.toContain("Probe-Pass-1");
  const outcomes = await judgeAppDb(evidence, {
    anchorsPem: [certs.anchorPem],
    publicRoots: false,
    headroomDays: 30,
    minimumTlsVersion: "TLSv1.2",
    credentialsGiven: options.credentials !== undefined,
    now: new Date(),
  });
  return {
    evidence,
    checks: Object.fromEntries(
      outcomes.map((o) => [o.checkId.replace("APP-DB.", ""), o]),
    ),
  };
}

const verdictOf = (checks: Record<string, CheckOutcome>, id: string): string =>
  checks[id]?.verdict ?? "missing";
const withLogin = {
  credentials: { user: "probe", password: "Probe-Pass-1" },
  appLogin: "mes_app",
};

describe("SQL Server probe without credentials", () => {
  it.each([
    ["off", "fail", "off"],
    ["on", "pass", "on"],
    ["required", "pass", "required"],
    ["not-supported", "fail", "not-supported"],
  ] as const)(
    "encryption %s: APP-DB.tds.encryption %s, and never a LOGIN7",
    async (encryption, verdict, answered) => {
      const server = await start({
        encryption,
        ...(encryption === "not-supported" ? { certificate: undefined } : {}),
      });
      const { evidence, checks } = await probe({ port: server.port });
      expect(evidence.prelogin?.answer?.encryption).toBe(answered);
      expect(evidence.prelogin?.answer?.version?.product).toBe(
        "SQL Server 2022",
      );
      expect(verdictOf(checks, "tds.encryption")).toBe(verdict);
      for (const id of ["sql.auth", "sql.mixed-mode", "sql.app-sessions"]) {
        expect(checks[id]?.verdict).toBe("not-tested");
      }
      expect(server.stats.loginAttempts).toBe(0);
    },
  );

  it("captures the chain, protocol and suite of the TLS inside PRELOGIN as the server sent them", async () => {
    const server = await start();
    const { evidence, checks } = await probe({ port: server.port });
    const inside = evidence.prelogin?.tls;
    expect(inside).toMatchObject({
      completed: true,
      protocol: "TLSv1.2",
      alpn: null,
    });
    expect(inside?.cipher?.standardName).toMatch(/^TLS_/);
    // Leaf and intermediate: the root is the plan's anchor, not something the server sends.
    expect(inside?.chain.map((c) => c.subject)).toEqual([
      expect.stringContaining(`CN=${SQL_NAME}`),
      expect.stringContaining("Issuing CA"),
    ]);
    expect(verdictOf(checks, "tds.cert")).toBe("pass");
    expect(verdictOf(checks, "tds.protocol")).toBe("pass");
  });

  it.each([
    ["fallback", /^SQL Server is using its self-signed fallback certificate/],
    ["expired", /expired/],
    ["wrongName", /not valid for the name sql01\.plant\.test/],
  ] as const)(
    "fails the %s certificate through the certificate rules",
    async (which, message) => {
      const server = await start({ certificate: certs[which] });
      const { checks } = await probe({ port: server.port });
      expect(verdictOf(checks, "tds.encryption")).toBe("pass");
      expect(checks["tds.cert"]).toMatchObject({
        verdict: "fail",
        message: expect.stringMatching(message) as unknown,
      });
    },
  );

  it("recognises TDS 8.0 supported beside TDS 7, with ALPN tds/8.0 and TLS 1.3", async () => {
    const server = await start({ strict: "supported" });
    const { evidence, checks } = await probe({ port: server.port });
    expect(evidence.tds8).toMatchObject({
      outcome: "works",
      tls: { protocol: "TLSv1.3", alpn: "tds/8.0" },
    });
    expect(checks["tds.encryption"]?.measured).toMatch(
      /TDS 8\.0 strict supported, not enforced/,
    );
  });

  it("proves strict enforced: the cleartext PRELOGIN is refused while TLS first works", async () => {
    const server = await start({ strict: "only" });
    const { evidence, checks } = await probe({ port: server.port });
    expect(evidence.prelogin?.outcome).toBe("refused");
    expect(evidence.tds8?.outcome).toBe("works");
    expect(checks["tds.encryption"]).toMatchObject({
      verdict: "pass",
      message: expect.stringMatching(/strict/) as unknown,
    });
    expect(verdictOf(checks, "tds.cert")).toBe("pass");
  });

  it("does not send a ClientHello to a server older than TDS 8.0", async () => {
    const server = await start({
      version: { major: 15, minor: 0, build: 2000 },
    });
    const { evidence } = await probe({ port: server.port });
    expect(evidence.tds8).toBeNull();
    expect(evidence.tds8Skipped).toMatch(
      /SQL Server 2019 \(15\.0\.2000\) predates TDS 8\.0/,
    );
    expect(server.stats.connections).toBe(1);
  });

  it("reports an unreachable server and a name that does not resolve as nothing judged", async () => {
    const closed = await probe({ port: 1 });
    expect(closed.evidence.unreachable?.kind).toBe("refused");
    expect(
      Object.values(closed.checks).every((c) => c.verdict === "not-tested"),
    ).toBe(true);
    const dns = await probe(
      { host: "sql-nowhere.plant.test", port: 1433 },
      {
        lookup: () =>
          Promise.reject(
            Object.assign(new Error("no such name"), { code: "ENOTFOUND" }),
          ),
      },
    );
    expect(dns.evidence.unreachable).toMatchObject({
      kind: "dns-failure",
      code: "ENOTFOUND",
    });
  });
});

describe("SQL Server probe with credentials", () => {
  it("logs in over TLS with the plan's anchors and name, and passes the sql.* checks", async () => {
    const server = await start();
    const { evidence, checks } = await probe({ port: server.port }, withLogin);
    expect(evidence.credentialed).toMatchObject({
      login: "probe",
      mode: "tds7-encrypt",
      connected: true,
      clientTls: { protocol: "TLSv1.2" },
      session: {
        source: "dm_exec_connections",
        encryptOption: "TRUE",
        authScheme: "SQL",
      },
      integratedSecurityOnly: 0,
    });
    expect(evidence.credentialed?.registry?.map((r) => r.name)).toContain(
      "ForceEncryption",
    );
    expect(Object.values(checks).map((c) => c.verdict)).toEqual([
      "pass",
      "pass",
      "pass",
      "pass",
      "pass",
      "pass",
    ]);
    // mssql logs in once to test the connection, then once for the pool, one after the other.
    expect(server.stats.logins).toBeGreaterThan(0);
  });

  it("logs in with encrypt 'strict' where the server takes nothing else", async () => {
    const server = await start({ strict: "only" });
    const { evidence, checks } = await probe({ port: server.port }, withLogin);
    expect(evidence.credentialed).toMatchObject({
      mode: "tds8-strict",
      connected: true,
      clientTls: null,
    });
    expect(verdictOf(checks, "sql.auth")).toBe("pass");
  });

  it("reports a wrong password as a refused login, not-tested", async () => {
    const server = await start();
    const { evidence, checks } = await probe(
      { port: server.port },
      { credentials: { user: "probe", password: "not-it" } },
    );
    expect(evidence.credentialed?.error).toMatchObject({
      kind: "login",
      code: "18456",
    });
    expect(checks["sql.auth"]).toMatchObject({
      verdict: "not-tested",
      reason: "login refused",
    });
    expect(JSON.stringify(evidence)).not.toContain("not-it");
  });

  it("records each missing permission with SQL Server's own words, and judges what needs none", async () => {
    const server = await start();
    const { evidence, checks } = await probe(
      { port: server.port },
      {
        credentials: { user: "reader", password: "Reader-Pass-1" },
        appLogin: "mes_app",
      },
    );
    expect(
      evidence.credentialed?.permissionsMissing.map((p) => p.query),
    ).toEqual(["session", "registry", "app-sessions"]);
    expect(evidence.credentialed?.session?.source).toBe("connectionproperty");
    expect(verdictOf(checks, "sql.auth")).toBe("pass");
    expect(verdictOf(checks, "sql.mixed-mode")).toBe("pass");
    expect(checks["sql.app-sessions"]).toMatchObject({
      verdict: "not-tested",
      reason: "no permission: VIEW SERVER STATE",
      message: expect.stringContaining(
        "VIEW SERVER STATE permission was denied on object 'server', database 'master'.",
      ) as unknown,
    });
  });

  it("fails the MES application's unencrypted sessions (recommended check)", async () => {
    const server = await start({
      sessions: [
        {
          login: "mes_app",
          hostName: "mes02",
          programName: "MES Core",
          encrypted: false,
          authScheme: "SQL",
        },
      ],
    });
    const { checks } = await probe({ port: server.port }, withLogin);
    expect(checks["sql.app-sessions"]).toMatchObject({
      verdict: "fail",
      message: expect.stringMatching(/mes02/) as unknown,
    });
  });

  it("fails mixed mode on a Windows-only server", async () => {
    const server = await start({ integratedSecurityOnly: true });
    const { checks } = await probe({ port: server.port }, withLogin);
    expect(verdictOf(checks, "sql.mixed-mode")).toBe("fail");
    expect(checks["sql.auth"]?.reason).toBe("login refused");
  });

  it("never sends the password to a server that cannot encrypt", async () => {
    const server = await start({
      encryption: "not-supported",
      certificate: undefined,
    });
    const { evidence } = await probe({ port: server.port }, withLogin);
    expect(evidence.credentialed).toBeNull();
    expect(evidence.credentialsSkipped).toMatch(/would travel in clear/);
    expect(server.stats.loginAttempts).toBe(0);
  });
});

describe("named instances through SQL Browser", () => {
  it("finds the port of a named instance, and an explicit port wins over SQL Browser", async () => {
    const server = await start();
    const browser = await startSqlBrowser({
      host: "127.0.0.1",
      instances: [{ name: "MES", tcpPort: server.port }],
    });
    closers.push(() => browser.close());
    const viaBrowser = await probe(
      { instance: "MES" },
      { browserPort: browser.port },
    );
    expect(viaBrowser.evidence.target).toMatchObject({
      port: server.port,
      portSource: "sql-browser",
    });
    expect(viaBrowser.evidence.browser).toMatchObject({
      answered: true,
      tcpPort: server.port,
    });
    expect(verdictOf(viaBrowser.checks, "tds.encryption")).toBe("pass");

    const explicit = await probe(
      { instance: "MES", port: server.port },
      { browserPort: browser.port },
    );
    expect(explicit.evidence.browser).toBeNull();
    expect(explicit.evidence.target.portSource).toBe("explicit");
  });

  it("says so when SQL Browser does not answer, or does not know the instance", async () => {
    const browser = await startSqlBrowser({ host: "127.0.0.1", instances: [] });
    closers.push(() => browser.close());
    const silent = await probe(
      { instance: "MES" },
      { browserPort: browser.port, timeoutMs: 300 },
    );
    expect(silent.evidence.unreachable).toMatchObject({
      kind: "browser",
      code: "ETIMEDOUT",
    });
    expect(silent.evidence.unreachable?.message).toMatch(
      /Give the instance's TCP port instead/,
    );
    expect(silent.checks["tds.encryption"]?.reason).toBe(
      "instance port unknown",
    );
  });
});

describe("cellcert probe mssql", () => {
  const cli = async (argv: string[], env: NodeJS.ProcessEnv = {}) => {
    const io = captureIo({ env });
    const code = await runCli(["probe", "mssql", ...argv], io);
    return { code, out: io.out.join("\n"), err: io.err.join("\n") };
  };

  it("exits 0 on a good server without credentials: the sql.* checks are listed not-tested", async () => {
    const server = await start();
    const { code, out } = await cli([
      `127.0.0.1:${server.port}`,
      "--servername",
      SQL_NAME,
      // --ca repeats; the same anchor twice does no harm.
      "--ca",
      caFile,
      "--ca",
      caFile,
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/PASS\s+APP-DB\.tds\.encryption/);
    expect(out).toMatch(/NOT TESTED\s+APP-DB\.sql\.auth/);
    // The engine's sentence is neutral; the command line says how to give a login here.
    expect(out).toContain(
      "The sql.* checks need a SQL login: give one with --user LOGIN and --password-env VARIABLE.",
    );
  });

  it("exits 1 on a failing check, and prints the versioned JSON document with --json", async () => {
    const server = await start({ encryption: "off" });
    const { code, out } = await cli([
      `127.0.0.1:${server.port}`,
      "--servername",
      SQL_NAME,
      "--ca",
      caFile,
      "--json",
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(out) as {
      schema: string;
      command: string;
      checks: CheckOutcome[];
      evidence: unknown;
    };
    expect(report.schema).toBe("cellcert.probe-report/1");
    expect(report.command).toBe("probe mssql");
    expect(report.checks[0]).toMatchObject({
      checkId: "APP-DB.tds.encryption",
      verdict: "fail",
    });
    expect(() => MssqlEvidence.parse(report.evidence)).not.toThrow();
  });

  it("reads the password from the variable --password-env names, and logs in with it", async () => {
    const server = await start();
    const { code, out } = await cli(
      [
        `127.0.0.1:${server.port}`,
        "--servername",
        SQL_NAME,
        "--ca",
        caFile,
        "--user",
        "probe",
        "--password-env",
        "SQL_PW",
        "--app-login",
        "mes_app",
      ],
      { SQL_PW: "Probe-Pass-1" },
    );
    expect(code).toBe(0);
    expect(out).toMatch(/PASS\s+APP-DB\.sql\.app-sessions/);
    expect(out).not.toContain("Probe-Pass-1");
    expect(out).not.toContain("need a SQL login");
  });

  it("exits 2 when nothing could be judged", async () => {
    const { code, out } = await cli(["127.0.0.1:1"]);
    expect(code).toBe(2);
    expect(out).toMatch(
      /Nothing could be judged\. Nothing is listening on 127\.0\.0\.1:1/,
    );
  });

  it.each([
    [["not a host"], /is not HOST, HOST:PORT or HOST\\INSTANCE/],
    [["127.0.0.1:99999"], /not a port/],
    [["127.0.0.1", "--user", "probe"], /--user needs --password-env/],
    [["127.0.0.1", "--password-env", "X"], /--password-env needs --user/],
    [
      ["127.0.0.1", "--user", "probe", "--password-env", "UNSET_VAR"],
      /UNSET_VAR is not set/,
    ],
    [
      ["127.0.0.1", "--ca", "/nonexistent/ca.pem"],
      /^--ca \/nonexistent\/ca\.pem: \/nonexistent\/ca\.pem cannot be read \(ENOENT\); give the CA certificate, in PEM or DER\./,
    ],
    [["127.0.0.1\\MY;INSTANCE"], /not a SQL Server instance name/],
  ])("exits 2 on bad arguments %j, with a sentence", async (argv, message) => {
    const { code, err } = await cli(argv);
    expect(code).toBe(2);
    expect(err).toMatch(message);
  });
});
