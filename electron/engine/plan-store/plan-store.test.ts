import { PLAN_SCHEMA_VERSION } from "../../../shared/model/plan";
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { MAX_PLAN_BYTES } from "../../../shared/model/plan";
import { serializePlan } from "../../../shared/model/serialize";
import { createTestEngine } from "../../../test/support/engine";
import { planArbitrary, TEMPLATE } from "../../../test/support/plan-arbitrary";
import { dispatch } from "../api/dispatch";
import type { Engine } from "../engine";
import { UserError } from "../errors";
import { fileSystemError, readPlanFile, writePlanFile } from "./plan-file";

const engines: Engine[] = [];
function engine(env: NodeJS.ProcessEnv = {}) {
  const created = createTestEngine({ env });
  engines.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.shutdown()));
});

const log = { error: (message: string) => console.error(message) };
const sha = (file: string) =>
  createHash("sha256").update(readFileSync(file)).digest("hex");
const schemaVersionOf = (file: string) =>
  (JSON.parse(readFileSync(file, "utf8")) as { schemaVersion: number })
    .schemaVersion;
const settle = () => new Promise((resolve) => setTimeout(resolve, 60));

describe("the plan store", () => {
  it("starts a new plan from the reference template and saves it at once", async () => {
    const { handlers, workspace } = engine();
    const answer = await dispatch(
      handlers,
      "plan:new",
      { plantName: "Győr body shop" },
      log,
    );
    if (!answer.ok || answer.data === null)
      throw new Error(JSON.stringify(answer));
    expect(answer.data.label).toBe("gyor-body-shop.cellcert.json");
    expect(answer.data.plan.plant.name).toBe("Győr body shop");
    expect(answer.data.plan.cells).toHaveLength(7);
    const onDisk = await readPlanFile(
      join(workspace, "gyor-body-shop.cellcert.json"),
    );
    expect(onDisk.plan).toEqual(answer.data.plan);
    const second = await dispatch(
      handlers,
      "plan:new",
      { plantName: "Győr body shop" },
      log,
    );
    expect(second.ok && second.data?.label).toBe(
      "gyor-body-shop-2.cellcert.json",
    );
  });

  it("autosaves an edit after a short pause, in stable key order, keeping the previous version", async () => {
    const { handlers, workspace, context } = engine();
    await dispatch(handlers, "plan:new", { plantName: "Muñoz foundry" }, log);
    const file = join(workspace, "munoz-foundry.cellcert.json");
    const before = readFileSync(file, "utf8");
    const current = context.plans.current()!;
    const edited = structuredClone(current.plan);
    edited.plant.customer = "Ștefan Industries";
    const answer = await dispatch(
      handlers,
      "plan:update",
      { plan: edited, baseRevision: current.revision },
      log,
    );
    expect(answer.ok && answer.data.dirty).toBe(true);
    await settle();
    await context.plans.flush();
    expect(context.plans.current()?.dirty).toBe(false);
    const after = readFileSync(file, "utf8");
    expect(after).toBe(serializePlan(edited));
    expect(readFileSync(`${file}.bak`, "utf8")).toBe(before);
  });

  it("refuses an edit based on an older revision: the engine's own changes are never overwritten", async () => {
    const { handlers, context } = engine();
    await dispatch(handlers, "plan:new", { plantName: "Plant" }, log);
    const stale = context.plans.current()!;
    const staleRevision = stale.revision;
    const stalePlan = structuredClone(stale.plan);
    context.plans.mutate((plan) => {
      plan.plant.site = "Łódź";
    });
    const answer = await dispatch(
      handlers,
      "plan:update",
      { plan: stalePlan, baseRevision: staleRevision },
      log,
    );
    expect(answer.ok).toBe(false);
    if (!answer.ok) expect(answer.error.code).toBe("conflict");
    expect(context.plans.current()?.plan.plant.site).toBe("Łódź");
  });

  it("refuses an invalid edit with the field and the reason, keeping the plan as it was", async () => {
    const { handlers, context } = engine();
    await dispatch(handlers, "plan:new", { plantName: "Plant" }, log);
    const current = context.plans.current()!;
    const bad = structuredClone(current.plan) as unknown as {
      endpoints: { port: number }[];
    };
    bad.endpoints[0]!.port = 0;
    const answer = await dispatch(
      handlers,
      "plan:update",
      { plan: bad, baseRevision: current.revision },
      log,
    );
    expect(answer.ok).toBe(false);
    if (!answer.ok)
      expect(answer.error.message).toMatch(
        /input\.plan\.endpoints\.0\.port: a port is 1 to 65535/,
      );
    expect(context.plans.current()?.revision).toBe(current.revision);
  });

  it("opens a version 1 plan without rewriting it, and saves the current version at the first change", async () => {
    const { handlers, workspace, context } = engine();
    const file = join(workspace, "gyor.cellcert.json");
    writeFileSync(
      file,
      readFileSync("test/fixtures/plans/v1-gyor-body-shop.cellcert.json"),
    );
    const before = sha(file);
    const mtime = statSync(file).mtimeMs;
    const answer = await dispatch(
      handlers,
      "plan:open",
      { kind: "workspace", file: "gyor.cellcert.json" },
      log,
    );
    if (!answer.ok || answer.data === null)
      throw new Error(JSON.stringify(answer));
    expect(answer.data.migratedFrom).toBe(1);
    await settle();
    expect(sha(file)).toBe(before);
    expect(statSync(file).mtimeMs).toBe(mtime);
    context.plans.mutate((plan) => {
      plan.plant.notes = "Migrated on site.";
    });
    await context.plans.flush();
    expect(schemaVersionOf(file)).toBe(PLAN_SCHEMA_VERSION);
    expect(schemaVersionOf(`${file}.bak`)).toBe(1);
  });

  it("lists recent plans and reopens them by id; a vanished one leaves the list", async () => {
    const { handlers, workspace } = engine();
    await dispatch(handlers, "plan:new", { plantName: "First plant" }, log);
    await dispatch(handlers, "plan:new", { plantName: "Second plant" }, log);
    const list = await dispatch(handlers, "plan:list", undefined, log);
    if (!list.ok) throw new Error(list.error.message);
    expect(list.data.mode).toBe("workspace");
    expect(list.data.recent.map((r) => r.plantName)).toEqual([
      "Second plant",
      "First plant",
    ]);
    expect(list.data.workspace.map((w) => w.file).sort()).toEqual([
      "first-plant.cellcert.json",
      "second-plant.cellcert.json",
    ]);
    const first = list.data.recent[1]!;
    const reopened = await dispatch(
      handlers,
      "plan:open",
      { kind: "recent", id: first.id },
      log,
    );
    expect(reopened.ok && reopened.data?.plan.plant.name).toBe("First plant");
    await dispatch(handlers, "plan:close", undefined, log);
    const { rmSync } = await import("node:fs");
    rmSync(join(workspace, "first-plant.cellcert.json"));
    const gone = await dispatch(
      handlers,
      "plan:open",
      { kind: "recent", id: first.id },
      log,
    );
    expect(gone.ok).toBe(false);
    const after = await dispatch(handlers, "plan:list", undefined, log);
    expect(after.ok && after.data.recent.map((r) => r.plantName)).toEqual([
      "Second plant",
    ]);
  });

  it("opens only plain file names from the workspace, never a path", async () => {
    const { handlers } = engine();
    for (const file of [
      "../etc/passwd",
      "/etc/passwd",
      "sub/plan.cellcert.json",
      ".hidden.cellcert.json",
      "plan.json",
    ]) {
      const answer = await dispatch(
        handlers,
        "plan:open",
        { kind: "workspace", file },
        log,
      );
      expect(answer.ok, file).toBe(false);
      if (!answer.ok) expect(answer.error.code).toBe("invalid-input");
    }
  });

  it("saves under a new name and continues there", async () => {
    const { handlers, workspace } = engine();
    await dispatch(handlers, "plan:new", { plantName: "Plant" }, log);
    const answer = await dispatch(
      handlers,
      "plan:save-as",
      { plantName: "Plant copy" },
      log,
    );
    expect(answer.ok && answer.data?.label).toBe("plant-copy.cellcert.json");
    expect(readdirSync(workspace)).toContain("plant-copy.cellcert.json");
  });
});

