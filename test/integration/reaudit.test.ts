// Re-audits against the practice plant (issue 20). The good plant is audited and certified; a plan made from that
// certificate (`cellcert new --from`) validates and — its client identity imported again from the same demo
// folder, its SQL password given, its attestations made again — reproduces the probed verdicts in the same
// practice-plant session. Then the broken plant on the same addresses and ports: `cellcert diff` names each
// planted fault as worse (exit 1); a certificate against itself is empty (exit 0); a modified one is exit 2.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../shared/model/plan";
import { vantageIds } from "../../shared/plant-words";
import { assessPlan } from "../../shared/verdicts/rollup";
import { reauditToDo } from "../../shared/reaudit/to-do";
import { createCliEngine } from "../../electron/cli/cli-engine";
import { certifyCommand } from "../../electron/cli/commands/certify";
import type { DiffReport } from "../../electron/cli/commands/diff";
import { runVantages } from "../../electron/cli/commands/run";
import type { CliIo } from "../../electron/cli/io";
import { runCli } from "../../electron/cli/program";
import {
  practiceFiles,
  startPracticePlant,
} from "../../electron/demo/practice-plant";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../../electron/engine/practice/protocol";
import { planChanges } from "../../electron/engine/reaudit/changes-since";
import { captureIo } from "../support/cli";
import { pageTexts } from "../support/pdf-layout";

/** Apart from every other test's ports (demo.test.ts uses 30000 and 31000). */
const PORT_BASE = 33_000;

/** The planted faults of the broken plant, each failing its one check (demo.test.ts). */
const PLANTED_FAULTS = [
  "APP-DB.tds.cert sql-server",
  "APP-EXT.secure-protocol external-system",
  "ENT-PER.segmentation sql-server",
  "ENT-PER.tls.protocol perimeter-web",
  "MES-PCS.opcua.anonymous process-control-opcua",
  "MES-PCS.opcua.mode process-control-opcua",
  "MES-PCS.opcua.policy process-control-opcua",
  "PER-MES.mtls.anonymous-refused mes-gateway",
];

let dir: string;
let goodPdf: string;
let brokenPdf: string;
let reauditPdf: string;
let reauditPath: string;
let firstAudit: Plan;
let madeFromCertificate: Plan;
let reaudited: Plan;
let newFromOutput: string;

const practiceIo = (): ReturnType<typeof captureIo> =>
  captureIo({
    env: { [PRACTICE_PASSPHRASE_VARIABLE]: PRACTICE_PASSPHRASE },
  });

/** Every vantage of the plan at `path`, as `cellcert run --all-vantages` does; `prepare` runs first on the open plan. */
async function runEveryVantage(
  path: string,
  io: CliIo,
  prepare: (engine: ReturnType<typeof createCliEngine>) => Promise<void> = () =>
    Promise.resolve(),
): Promise<Plan> {
  const engine = createCliEngine(io);
  try {
    await engine.context.plans.open({ kind: "path", path });
    await prepare(engine);
    await runVantages(engine, path, vantageIds, io);
    await engine.context.plans.save();
  } finally {
    await engine.shutdown();
  }
  return (await readPlanFile(path)).plan;
}

async function certify(
  plan: string,
  out: string,
  identityFolder: string,
): Promise<void> {
  const io = practiceIo();
  const code = await certifyCommand(
    {
      plan,
      identity: join(identityFolder, "practice-engineer.p12"),
      passphraseEnv: PRACTICE_PASSPHRASE_VARIABLE,
      out,
    },
    io,
  );
  if (code === 2) throw new Error(`certify failed: ${io.err.join("\n")}`);
}

/** The verdict of every check judged, by check and endpoint. */
function verdicts(plan: Plan): Record<string, string> {
  return Object.fromEntries(
    assessPlan(plan)
      .boundaries.flatMap((b) => b.checks)
      .map((c) => [`${c.check.id} ${c.endpoint.id}`, c.verdict]),
  );
}

