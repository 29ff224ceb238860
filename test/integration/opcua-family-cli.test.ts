// The OPC UA probe as the runner and the CLI use it, against real node-opcua servers on loopback: the opcua family
// on a plan's endpoint (its path, the plan's anchors, the vantage's source address), and `cellcert probe opcua`
// with its report and the exit codes of DESIGN §2.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeReport } from "../../electron/cli/probe-report";
import { runCli } from "../../electron/cli/program";
import type { RunningOpcuaServer } from "../../electron/demo/opcua-server";
import { HostLimiter } from "../../electron/engine/net";
import { opcuaFamily } from "../../electron/engine/families/opcua";
import type { ProbeContext } from "../../electron/engine/families/types";
import { SecretVault } from "../../electron/engine/secrets/vault";
import { OpcuaEvidence } from "../../shared/evidence/opcua";
import { Plan, PLAN_SCHEMA_VERSION } from "../../shared/model/plan";
import { planRun } from "../../shared/run-plan";
import { captureIo } from "../support/cli";
import {
  hostileServer,
  MES_ADDRESS,
  OPCUA_SERVER_ADDRESS,
  opcuaCertificates,
  opcuaServers,
  type OpcuaCertificates,
} from "../support/opcua";

const PATH = "/UA/Practice";
const servers = opcuaServers();
let certs: OpcuaCertificates;
let good: RunningOpcuaServer;
let broken: RunningOpcuaServer;
let caFile: string;
let dir: string;
beforeAll(async () => {
  certs = opcuaCertificates();
  dir = mkdtempSync(join(tmpdir(), "cellcert-opcua-cli-"));
  caFile = join(dir, "plant-ca.pem");
  writeFileSync(caFile, certs.anchorPem);
  good = await servers.start("good", certs, {
    path: PATH,
    // The MES vantage's address, and the CLI's own (the kernel's default source on loopback).
    allowSource: (address) =>
      address.endsWith(MES_ADDRESS) || address.endsWith("127.0.0.1"),
  });
  broken = await servers.start("broken", certs);
}, 60_000);
afterAll(async () => {
  await servers.stopAll();
  rmSync(dir, { recursive: true, force: true });
});

function planFor(port: number, opcuaPath?: string): Plan {
  return Plan.parse({
    schemaVersion: PLAN_SCHEMA_VERSION,
    plant: { name: "Practice" },
    cells: [
      { id: "mes", kind: "mes", name: "MES" },
      { id: "pcs", kind: "process-control", name: "Process control" },
    ],
    boundaries: [{ id: "MES-PCS", from: "mes", to: "pcs" }],
    endpoints: [
      {
        id: "pcs-opcua",
        name: "PCS OPC UA server",
        boundary: "MES-PCS",
        cell: "pcs",
        kind: "opcua",
        host: OPCUA_SERVER_ADDRESS,
        port,
        ...(opcuaPath !== undefined && { opcuaPath }),
      },
    ],
    vantages: [{ id: "mes", cell: "mes" }],
  });
}

function contextFor(plan: Plan, anchors: string[]): ProbeContext {
  return {
    plan,
    anchorsPem: () => anchors,
    crls: () => [],
    localAddress: MES_ADDRESS,
    signal: new AbortController().signal,
    limiter: new HostLimiter(),
    vault: new SecretVault({ env: {} }),
    planPath: "/nowhere/plan.cellcert.json",
    now: () => new Date(),
  };
}

describe("the opcua family", () => {
  it("probes the plan's OPC UA endpoint at its path from the vantage's address, one outcome per check", async () => {
    const plan = planFor(good.port, PATH);
    const targets = planRun(plan, "mes").targets;
    expect(targets.map((t) => t.family)).toEqual(["opcua"]);
    const [target] = targets;
    if (target === undefined) throw new Error("no target");
    const output = await opcuaFamily(
      target,
      contextFor(plan, [certs.anchorPem]),
    );
    expect(output.outcomes.map((o) => [o.checkId, o.verdict])).toEqual(
      target.checks.map((c) => [c.id, "pass"]),
    );
    expect(output.evidence).toHaveLength(1);
    expect(output.evidence[0]).toMatchObject({
      probe: "opcua",
      target: `${OPCUA_SERVER_ADDRESS}:${good.port}`,
    });
    const evidence = OpcuaEvidence.parse(output.evidence[0]?.data);
    expect(evidence.target).toMatchObject({
      url: good.url,
      localAddress: MES_ADDRESS,
    });
  });

  it("leaves the certificate to compare and attest when the plan has no anchors, and fails the broken server", async () => {
    const plan = planFor(broken.port);
    const [target] = planRun(plan, "mes").targets;
    if (target === undefined) throw new Error("no target");
    const output = await opcuaFamily(target, contextFor(plan, []));
    expect(
      Object.fromEntries(output.outcomes.map((o) => [o.checkId, o.verdict])),
    ).toEqual({
      "MES-PCS.opcua.mode": "fail",
      "MES-PCS.opcua.policy": "fail",
      "MES-PCS.opcua.anonymous": "fail",
      "MES-PCS.opcua.user-token": "pass",
      "MES-PCS.opcua.cert": "not-tested",
    });
  });
});

