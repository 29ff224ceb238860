import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { serializePlan } from "../../../shared/model/serialize";
import { outcome } from "../../../shared/verdicts/outcome";
import { captureIo } from "../../../test/support/cli";
import { TEMPLATE } from "../../../test/support/plan-arbitrary";
import { readPlanFile } from "../../engine/plan-store/plan-file";
import { defaultProbes } from "../../engine/families/index";
import type { FamilyProbe, FamilyProbes } from "../../engine/families/types";
import type { RunReport } from "../run-summary";
import { runCli } from "../program";
import { runCommand } from "./run";

function planFile(): string {
  const plan = structuredClone(TEMPLATE);
  plan.endpoints.forEach((endpoint, i) => {
    endpoint.placeholder = false;
    if (endpoint.kind !== "manual") endpoint.host = `127.0.9.${i + 1}`;
  });
  const file = join(
    mkdtempSync(join(tmpdir(), "cellcert-run-")),
    "plant.cellcert.json",
  );
  writeFileSync(file, serializePlan(plan));
  return file;
}

const judged =
  (failing: string[]): FamilyProbe =>
  (target) =>
    Promise.resolve({
      evidence: [],
      outcomes: target.checks.map((c) =>
        failing.includes(c.id)
          ? outcome(c.id, "fail", `${c.id} failed here.\nSecond line.`)
          : outcome(c.id, "pass", "ok"),
      ),
    });

const probes = (failing: string[] = []): FamilyProbes => {
  const probe = judged(failing);
  return {
    ...defaultProbes(),
    tls: probe,
    mtls: probe,
    https: probe,
    "http-plain": probe,
    tcp: probe,
    mssql: probe,
  };
};

describe("cellcert run", () => {
  it("runs a vantage, records the run in the plan file, and exits 0 when nothing failed", async () => {
    const file = planFile();
    const io = captureIo();
    expect(
      await runCommand({ plan: file, vantage: "perimeter" }, io, probes()),
    ).toBe(0);
    const output = io.out.join("\n");
    expect(output).toMatch(/run-1 · perimeter vantage · completed · \d+ pass/);
    expect(output).toContain("No check failed.");
    expect(output).toMatch(/Plant verdict: not commissioned/);
    const saved = await readPlanFile(file);
    expect(saved.plan.runs.map((r) => [r.vantage, r.status])).toEqual([
      ["perimeter", "completed"],
    ]);
  });

  it("prints every failing check on its own line and exits 1", async () => {
    const io = captureIo();
    const code = await runCommand(
      { plan: planFile(), allVantages: true },
      io,
      probes(["PER-MES.mtls.anonymous-refused", "APP-DB.tds.encryption"]),
    );
    expect(code).toBe(1);
    const lines = io.out.join("\n").split("\n");
    expect(lines).toContain(
      "  FAIL  PER-MES.mtls.anonymous-refused  mes-gateway  PER-MES.mtls.anonymous-refused failed here.",
    );
    expect(lines).toContain(
      "  FAIL  APP-DB.tds.encryption  sql-server  APP-DB.tds.encryption failed here.",
    );
    expect(
      lines.filter((l) => l.startsWith("run-")).map((l) => l.split(" · ")[1]),
    ).toEqual([
      "enterprise vantage",
      "perimeter vantage",
      "mes vantage",
      "remote-site vantage",
      "remote-site-no-vpn vantage",
    ]);
  });

  it("lists a failure the plan waives as waived, and does not count it in the exit code", async () => {
    const file = planFile();
    const saved = await readPlanFile(file);
    saved.plan.waivers.push({
      checkId: "APP-DB.tds.encryption",
      endpointId: "sql-server",
      justification: "Encrypted by the plant's IPsec policy instead.",
      name: "Ştefan Muñoz",
      approvedBy: "Ştefan Muñoz",
      date: "2026-11-25",
      notes: "",
    });
    writeFileSync(file, serializePlan(saved.plan));
    const io = captureIo();
    const code = await runCommand(
      { plan: file, vantage: "mes" },
      io,
      probes(["APP-DB.tds.encryption"]),
    );
    expect(code).toBe(0);
    const lines = io.out.join("\n").split("\n");
    expect(lines).toContain(
      "  WAIVED  APP-DB.tds.encryption  sql-server  APP-DB.tds.encryption failed here. Waived: Encrypted by the plant's IPsec policy instead.",
    );
    expect(lines).toContain("No check failed that is not waived.");
    expect(lines.some((l) => l.startsWith("  FAIL"))).toBe(false);
  });

  it("prints a versioned JSON report", async () => {
    const io = captureIo();
    await runCommand(
      { plan: planFile(), vantage: "mes", json: true },
      io,
      probes(),
    );
    const report = JSON.parse(io.out.join("")) as RunReport;
    expect(report.schema).toBe("cellcert.run-report/2");
    expect(report.runs[0]?.results.map((r) => r.checkId)).toContain(
      "APP-DB.tds.cert",
    );
  });

  it("exits 2 when nothing could be judged, for an unreadable plan and for bad arguments", async () => {
    expect(
      await runCommand(
        { plan: planFile(), vantage: "mes" },
        captureIo(),
        defaultProbes(),
      ),
    ).toBe(2);
    const io = captureIo();
    expect(
      await runCli(
        [
          "run",
          "--plan",
          "/nonexistent/plan.cellcert.json",
          "--vantage",
          "mes",
        ],
        io,
      ),
    ).toBe(2);
    expect(io.err.join("\n")).toContain(
      "plan.cellcert.json: there is no such file",
    );
    expect(
      await runCli(
        ["run", "--plan", planFile(), "--vantage", "office"],
        captureIo(),
      ),
    ).toBe(2);
    expect(await runCommand({ plan: planFile() }, captureIo())).toBe(2);
  });

  it("does not hang on a plan whose identity file is a named pipe: the mTLS checks name the file", async () => {
    const file = planFile();
    const saved = await readPlanFile(file);
    saved.plan.identities.push({
      id: "gateway-client",
      role: "client",
      name: "Gateway client",
      file: "identities/gateway-client.p12",
      passphrase: "env:GATEWAY_PASSPHRASE",
      subject: "",
      fingerprintSha256: "",
    });
    const gateway = saved.plan.endpoints.find((e) => e.id === "mes-gateway");
    if (gateway === undefined) throw new Error("the template has no gateway");
    gateway.clientIdentityId = "gateway-client";
    writeFileSync(file, serializePlan(saved.plan));
    mkdirSync(join(dirname(file), "identities"));
    // Nobody ever writes to it: opening it for reading the ordinary way would block forever.
    execFileSync("mkfifo", [
      join(dirname(file), "identities/gateway-client.p12"),
    ]);
    const io = captureIo({ env: { GATEWAY_PASSPHRASE: "secret" } });
    const only = (family: FamilyProbe): FamilyProbes => ({
      ...probes(),
      mtls: family,
    });
    await runCommand(
      { plan: file, vantage: "perimeter", json: true },
      io,
      only(defaultProbes().mtls),
    );
    const report = JSON.parse(io.out.join("\n")) as RunReport;
    const mtls = report.runs[0]?.results.filter((r) =>
      r.checkId.startsWith("PER-MES.mtls."),
    );
    expect(mtls?.map((r) => r.verdict)).toEqual([
      "not-tested",
      "not-tested",
      "not-tested",
    ]);
    expect(mtls?.[2]?.message).toContain(
      "The identity file identities/gateway-client.p12 is a named pipe (FIFO), not a regular file",
    );
    // The plan itself as a named pipe: refused with a sentence, exit 2, never a hang.
    const pipe = join(dirname(file), "pipe.cellcert.json");
    execFileSync("mkfifo", [pipe]);
    const piped = captureIo();
    expect(
      await runCli(["run", "--plan", pipe, "--vantage", "perimeter"], piped),
    ).toBe(2);
    expect(piped.err.join("\n")).toContain(
      "pipe.cellcert.json is a named pipe (FIFO), not a plan file.",
    );
  }, 20_000);
});

