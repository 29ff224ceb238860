import { describe, expect, it } from "vitest";
import { CHECKS } from "./catalog/catalog";
import { TEMPLATE } from "../test/support/plan-arbitrary";
import { familyOf, planRun, tcpPorts } from "./run-plan";
import { judgeVantageAddress } from "./verdicts/vantage-address";

describe("planning a run", () => {
  it("gives every probe-backed check a family and attest-only checks none", () => {
    for (const check of CHECKS) {
      if (check.satisfiedBy === "attest")
        expect(familyOf(check), check.id).toBeNull();
      else expect(familyOf(check), check.id).not.toBeNull();
    }
  });

  it("plans the enterprise vantage: the perimeter's TLS, HTTP and HSTS, and segmentation of the inner cells", () => {
    const run = planRun(TEMPLATE, "enterprise");
    const summary = run.targets.map(
      (t) =>
        `${t.family} ${t.endpoint.id}: ${t.checks.map((c) => c.id).join(" ")}`,
    );
    expect(summary).toEqual([
      "tls perimeter-web: ENT-PER.reach ENT-PER.tls.protocol ENT-PER.tls.suites ENT-PER.cert.chain ENT-PER.cert.name ENT-PER.cert.validity ENT-PER.cert.strength",
      "http-plain perimeter-web: ENT-PER.http.plain",
      "https perimeter-web: ENT-PER.http.hsts",
      "tcp mes-gateway: ENT-PER.segmentation",
      "tcp mes-site: ENT-PER.segmentation",
      "tcp sql-server: ENT-PER.segmentation",
      "tcp remote-firewall: ENT-PER.segmentation",
    ]);
    expect(run.targets.every((t) => t.blocked?.includes("placeholder"))).toBe(
      true,
    );
    expect(
      run.targets.find((t) => t.endpoint.id === "remote-firewall")?.address,
    ).toBe("mes.plant.invalid ports 443, 445, 1433, 3389");
  });

  it("lists the attest-only checks of a vantage and leaves out-of-scope boundaries alone", () => {
    const plan = structuredClone(TEMPLATE);
    plan.boundaries.find((b) => b.id === "APP-EXT")!.inScope = false;
    const run = planRun(plan, "mes");
    expect(run.attestOnly.map((a) => a.check.id).sort()).toEqual([
      "MES-CELL.colocation",
      "MES-CELL.countermeasures",
      "MES-PCS.guideline",
    ]);
    expect(run.targets.some((t) => t.endpoint.boundary === "APP-EXT")).toBe(
      false,
    );
    expect(run.targets.map((t) => t.family)).toEqual(["mssql"]);
  });

  it("plans a re-run of one check on one endpoint, with the checks it waits on there", () => {
    const run = planRun(TEMPLATE, "perimeter", {
      checkId: "PER-MES.mtls.anonymous-refused",
      endpointId: "mes-gateway",
    });
    // The TLS profile first: a port that speaks no TLS leaves the client-certificate checks not tested.
    expect(
      run.targets.map((t) => [t.family, t.checks.map((c) => c.id)]),
    ).toEqual([
      ["tls", ["PER-MES.tls.protocol"]],
      ["mtls", ["PER-MES.mtls.anonymous-refused"]],
    ]);
    const sql = planRun(TEMPLATE, "mes", {
      checkId: "APP-DB.sql.auth",
      endpointId: "sql-server",
    });
    expect(sql.targets.flatMap((t) => t.checks.map((c) => c.id))).toEqual(
      expect.arrayContaining([
        "APP-DB.tds.encryption",
        "APP-DB.tds.cert",
        "APP-DB.sql.auth",
      ]),
    );
  });

  it("previews an OPC UA endpoint by its URL, path included", () => {
    const plan = structuredClone(TEMPLATE);
    const link = plan.endpoints.find((e) => e.id === "process-control-link")!;
    Object.assign(link, {
      kind: "opcua",
      host: "10.40.0.5",
      port: 4840,
      opcuaPath: "/pcs",
    });
    const target = planRun(plan, "mes").targets.find(
      (t) => t.family === "opcua",
    );
    expect(target?.address).toBe("opc.tcp://10.40.0.5:4840/pcs");
  });

  it("probes the endpoint's port and the firewall's ports", () => {
    expect(
      tcpPorts(TEMPLATE.endpoints.find((e) => e.id === "remote-firewall")!),
    ).toEqual([443, 445, 1433, 3389]);
    expect(
      tcpPorts(TEMPLATE.endpoints.find((e) => e.id === "sql-server")!),
    ).toEqual([1433]);
  });

  it("probes a port listed twice once", () => {
    const firewall = structuredClone(
      TEMPLATE.endpoints.find((e) => e.id === "remote-firewall")!,
    );
    firewall.deniedPorts = [445, 3389, 445];
    firewall.allowedPorts = [443, 443];
    expect(tcpPorts(firewall)).toEqual([443, 445, 3389]);
  });

  it("does not guess the port of a named SQL Server instance for segmentation", () => {
    const plan = structuredClone(TEMPLATE);
    const sql = plan.endpoints.find((e) => e.id === "sql-server")!;
    sql.placeholder = false;
    sql.sqlInstance = "MES";
    delete sql.port;
    expect(tcpPorts(sql)).toEqual([]);
    const target = planRun(plan, "enterprise").targets.find(
      (t) => t.family === "tcp" && t.endpoint.id === "sql-server",
    );
    expect(target?.blocked).toMatch(
      /named instance MES without a port: its TCP port is dynamic/,
    );
    for (const defaultInstance of ["MSSQLSERVER", "mssqlserver", " "]) {
      sql.sqlInstance = defaultInstance;
      expect(tcpPorts(sql)).toEqual([1433]);
    }
    sql.sqlInstance = "MES";
    sql.port = 50123;
    expect(tcpPorts(sql)).toEqual([50123]);
    expect(
      planRun(plan, "enterprise").targets.find(
        (t) => t.family === "tcp" && t.endpoint.id === "sql-server",
      )?.blocked,
    ).toBeNull();
  });
});

describe("VANTAGE.address", () => {
  const cell = {
    name: "Perimeter",
    networks: ["10.20.0.0/24", "fd00:20::/64"],
  };
  it("passes when an address of the laptop lies in the cell", () => {
    expect(
      judgeVantageAddress(cell, [
        { interface: "wlan0", address: "192.168.1.4" },
        { interface: "eth1", address: "10.20.0.77" },
      ]),
    ).toEqual({
      verdict: "pass",
      message:
        "10.20.0.77 lies in the Perimeter cell (10.20.0.0/24, fd00:20::/64).",
    });
  });
  it("warns when none does, naming them", () => {
    const judged = judgeVantageAddress(cell, [
      { interface: "eth0", address: "10.30.0.5" },
    ]);
    expect(judged.verdict).toBe("warn");
    expect(judged.message).toMatch(
      /^None of the laptop's addresses \(10\.30\.0\.5\) lies in the Perimeter cell's networks/,
    );
  });
  it("judges the vantage's own source address when the plan names one", () => {
    expect(
      judgeVantageAddress(
        cell,
        [{ interface: "eth1", address: "10.20.0.77" }],
        "10.30.0.5",
      ).verdict,
    ).toBe("warn");
  });
  it("warns when the cell has no networks to compare with", () => {
    expect(
      judgeVantageAddress({ name: "MES", networks: [] }, []).message,
    ).toMatch(/has no networks in the plan/);
  });
});