async function diff(
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  const io = captureIo();
  const code = await runCli(["diff", ...args], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "cellcert-reaudit-"));
  const good = practiceFiles(dir, false);
  const plant = await startPracticePlant({
    dir,
    broken: false,
    portBase: PORT_BASE,
  });
  try {
    firstAudit = await runEveryVantage(plant.planPath, practiceIo());
    goodPdf = join(dir, "first-audit.pdf");
    await certify(plant.planPath, goodPdf, join(dir, good.identities));
    firstAudit = (await readPlanFile(plant.planPath)).plan; // with its certificate recorded

    // The next audit starts from the certificate, by someone who has only the PDF and the CA.
    reauditPath = join(dir, "next-year", "practice-plant-2027.cellcert.json");
    const io = captureIo();
    const code = await runCli(
      ["new", "--from", goodPdf, "--out", reauditPath, "--ca", good.engineerCa],
      io,
    );
    newFromOutput = io.out.join("\n");
    if (code !== 0) throw new Error(`new --from failed: ${io.err.join("\n")}`);
    madeFromCertificate = (await readPlanFile(reauditPath)).plan;

    // In the same practice-plant session: the identity imported again from the same demo folder, the SQL
    // password given, the attestations made again (each audit attests anew), then every vantage.
    reaudited = await runEveryVantage(
      reauditPath,
      practiceIo(),
      async ({ handlers, context }) => {
        for (const identity of reauditToDo(context.plans.current()!.plan)
          .identities) {
          const file = join(dir, good.identities, `${identity.id}.p12`);
          await handlers["identity:import"]({
            role: identity.role,
            name: identity.name,
            source: {
              kind: "upload",
              fileName: `${identity.id}.p12`,
              base64: readFileSync(file).toString("base64"),
            },
            passphraseRef: "prompt",
            passphrase: PRACTICE_PASSPHRASE,
            remember: false,
            replaces: identity.id,
          });
        }
        const plan = context.plans.current()!.plan;
        for (const credential of plan.credentials)
          await handlers["secret:provide"]({
            owner: { kind: "credential", id: credential.id },
            secret: PRACTICE_PASSPHRASE,
            remember: false,
          });
        const current = context.plans.current()!;
        await handlers["plan:update"]({
          baseRevision: current.revision,
          plan: {
            ...current.plan,
            attestations: reauditToDo(current.plan).attestations.map((a) => ({
              checkId: a.checkId,
              endpointId: a.endpointId,
              statement: `Seen again on site: ${a.previous.statement}`,
              name: "Next-year Engineer",
              date: new Date().toISOString().slice(0, 10),
              notes: "",
            })),
          },
        });
      },
    );
    reauditPdf = join(dir, "next-year", "second-audit.pdf");
    await certify(reauditPath, reauditPdf, join(dir, good.identities));
  } finally {
    await plant.stop();
  }

  // The broken plant afterwards, on the same addresses and ports: the same endpoints, with its faults.
  const brokenDir = join(dir, "broken");
  const io = captureIo();
  const code = await runCli(
    [
      "demo",
      "--run",
      "--broken",
      "--dir",
      brokenDir,
      "--port-base",
      String(PORT_BASE),
    ],
    io,
  );
  if (code !== 1) throw new Error(`demo --broken: ${io.out.join("\n")}`);
  brokenPdf = practiceFiles(brokenDir, true).certificate;
}, 300_000);

