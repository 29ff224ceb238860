// Kills a process in the middle of saving, over and over: the plan file always parses as the old or the new plan.
// Quick by default; CELLCERT_THOROUGH=1 runs 200 kills.
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { build } from "vite";
import { beforeAll, describe, expect, it } from "vitest";
import { serializePlan } from "../../shared/model/serialize";
import { TEMPLATE } from "../support/plan-arbitrary";

const KILLS = process.env.CELLCERT_THOROUGH === "1" ? 200 : 20;
const dir = mkdtempSync(join(tmpdir(), "cellcert-crash-"));
let child = "";

beforeAll(async () => {
  await build({
    logLevel: "silent",
    configFile: false,
    build: {
      ssr: true,
      target: "node20",
      // Inside the project, so the child finds zod in node_modules.
      outDir: resolve("node_modules/.cache/cellcert-test"),
      rolldownOptions: {
        input: { "save-loop": resolve("test/support/save-loop.ts") },
        output: { format: "esm", entryFileNames: "[name].mjs" },
      },
    },
  });
  child = resolve("node_modules/.cache/cellcert-test/save-loop.mjs");
}, 60_000);

function killMidSave(
  file: string,
  planA: string,
  planB: string,
  delayMs: number,
): Promise<void> {
  return new Promise((done, fail) => {
    const saver = spawn(process.execPath, [child, file, planA, planB], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    saver.stdout.once("data", () =>
      setTimeout(() => saver.kill("SIGKILL"), delayMs),
    );
    saver.on("exit", () => done());
    saver.on("error", fail);
  });
}

describe(`a save killed mid-write (${KILLS} kills)`, () => {
  it("always leaves the old or the new plan, whole, and a whole backup", async () => {
    const a = structuredClone(TEMPLATE);
    a.plant.name = "Plan A";
    const b = structuredClone(TEMPLATE);
    b.plant.name = "Plan B — Łukasz";
    // A bigger file takes longer to write: more chances to be torn.
    for (let i = 0; i < 400; i++)
      b.endpoints.push({
        ...TEMPLATE.endpoints[0]!,
        id: `extra-${i}`,
        notes: "n".repeat(1000),
      });
    const textA = serializePlan(a);
    const textB = serializePlan(b);
    const planA = join(dir, "a.json");
    const planB = join(dir, "b.json");
    writeFileSync(planA, textA);
    writeFileSync(planB, textB);
    const file = join(dir, "plant.cellcert.json");
    writeFileSync(file, textA); // an existing plan: every save also keeps a backup
    const seen = new Set<string>();
    // On a loaded machine the kills can happen to land in one phase of the save loop; a bounded number of
    // extra kills (at other moments) gives both versions their chance before the last assertion.
    for (
      let kill = 0;
      kill < KILLS || (seen.size < 2 && kill < 3 * KILLS);
      kill++
    ) {
      await killMidSave(
        file,
        planA,
        planB,
        ((kill * 17) % 150) + (kill >= KILLS ? 23 * (kill - KILLS) : 0),
      );
      const text = readFileSync(file, "utf8");
      expect([textA, textB]).toContain(text);
      seen.add(text === textA ? "A" : "B");
      const backup = readFileSync(`${file}.bak`, "utf8");
      expect([textA, textB]).toContain(backup);
    }
    // The kills landed at different moments: both versions were found.
    expect(seen.size).toBe(2);
  }, 240_000);
});