describe("cellcert run, on what was measured (issue 15)", () => {
  it("lists results of an endpoint changed after its run as out of date, each on its own line, and never moves the plan", async () => {
    const file = planFile();
    const folder = dirname(file);
    expect(
      await runCommand(
        { plan: file, vantage: "perimeter" },
        captureIo(),
        probes(),
      ),
    ).toBe(0);
    const saved = await readPlanFile(file);
    saved.plan.endpoints.find((e) => e.id === "mes-site")!.port = 8443;
    writeFileSync(file, serializePlan(saved.plan));
    const io = captureIo();
    expect(await runCommand({ plan: file, vantage: "mes" }, io, probes())).toBe(
      0,
    );
    const lines = io.out.join("\n").split("\n");
    const stale = lines.filter((l) => l.startsWith("  OUT OF DATE  "));
    expect(stale).toContain(
      "  OUT OF DATE  IIS-BIND.tls.protocol  mes-site  the endpoint changed after run 1, so this result is out of date: probe it again.",
    );
    expect(stale.every((l) => l.includes(" mes-site "))).toBe(true);
    expect(lines).toContain(
      `Out of date (${stale.length}), counted as not tested:`,
    );
    // `run --plan` works where the plan is: nothing moved into a workspace folder.
    expect(readdirSync(folder).sort()).toEqual([
      "plant.cellcert.json",
      "plant.cellcert.json.bak",
    ]);
  });

  it("counts a failure whose waiver has expired as failing", async () => {
    const file = planFile();
    const saved = await readPlanFile(file);
    saved.plan.waivers.push({
      checkId: "APP-DB.tds.encryption",
      endpointId: "sql-server",
      justification: "Encrypted by the plant's IPsec policy until the upgrade.",
      name: "Ştefan Muñoz",
      approvedBy: "Plant owner",
      date: "2025-11-25",
      expires: "2026-01-31",
      notes: "",
    });
    writeFileSync(file, serializePlan(saved.plan));
    const io = captureIo();
    expect(
      await runCommand(
        { plan: file, vantage: "mes" },
        io,
        probes(["APP-DB.tds.encryption"]),
      ),
    ).toBe(1);
    expect(io.out.join("\n").split("\n")).toContain(
      "  FAIL  APP-DB.tds.encryption  sql-server  APP-DB.tds.encryption failed here.",
    );
  });

  it("refuses a vantage whose source address is not an address of this laptop, recording nothing", async () => {
    const file = planFile();
    const saved = await readPlanFile(file);
    // A documentation address (TEST-NET-1): only a bind is tried, which fails; nothing is sent.
    saved.plan.vantages.find((v) => v.id === "perimeter")!.sourceAddress =
      "192.0.2.77";
    saved.plan.vantages.find((v) => v.id === "mes")!.sourceAddress =
      "127.0.3.9";
    writeFileSync(file, serializePlan(saved.plan));
    const io = captureIo();
    expect(await runCli(["run", "--plan", file, "--all-vantages"], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(
      /^No run was started\. 192\.0\.2\.77 is not an address of this laptop: plug into the cell or correct the vantage \(the perimeter vantage probes from it, for the Perimeter cell\)\.$/,
    );
    expect((await readPlanFile(file)).plan.runs).toEqual([]);
    // A loopback source address binds: that vantage alone runs.
    expect(
      await runCommand({ plan: file, vantage: "mes" }, captureIo(), probes()),
    ).toBe(0);
  });
});