describe("bad plan files", () => {
  const cases: [
    name: string,
    content: (valid: string) => string,
    expected: RegExp,
  ][] = [
    [
      "truncated",
      (v) => v.slice(0, v.length / 2),
      /: not valid JSON \(the file looks truncated\)/,
    ],
    ["not JSON", () => "<plan>Győr</plan>", /: not valid JSON/],
    [
      "wrong types",
      (v) => v.replace('"headroomDays": 30', '"headroomDays": "thirty"'),
      /\/policy\/headroomDays: /,
    ],
    [
      "unknown kinds",
      (v) => v.replace('"kind": "mssql"', '"kind": "oracle"'),
      /\/endpoints\/5\/kind: /,
    ],
    [
      "duplicate ids",
      (v) => v.replace('"id": "mes-site"', '"id": "mes-gateway"'),
      /\/endpoints\/2\/id: duplicate endpoint id "mes-gateway"/,
    ],
    [
      "dangling references",
      (v) => v.replace('"cell": "database"', '"cell": "db"'),
      /\/endpoints\/5\/cell: no cell "db"/,
    ],
    [
      "ports out of range",
      (v) => v.replace('"port": 1433', '"port": 143300'),
      /\/endpoints\/5\/port: a port is 1 to 65535/,
    ],
  ];

  it.each(cases)(
    "%s: refused naming the file and the field, and left untouched",
    async (_name, damage, expected) => {
      const { handlers, workspace } = engine();
      const file = join(workspace, "damaged.cellcert.json");
      writeFileSync(file, damage(serializePlan(TEMPLATE)));
      const before = sha(file);
      const answer = await dispatch(
        handlers,
        "plan:open",
        { kind: "workspace", file: "damaged.cellcert.json" },
        log,
      );
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.message).toMatch(/^damaged\.cellcert\.json: /);
        expect(answer.error.message).toMatch(expected);
      }
      expect(sha(file)).toBe(before);
      expect(
        readdirSync(workspace).filter((f) => f.startsWith("damaged")),
      ).toEqual(["damaged.cellcert.json"]);
    },
  );

  it("refuses a file above the size limit before reading it", async () => {
    const { workspace } = engine();
    const file = join(workspace, "huge.cellcert.json");
    writeFileSync(file, "");
    truncateSync(file, MAX_PLAN_BYTES + 1); // sparse: no memory or disk spent
    await expect(readPlanFile(file)).rejects.toThrow(
      /huge\.cellcert\.json: the file is 64\.0 MiB; a plan may be at most 64 MiB/,
    );
  });

  it("says what to do about a missing file, a folder, and a file it may not read", async () => {
    const { workspace } = engine();
    await expect(
      readPlanFile(join(workspace, "none.cellcert.json")),
    ).rejects.toThrow(/there is no such file/);
    mkdirSync(join(workspace, "folder.cellcert.json"));
    await expect(
      readPlanFile(join(workspace, "folder.cellcert.json")),
    ).rejects.toThrow(/is a folder, not a plan file/);
    // Tests run as root here, which reads any file; the mapping of the OS's refusal is checked directly.
    const refused = fileSystemError(
      "/plans/p.cellcert.json",
      Object.assign(new Error("EACCES"), { code: "EACCES" }),
    );
    expect(refused).toBeInstanceOf(UserError);
    expect(refused.code).toBe("forbidden");
    expect(refused.message).toBe(
      "p.cellcert.json: Cellcert may not read or write this file; check its permissions.",
    );
  });
});

