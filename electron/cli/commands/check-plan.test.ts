import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PLAN_SCHEMA_VERSION } from "../../../shared/model/plan";
import { serializePlan } from "../../../shared/model/serialize";
import { captureIo } from "../../../test/support/cli";
import { TEMPLATE } from "../../../test/support/plan-arbitrary";
import { runCli } from "../program";

const dir = mkdtempSync(join(tmpdir(), "cellcert-check-plan-"));
const write = (name: string, text: string): string => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

describe("cellcert check-plan", () => {
  it("exits 0 for a valid plan and for an older version it can migrate", async () => {
    const io = captureIo();
    expect(
      await runCli(
        ["check-plan", write("good.cellcert.json", serializePlan(TEMPLATE))],
        io,
      ),
    ).toBe(0);
    expect(io.out.join("\n")).toMatch(/good\.cellcert\.json: a valid plan\.$/);
    const old = captureIo();
    expect(
      await runCli(
        ["check-plan", "test/fixtures/plans/v1-gyor-body-shop.cellcert.json"],
        old,
      ),
    ).toBe(0);
    expect(old.out.join("\n")).toContain(
      `schema version 1; Cellcert saves it as version ${PLAN_SCHEMA_VERSION}`,
    );
  });

  it("exits 2 naming the file, the field and the reason", async () => {
    const io = captureIo();
    const file = write(
      "bad.cellcert.json",
      serializePlan(TEMPLATE).replace('"port": 1433', '"port": 0'),
    );
    expect(await runCli(["check-plan", file], io)).toBe(2);
    expect(io.err).toEqual([
      `${file}: /endpoints/5/port: a port is 1 to 65535`,
    ]);
  });

  it("prints a versioned JSON document with --json", async () => {
    const io = captureIo();
    const file = write("bad2.cellcert.json", "{ truncated");
    expect(await runCli(["check-plan", file, "--json"], io)).toBe(2);
    const report = JSON.parse(io.out.join("")) as {
      schema: string;
      valid: boolean;
      problems: { pointer: string; reason: string }[];
    };
    expect(report.schema).toBe("cellcert.check-plan/1");
    expect(report.valid).toBe(false);
    expect(report.problems[0]?.reason).toMatch(/^not valid JSON/);
  });

  it("exits 2 for a missing file and for a missing argument", async () => {
    const io = captureIo();
    expect(
      await runCli(["check-plan", join(dir, "none.cellcert.json")], io),
    ).toBe(2);
    expect(io.err.join("\n")).toContain("there is no such file");
    expect(await runCli(["check-plan"], captureIo())).toBe(2);
  });
});
