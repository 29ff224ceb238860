import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  renameWithRetry,
  writeFileAtomic,
  writeFileExclusive,
  writeNewFileAtomic,
} from "./atomic-write";

const folder = () => mkdtempSync(join(tmpdir(), "cellcert-atomic-"));

describe("crash-safe writes", () => {
  it("writes the file and leaves no temporary files behind", async () => {
    const dir = folder();
    const file = join(dir, "plant.cellcert.json");
    await writeFileAtomic(file, "first");
    expect(readFileSync(file, "utf8")).toBe("first");
    expect(readdirSync(dir)).toEqual(["plant.cellcert.json"]);
  });

  it("keeps the previous version as .bak when asked", async () => {
    const dir = folder();
    const file = join(dir, "plant.cellcert.json");
    await writeFileAtomic(file, "first", { backup: true });
    expect(readdirSync(dir).sort()).toEqual(["plant.cellcert.json"]);
    await writeFileAtomic(file, "second", { backup: true });
    await writeFileAtomic(file, "third", { backup: true });
    expect(readFileSync(file, "utf8")).toBe("third");
    expect(readFileSync(`${file}.bak`, "utf8")).toBe("second");
    expect(readdirSync(dir).sort()).toEqual([
      "plant.cellcert.json",
      "plant.cellcert.json.bak",
    ]);
  });

  it("skips the folder fsync where Windows cannot do it, and still writes", async () => {
    const file = join(folder(), "plan.cellcert.json");
    await writeFileAtomic(file, "on windows", { platform: "win32" });
    expect(readFileSync(file, "utf8")).toBe("on windows");
  });

  it("retries a rename that antivirus holds up for a moment (EPERM, EBUSY)", async () => {
    const attempts: string[] = [];
    const flaky = (from: string, to: string): Promise<void> => {
      attempts.push(`${from}→${to}`);
      if (attempts.length < 3) {
        return Promise.reject(
          Object.assign(new Error("busy"), {
            code: attempts.length === 1 ? "EPERM" : "EBUSY",
          }),
        );
      }
      return Promise.resolve();
    };
    await renameWithRetry("a", "b", 1, flaky);
    expect(attempts).toHaveLength(3);
  });

  it("gives up on a rename that keeps failing, and at once on a real error", async () => {
    let calls = 0;
    const busy = (): Promise<void> => {
      calls += 1;
      return Promise.reject(
        Object.assign(new Error("busy"), { code: "EBUSY" }),
      );
    };
    await expect(renameWithRetry("a", "b", 1, busy)).rejects.toThrow("busy");
    expect(calls).toBe(8);
    calls = 0;
    const missing = (): Promise<void> => {
      calls += 1;
      return Promise.reject(
        Object.assign(new Error("gone"), { code: "ENOENT" }),
      );
    };
    await expect(renameWithRetry("a", "b", 1, missing)).rejects.toThrow("gone");
    expect(calls).toBe(1);
  });

  it("leaves the old file whole when the new one cannot be written", async () => {
    const dir = folder();
    const file = join(dir, "plant.cellcert.json");
    writeFileSync(file, "old");
    await expect(
      writeFileAtomic(join(dir, "missing-folder", "x.json"), "new"),
    ).rejects.toThrow();
    expect(readFileSync(file, "utf8")).toBe("old");
  });
});

describe("new files", () => {
  it("never replace a file already there: the name gets a number", async () => {
    const dir = folder();
    writeFileSync(join(dir, "engineer.p12"), "someone else's");
    expect(await writeNewFileAtomic(dir, "engineer", ".p12", "mine")).toBe(
      "engineer-2.p12",
    );
    expect(await writeNewFileAtomic(dir, "engineer", ".p12", "third")).toBe(
      "engineer-3.p12",
    );
    expect(readFileSync(join(dir, "engineer.p12"), "utf8")).toBe(
      "someone else's",
    );
    expect(readFileSync(join(dir, "engineer-2.p12"), "utf8")).toBe("mine");
    await expect(
      writeFileExclusive(join(dir, "engineer.p12"), "x"),
    ).rejects.toMatchObject({ code: "EEXIST" });
    expect(readdirSync(dir).sort()).toEqual([
      "engineer-2.p12",
      "engineer-3.p12",
      "engineer.p12",
    ]);
  });
});