async function cli(args: string[]) {
  const io = captureIo();
  const code = await runCli(["probe", "opcua", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("cellcert probe opcua", () => {
  it("exits 0 for the good server, with the five checks in a probe report", async () => {
    const url = `opc.tcp://${OPCUA_SERVER_ADDRESS}:${good.port}${PATH}`;
    const { code, out } = await cli([url, "--json"]);
    expect(code).toBe(0);
    const report = JSON.parse(out) as ProbeReport;
    expect(report.schema).toBe("cellcert.probe-report/1");
    expect(report.command).toBe("probe opcua");
    expect(report.target).toBe(`${OPCUA_SERVER_ADDRESS}:${good.port}${PATH}`);
    expect(report.unjudged).toBeNull();
    expect(report.checks.map((c) => [c.checkId, c.verdict])).toEqual([
      ["MES-PCS.opcua.mode", "pass"],
      ["MES-PCS.opcua.policy", "pass"],
      ["MES-PCS.opcua.anonymous", "pass"],
      ["MES-PCS.opcua.user-token", "pass"],
      // Without --ca: the fingerprint to compare, not counted against the exit code.
      ["MES-PCS.opcua.cert", "not-tested"],
    ]);
    expect(report.checks[4]?.message).toContain(certs.leafFingerprint);
    expect(() => OpcuaEvidence.parse(report.evidence)).not.toThrow();
  });

  it("passes the certificate against --ca, in the readable table", async () => {
    const { code, out } = await cli([
      `${OPCUA_SERVER_ADDRESS}:${good.port}${PATH}`,
      "--ca",
      caFile,
    ]);
    expect(code).toBe(0);
    expect(out).toMatch(/PASS\s+MES-PCS\.opcua\.cert/);
  });

  it("exits 1 for the broken server: None, Basic128Rsa15, anonymous", async () => {
    const { code, out } = await cli([
      `${OPCUA_SERVER_ADDRESS}:${broken.port}`,
      "--ca",
      caFile,
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL\s+MES-PCS\.opcua\.mode/);
    expect(out).toMatch(/FAIL\s+MES-PCS\.opcua\.anonymous/);
  });

  it("exits 1 for a port that answers but not as OPC UA", async () => {
    const web = await hostileServer((socket) =>
      socket.once("data", () => socket.end("HTTP/1.1 400 Bad Request\r\n\r\n")),
    );
    try {
      const { code, out } = await cli([`${OPCUA_SERVER_ADDRESS}:${web.port}`]);
      expect(code).toBe(1);
      expect(out).toMatch(/answers with HTTP, not OPC UA/);
    } finally {
      await web.close();
    }
  });

  it("exits 2 when nothing could be judged: nothing listens", async () => {
    const closed = await hostileServer(() => undefined);
    const port = closed.port;
    await closed.close();
    const { code, out } = await cli([
      `${OPCUA_SERVER_ADDRESS}:${port}`,
      "--json",
    ]);
    expect(code).toBe(2);
    const report = JSON.parse(out) as ProbeReport;
    expect(report.unjudged).toMatch(/Nothing is listening/);
  });

  it("exits 2 for arguments it cannot use", async () => {
    expect((await cli(["pcs01:99999"])).code).toBe(2);
    expect((await cli(["not a host:4840"])).code).toBe(2);
    const missing = await cli([
      `${OPCUA_SERVER_ADDRESS}:${good.port}`,
      "--ca",
      "/nonexistent/ca.pem",
    ]);
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot be read/);
  });
});