describe("cellcert new --from", () => {
  it("makes a plan that check-plan validates, recording the certificate and what is to be done again", async () => {
    expect(newFromOutput).toContain("is valid: signed by CN=Practice Engineer");
    const io = captureIo();
    expect(await runCli(["check-plan", reauditPath], io)).toBe(0);
    expect(io.out.join("\n")).toContain("a valid plan");

    const previous = madeFromCertificate.previousCertificate;
    const pdf = readFileSync(goodPdf);
    expect(previous).toMatchObject({
      number: firstAudit.certificates[0]?.number,
      pdfSha256: createHash("sha256").update(pdf).digest("hex"),
      evidenceSha256: firstAudit.certificates[0]?.evidenceSha256,
      plantVerdict: "commissioned",
      issuedAt: firstAudit.certificates[0]?.issuedAt,
      verified: "valid",
      evidenceSchema: "cellcert.evidence/2",
    });
    // The copies beside it, byte for byte.
    const folder = join(dir, "next-year");
    expect(readFileSync(join(folder, previous!.pdfFile!)).equals(pdf)).toBe(
      true,
    );
    expect(existsSync(join(folder, previous!.evidenceFile!))).toBe(true);

    // No runs, secrets, waivers or attestations; everything else as the plant was.
    expect(madeFromCertificate.runs).toEqual([]);
    expect(madeFromCertificate.attestations).toEqual([]);
    expect(madeFromCertificate.waivers).toEqual([]);
    expect(madeFromCertificate.identities).toEqual([]);
    expect(madeFromCertificate.credentials.map((c) => c.password)).toEqual([
      "prompt",
    ]);
    expect(madeFromCertificate.practice).toBe(true);
    for (const field of [
      "cells",
      "boundaries",
      "vantages",
      "trustAnchors",
    ] as const)
      expect(madeFromCertificate[field]).toEqual(firstAudit[field]);
    expect(madeFromCertificate.endpoints.map((e) => e.id)).toEqual(
      firstAudit.endpoints.map((e) => e.id),
    );
    // The client identity by name only, its endpoint waiting for it; the four attestations listed.
    expect(previous?.identitiesToImport).toEqual([
      expect.objectContaining({
        id: "perimeter-client",
        role: "client",
        endpointIds: ["mes-gateway"],
      }),
    ]);
    expect(
      madeFromCertificate.endpoints.find((e) => e.id === "mes-gateway")
        ?.clientIdentityId,
    ).toBeUndefined();
    expect(
      previous?.attestationsToRenew.map((a) => `${a.checkId} ${a.endpointId}`),
    ).toEqual(
      firstAudit.attestations.map((a) => `${a.checkId} ${a.endpointId}`),
    );
    expect(newFromOutput).toContain("  IMPORT  perimeter-client");
    expect(newFromOutput).toContain("  ATTEST  REMOTE.vpn  remote-firewall");
  });

  it("reproduces the probed verdicts in the same practice-plant session, and shows no change", async () => {
    expect(
      reaudited.endpoints.find((e) => e.id === "mes-gateway"),
    ).toMatchObject({ clientIdentityId: expect.any(String) as string });
    expect(verdicts(reaudited)).toEqual(verdicts(firstAudit));
    expect(assessPlan(reaudited).verdict).toBe("commissioned");
    const changes = await planChanges(reaudited, reauditPath, {
      toolVersion: "test",
    });
    expect(
      changes?.changes?.changes.filter((c) => c.kind === "verdict"),
    ).toEqual([]);
    expect(changes?.changes?.worse).toBe(false);
    // The second certificate against the first: nothing got worse.
    const compared = await diff(goodPdf, reauditPdf, "--json");
    expect(compared.code, compared.err).toBe(0);
    const report = JSON.parse(compared.out) as DiffReport;
    expect(report.changes.filter((c) => c.kind === "verdict")).toEqual([]);
    // The second certificate says so itself, right after its findings (read by poppler, not by Cellcert).
    const text = pageTexts(reauditPdf).join(" ").replace(/\s+/g, " ");
    const number = firstAudit.certificates[0]?.number ?? "";
    const at = text.indexOf(`Changes since certificate ${number}`);
    expect(at).toBeGreaterThan(text.indexOf("Findings to fix"));
    expect(at).toBeLessThan(text.indexOf("Boundaries at a glance"));
    expect(text.slice(at)).toMatch(
      /^Changes since certificate \S+ This audit was started from certificate \S+, issued .*; it verified as valid when this re-audit was started from it\. (Nothing changed\.|.*; nothing got worse\.)/,
    );
    expect(
      text.slice(at, text.indexOf("Boundaries at a glance")),
    ).not.toContain("WORSE");
  });

  it("refuses a modified certificate, exit 2, and writes nothing", async () => {
    const modified = join(dir, "modified.pdf");
    const bytes = readFileSync(goodPdf);
    bytes[3000] = (bytes[3000] ?? 0) ^ 0x01;
    writeFileSync(modified, bytes);
    const out = join(dir, "never", "plan.cellcert.json");
    const io = captureIo();
    expect(await runCli(["new", "--from", modified, "--out", out], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(/is not valid/);
    expect(existsSync(out)).toBe(false);
  });
});

describe("cellcert diff", () => {
  it("names each planted fault of the broken plant as worse, exit 1", async () => {
    const { code, out, err } = await diff(goodPdf, brokenPdf, "--json");
    expect(code, err).toBe(1);
    const report = JSON.parse(out) as DiffReport;
    expect(report.schema).toBe("cellcert.diff-report/1");
    expect(report.worse).toBe(true);
    const worse = new Set(
      report.changes
        .filter((c) => c.kind === "verdict" && c.direction === "worse")
        .map((c) => `${c.checkId} ${c.endpointId}`),
    );
    for (const fault of PLANTED_FAULTS) expect(worse, fault).toContain(fault);
    // Without --ca both are compared, and that is said.
    expect(report.files.old.status).toBe("signer-not-checked");
    expect(report.notes[0]).toMatch(/was NOT checked \(no --ca was given\)/);
    expect(report.changes.find((c) => c.kind === "plant")?.direction).toBe(
      "worse",
    );
    // The table, readably: each fault on a WORSE line.
    const table = (await diff(goodPdf, brokenPdf)).out;
    for (const fault of PLANTED_FAULTS) {
      const [checkId, endpointId] = fault.split(" ");
      expect(table).toMatch(
        new RegExp(
          `▼ WORSE +${checkId!.replaceAll(".", "\\.")} +${endpointId!}`,
        ),
      );
    }
  });

  it("finds nothing between a certificate and itself, exit 0", async () => {
    const text = await diff(goodPdf, goodPdf);
    expect(text.code).toBe(0);
    expect(text.out).toContain("Nothing changed.");
    const json = await diff(goodPdf, goodPdf, "--json");
    expect((JSON.parse(json.out) as DiffReport).changes).toEqual([]);
  });

  it("refuses a modified file, exit 2", async () => {
    const modified = join(dir, "modified-broken.pdf");
    const bytes = readFileSync(brokenPdf);
    bytes[bytes.length - 10] = 0x20;
    writeFileSync(modified, Buffer.concat([bytes, Buffer.from("\n% more\n")]));
    const result = await diff(goodPdf, modified);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/modified-broken\.pdf is not valid/);
    expect((await diff(goodPdf, join(dir, "missing.pdf"))).code).toBe(2);
  });
});
