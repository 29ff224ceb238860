// The mssql family as the runner calls it: a plan's SQL Server endpoint, its credential's password from the
// vault, the plan's anchors and policy → evidence and the APP-DB outcomes the run asked for.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HostLimiter } from "../../electron/engine/net";
import type { ProbeContext } from "../../electron/engine/families/types";
import { SecretVault } from "../../electron/engine/secrets/vault";
import { mssqlFamily } from "../../electron/engine/families/mssql";
import { MssqlEvidence } from "../../shared/evidence/mssql";
import { Plan, PLAN_SCHEMA_VERSION } from "../../shared/model/plan";
import { planRun } from "../../shared/run-plan";
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

function planFor(port: number, credential: boolean): Plan {
  return Plan.parse({
    schemaVersion: PLAN_SCHEMA_VERSION,
    plant: { name: "Practice" },
    cells: [
      { id: "mes", kind: "mes", name: "MES" },
      { id: "database", kind: "database", name: "Database" },
    ],
    boundaries: [{ id: "APP-DB", from: "mes", to: "database" }],
    endpoints: [
      {
        id: "sql01",
        name: "SQL Server",
        boundary: "APP-DB",
        cell: "database",
        kind: "mssql",
        host: "127.0.0.1",
        port,
        serverName: SQL_NAME,
        appLogin: "mes_app",
        ...(credential && { credentialId: "probe-login" }),
      },
    ],
    vantages: [{ id: "mes", cell: "mes" }],
    credentials: [
      {
        id: "probe-login",
        name: "Probe login",
        user: "probe",
        password: "env:CELLCERT_SQL_PW",
      },
    ],
  });
}

function contextFor(plan: Plan, env: NodeJS.ProcessEnv): ProbeContext {
  return {
    plan,
    anchorsPem: () => [certs.anchorPem],
    crls: () => [],
    localAddress: undefined,
    signal: new AbortController().signal,
    limiter: new HostLimiter(),
    vault: new SecretVault({ env }),
    planPath: "/nowhere/plan.cellcert.json",
    now: () => new Date(),
  };
}

describe("the mssql family", () => {
  it("probes the plan's endpoint with its credential and returns one outcome per check asked", async () => {
    const server = await servers.start({
      encryption: "required",
      certificate: certs.good,
      logins: [
        { user: "probe", password: "Probe-Pass-1", viewServerState: true },
      ],
      sessions: [
        {
          login: "mes_app",
          hostName: "mes01",
          programName: "MES",
          encrypted: true,
          authScheme: "SQL",
        },
      ],
    });
    const plan = planFor(server.port, true);
    const [target] = planRun(plan, "mes").targets.filter(
      (t) => t.family === "mssql",
    );
    expect(target).toBeDefined();
    const output = await mssqlFamily(
      target!,
      contextFor(plan, { CELLCERT_SQL_PW: "Probe-Pass-1" }),
    );
    expect(output.outcomes.map((o) => [o.checkId, o.verdict])).toEqual(
      target!.checks.map((c) => [c.id, "pass"]),
    );
    expect(output.evidence).toHaveLength(1);
    expect(output.evidence[0]).toMatchObject({
      probe: "mssql",
      target: `127.0.0.1:${server.port}`,
    });
    expect(() => MssqlEvidence.parse(output.evidence[0]?.data)).not.toThrow();
  });

  it("says which secret is missing instead of a bare 'no credentials'", async () => {
    const server = await servers.start({
      encryption: "required",
      certificate: certs.good,
    });
    const plan = planFor(server.port, true);
    const [target] = planRun(plan, "mes").targets.filter(
      (t) => t.family === "mssql",
    );
    const output = await mssqlFamily(target!, contextFor(plan, {}));
    const auth = output.outcomes.find((o) => o.checkId === "APP-DB.sql.auth");
    expect(auth).toMatchObject({
      verdict: "not-tested",
      reason: "no credentials",
      message: expect.stringMatching(
        /CELLCERT_SQL_PW, which is not set/,
      ) as unknown,
    });
    expect(server.stats.loginAttempts).toBe(0);
  });
});