describe("round trips", () => {
  it("keeps any valid plan unchanged through save and open", async () => {
    const { workspace } = engine();
    const file = join(workspace, "round-trip.cellcert.json");
    await fc.assert(
      fc.asyncProperty(planArbitrary(), async (plan) => {
        await writePlanFile(file, plan);
        const read = await readPlanFile(file);
        expect(read.plan).toEqual(plan);
        expect(readFileSync(file, "utf8")).toBe(serializePlan(read.plan));
      }),
      { numRuns: process.env.CELLCERT_THOROUGH === "1" ? 500 : 60 },
    );
  });
});

describe("secrets", () => {
  it("never writes an entered secret into the plan, its backup or the recent list", async () => {
    const envSecret = "EnvPassphrase-7f3a!";
    const { handlers, workspace, context } = engine({
      PERIMETER_P12_PASSPHRASE: envSecret,
    });
    await dispatch(handlers, "plan:new", { plantName: "Secret plant" }, log);
    const current = context.plans.current()!;
    const edited = structuredClone(current.plan);
    edited.identities.push(
      {
        id: "perimeter-client",
        role: "client",
        name: "Perimeter client",
        file: "perimeter.p12",
        passphrase: "env:PERIMETER_P12_PASSPHRASE",
        subject: "",
        fingerprintSha256: "",
      },
      {
        id: "engineer",
        role: "engineer",
        name: "Ana Muñoz",
        file: "engineer.p12",
        passphrase: "prompt",
        subject: "",
        fingerprintSha256: "",
      },
    );
    edited.credentials.push({
      id: "mes-app",
      name: "MES application",
      user: "mes_app",
      password: "keychain:mes-app",
    });
    const updated = await dispatch(
      handlers,
      "plan:update",
      { plan: edited, baseRevision: current.revision },
      log,
    );
    expect(updated.ok).toBe(true);

    const typed = ["Typed-Passphrase-91c2", "Sql-Password-Łódź-44"];
    expect(
      (
        await dispatch(
          handlers,
          "secret:provide",
          { owner: { kind: "identity", id: "engineer" }, secret: typed[0]! },
          log,
        )
      ).ok,
    ).toBe(true);
    const remembered = await dispatch(
      handlers,
      "secret:provide",
      {
        owner: { kind: "credential", id: "mes-app" },
        secret: typed[1]!,
        remember: true,
      },
      log,
    );
    // Browser mode keeps secrets in memory only: it says so rather than writing them anywhere.
    expect(remembered.ok).toBe(false);
    if (!remembered.ok)
      expect(remembered.error.message).toMatch(/will not remember/);
    const status = await dispatch(handlers, "secret:status", undefined, log);
    expect(
      status.ok && status.data.map((s) => [s.owner.id, s.available]),
    ).toEqual([
      ["perimeter-client", true],
      ["engineer", true],
      ["mes-app", true],
    ]);
    expect(
      await context.vault.resolve(
        { kind: "credential", id: "mes-app", label: "x" },
        "keychain:mes-app",
      ),
    ).toBe(typed[1]);

    context.plans.mutate((plan) => {
      plan.plant.notes = "saved again";
    });
    await context.plans.flush();
    await dispatch(
      handlers,
      "plan:save-as",
      { plantName: "Secret plant copy" },
      log,
    );
    const written = readdirSync(workspace, { recursive: true }).map(String);
    expect(written.length).toBeGreaterThanOrEqual(4);
    for (const name of written) {
      const bytes = readFileSync(join(workspace, name));
      for (const secret of [envSecret, ...typed]) {
        expect(bytes.includes(secret), `${name} holds a secret`).toBe(false);
        expect(
          bytes.includes(Buffer.from(secret).toString("base64")),
          `${name} holds a secret in base64`,
        ).toBe(false);
      }
    }
  });
});

