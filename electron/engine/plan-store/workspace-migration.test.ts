// A flat workspace moved into a folder per plan when browser mode opens it (DESIGN §11): files moved,
// references still true, nothing lost, the old plan kept as .bak, and a crash at any step finished or undone.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { Plan } from "../../../shared/model/plan";
import { serializePlan } from "../../../shared/model/serialize";
import { TEMPLATE } from "../../../test/support/plan-arbitrary";
import { dispatch } from "../api/dispatch";
import { createWorkspaceEngine, type Engine } from "../engine";
import { readPlanFile } from "./plan-file";
import { RecentPlans } from "./recent-plans";

const log = { error: (message: string) => console.error(message) };
const engines: Engine[] = [];
afterEach(async () => {
  await Promise.all(engines.splice(0).map((e) => e.shutdown()));
});

function open(workspace: string) {
  const engine = createWorkspaceEngine({
    workspace,
    resourcesDir: "resources",
    env: {},
    autosaveDelayMs: 20,
  });
  engines.push(engine);
  return engine;
}

function planWith(name: string, identities: Plan["identities"]): string {
  const plan = structuredClone(TEMPLATE);
  plan.plant.name = name;
  plan.identities = identities;
  return serializePlan(plan);
}

const identity = (id: string, role: "client" | "engineer" = "engineer") => ({
  id,
  role,
  name: id,
  file: `identities/${id}.p12`,
  passphrase: "prompt" as const,
  subject: "",
  fingerprintSha256: "",
});

/** The layout Cellcert wrote before issue 15: plans side by side, one identities/ folder for all. */
function flatWorkspace(): string {
  const workspace = mkdtempSync(join(tmpdir(), "cellcert-flat-"));
  mkdirSync(join(workspace, "identities"));
  writeFileSync(
    join(workspace, "plant-a.cellcert.json"),
    planWith("Plant A", [identity("engineer")]),
  );
  writeFileSync(join(workspace, "plant-a.cellcert.json.bak"), "older plant A");
  writeFileSync(
    join(workspace, "plant-b.cellcert.json"),
    planWith("Plant B", [identity("engineer"), identity("client", "client")]),
  );
  writeFileSync(join(workspace, "identities", "engineer.p12"), "p12 E");
  writeFileSync(
    join(workspace, "identities", "engineer-commissioning-ca.pem"),
    "CA E",
  );
  writeFileSync(join(workspace, "identities", "client.p12"), "p12 C");
  writeFileSync(join(workspace, "identities", "orphan.pem"), "nobody's");
  return workspace;
}

describe("a flat workspace opened by browser mode", () => {
  it("moves each plan into a folder of its own with its files, keeping the old plan as .bak and nothing else lost", async () => {
    const workspace = flatWorkspace();
    const before = readFileSync(join(workspace, "plant-a.cellcert.json"));
    const recent = new RecentPlans(join(workspace, ".cellcert-recent.json"));
    await recent.remember(join(workspace, "plant-a.cellcert.json"), "Plant A");

    const engine = open(workspace);
    const migration = await engine.prepared;
    expect(migration).toEqual({
      moved: [
        { from: "plant-a.cellcert.json", to: "plant-a/plan.cellcert.json" },
        { from: "plant-b.cellcert.json", to: "plant-b/plan.cellcert.json" },
      ],
      left: [],
    });
    const a = join(workspace, "plant-a");
    expect(readFileSync(join(a, "plan.cellcert.json"))).toEqual(before);
    expect(readFileSync(join(a, "plan.cellcert.json.bak"))).toEqual(before);
    expect(readFileSync(join(a, "plant-a.cellcert.json.bak"), "utf8")).toBe(
      "older plant A",
    );
    expect(readdirSync(join(a, "identities")).sort()).toEqual([
      "engineer-commissioning-ca.pem",
      "engineer.p12",
    ]);
    // Both plans named identities/engineer.p12: the flat layout cannot tell whose it was, so each gets a copy.
    expect(
      readdirSync(join(workspace, "plant-b", "identities")).sort(),
    ).toEqual(["client.p12", "engineer-commissioning-ca.pem", "engineer.p12"]);
    // The shared folder keeps only what no plan named; the top level holds no plan and no half-made folder.
    expect(readdirSync(join(workspace, "identities"))).toEqual(["orphan.pem"]);
    expect(readdirSync(workspace).sort()).toEqual([
      ".cellcert-recent.json",
      "identities",
      "plant-a",
      "plant-b",
    ]);
    // Every reference still points at its file, and the recent list followed the plan.
    const moved = await readPlanFile(join(a, "plan.cellcert.json"));
    expect(existsSync(join(a, moved.plan.identities[0]!.file))).toBe(true);
    const list = await dispatch(engine.handlers, "plan:list", undefined, log);
    if (!list.ok) throw new Error(list.error.message);
    expect(list.data.workspace.map((w) => w.file).sort()).toEqual([
      "plant-a/plan.cellcert.json",
      "plant-b/plan.cellcert.json",
    ]);
    expect(list.data.recent.map((r) => r.location)).toEqual([
      "plant-a/plan.cellcert.json",
    ]);
    const reopened = await dispatch(
      engine.handlers,
      "plan:open",
      { kind: "recent", id: list.data.recent[0]!.id },
      log,
    );
    expect(reopened.ok && reopened.data?.plan.plant.name).toBe("Plant A");

    // Opening it again moves nothing more.
    expect(await open(workspace).prepared).toEqual({ moved: [], left: [] });
  });

  it("leaves a plan it cannot read where it is, lists it, and keeps the shared files it may need", async () => {
    const workspace = flatWorkspace();
    writeFileSync(join(workspace, "damaged.cellcert.json"), "{ not json");
    const engine = open(workspace);
    const migration = await engine.prepared;
    expect(migration.moved).toHaveLength(2);
    expect(migration.left.map((l) => l.file)).toEqual([
      "damaged.cellcert.json",
    ]);
    expect(migration.left[0]?.reason).toMatch(
      /^damaged\.cellcert\.json: not valid JSON/,
    );
    expect(readdirSync(join(workspace, "identities")).sort()).toEqual([
      "client.p12",
      "engineer-commissioning-ca.pem",
      "engineer.p12",
      "orphan.pem",
    ]);
    const list = await dispatch(engine.handlers, "plan:list", undefined, log);
    expect(list.ok && list.data.workspace.map((w) => w.file)).toContain(
      "damaged.cellcert.json",
    );
  });

  it("finishes a move a crash interrupted after its commit, and undoes one interrupted before it", async () => {
    const workspace = flatWorkspace();
    // Before the commit: copies only, the flat plan still in place.
    const early = join(workspace, ".migrating-0a0a0a0a0a0a");
    mkdirSync(join(early, "identities"), { recursive: true });
    writeFileSync(
      join(early, ".migration.json"),
      JSON.stringify({ from: "plant-a.cellcert.json" }),
    );
    writeFileSync(join(early, "identities", "engineer.p12"), "p12 E");
    // After the commit: the plan moved in, the folder not yet named.
    const late = join(workspace, ".migrating-0b0b0b0b0b0b");
    mkdirSync(late);
    writeFileSync(
      join(late, ".migration.json"),
      JSON.stringify({ from: "plant-c.cellcert.json" }),
    );
    writeFileSync(join(late, "plan.cellcert.json"), planWith("Plant C", []));
    const migration = await open(workspace).prepared;
    expect(migration.moved.map((m) => m.to).sort()).toEqual([
      "plant-a/plan.cellcert.json",
      "plant-b/plan.cellcert.json",
      "plant-c/plan.cellcert.json",
    ]);
    expect(readdirSync(workspace).filter((n) => n.startsWith("."))).toEqual([]);
    expect(
      (await readPlanFile(join(workspace, "plant-c", "plan.cellcert.json")))
        .plan.plant.name,
    ).toBe("Plant C");
  });

  it("gives a new plan a folder of its own, numbered when the name is taken", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "cellcert-folders-"));
    mkdirSync(join(workspace, "plant"));
    const engine = open(workspace);
    const created = await dispatch(
      engine.handlers,
      "plan:new",
      { plantName: "Plant" },
      log,
    );
    expect(created.ok && created.data?.location).toBe(
      "plant-2/plan.cellcert.json",
    );
  });
});