describe("secrets belong to the open plan", () => {
  it("forgets what was typed for one plan when another is created or opened, keeping it through save as", async () => {
    const { handlers, context } = engine();
    const owner = { kind: "identity" as const, id: "engineer" };
    const withEngineer = async (plantName: string) => {
      await dispatch(handlers, "plan:new", { plantName }, log);
      const current = context.plans.current()!;
      const edited = structuredClone(current.plan);
      edited.identities.push({
        id: "engineer",
        role: "engineer",
        name: "Łukasz Nowak",
        file: "engineer.p12",
        passphrase: "prompt",
        subject: "",
        fingerprintSha256: "",
      });
      context.plans.update(edited, current.revision);
    };
    const available = async () => {
      const status = await dispatch(handlers, "secret:status", undefined, log);
      if (!status.ok) throw new Error(status.error.message);
      return status.data.find((s) => s.owner.id === "engineer")?.available;
    };
    await withEngineer("Plant A");
    await dispatch(
      handlers,
      "secret:provide",
      { owner, secret: "Plant-A-Passphrase" },
      log,
    );
    expect(await available()).toBe(true);
    await dispatch(
      handlers,
      "plan:save-as",
      { plantName: "Plant A copy" },
      log,
    );
    expect(await available()).toBe(true);
    const plantA = context.plans.current()!.path;
    await withEngineer("Plant B");
    expect(await available()).toBe(false);
    await dispatch(
      handlers,
      "secret:provide",
      { owner, secret: "Plant-B-Passphrase" },
      log,
    );
    expect(await available()).toBe(true);
    await context.plans.open({ kind: "path", path: plantA });
    expect(await available()).toBe(false);
  });
});

describe("what an edit may not change", () => {
  it("keeps recorded runs and issued certificates whatever an edit sends", async () => {
    const { handlers, context } = engine();
    await dispatch(
      handlers,
      "plan:new",
      { plantName: "Append-only plant" },
      log,
    );
    context.plans.mutate((plan) => {
      plan.runs.push({
        id: "run-1",
        sequence: 1,
        vantage: "mes",
        scope: { kind: "vantage" },
        startedAt: "2026-11-25T10:00:00.000Z",
        finishedAt: "2026-11-25T10:01:00.000Z",
        status: "completed",
        laptop: { hostName: "laptop", addresses: [] },
        vantageAddress: { verdict: "warn", message: "not in the cell" },
        toolVersion: "0.1.0",
        rulesetVersion: "cells-2021",
        results: [],
        evidence: [],
      });
    });
    const current = context.plans.current()!;
    const edited = structuredClone(current.plan);
    edited.runs = [];
    edited.plant.site = "Łódź";
    const answer = await dispatch(
      handlers,
      "plan:update",
      { plan: edited, baseRevision: current.revision },
      log,
    );
    expect(answer.ok).toBe(true);
    expect(context.plans.current()?.plan.runs.map((r) => r.id)).toEqual([
      "run-1",
    ]);
    expect(context.plans.current()?.plan.plant.site).toBe("Łódź");
  });
});
