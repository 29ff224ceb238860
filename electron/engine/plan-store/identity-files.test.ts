import {
  mkdirSync,
  mkdtempSync,
  symlinkSync,
  truncateSync,
  writeFileSync,
} from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Identity } from "../../../shared/model/plan";
import { MAX_IDENTITY_BYTES, readIdentityFile } from "./identity-files";

const identity = (file: string) =>
  Identity.safeParse({
    id: "engineer",
    role: "engineer",
    name: "Engineer",
    file,
    passphrase: "prompt",
  });

describe("identity files", () => {
  it("are named inside the plan's folder only", () => {
    for (const file of [
      "identities/engineer.p12",
      "engineer.pfx",
      "identities-broken/perimeter-client.p12",
    ]) {
      expect(identity(file).success, file).toBe(true);
    }
    for (const file of [
      "../engineer.p12",
      "/etc/engineer.p12",
      "identities/../../x.p12",
      "C:\\x.p12",
      "x.p12.exe",
      "./x.p12",
    ]) {
      expect(identity(file).success, file).toBe(false);
    }
  });

  it("are read from inside the plan's folder, not through a link out of it, and only when small", async () => {
    const root = mkdtempSync(join(tmpdir(), "cellcert-identity-files-"));
    const folder = join(root, "plan");
    mkdirSync(join(folder, "identities"), { recursive: true });
    const plan = join(folder, "plant.cellcert.json");
    writeFileSync(
      join(folder, "identities", "good.p12"),
      Buffer.from([1, 2, 3]),
    );
    expect([...(await readIdentityFile(plan, "identities/good.p12"))]).toEqual([
      1, 2, 3,
    ]);

    writeFileSync(join(root, "outside.p12"), "secret");
    symlinkSync(
      join(root, "outside.p12"),
      join(folder, "identities", "link.p12"),
    );
    await expect(readIdentityFile(plan, "identities/link.p12")).rejects.toThrow(
      "must lie in the plan's folder",
    );

    writeFileSync(join(folder, "identities", "huge.p12"), "");
    truncateSync(
      join(folder, "identities", "huge.p12"),
      MAX_IDENTITY_BYTES + 1,
    );
    await expect(readIdentityFile(plan, "identities/huge.p12")).rejects.toThrow(
      "is not a PKCS#12 file (too large)",
    );
    await expect(readIdentityFile(plan, "identities/none.p12")).rejects.toThrow(
      "is missing beside the plan",
    );
  });

  it("are never opened when they are a named pipe or a folder: a sentence names the file", async () => {
    const folder = mkdtempSync(join(tmpdir(), "cellcert-identity-fifo-"));
    const plan = join(folder, "plant.cellcert.json");
    mkdirSync(join(folder, "identities", "folder.p12"), { recursive: true });
    // A FIFO nobody writes to: a blocking open would wait forever.
    execFileSync("mkfifo", [join(folder, "identities", "pipe.p12")]);
    await expect(readIdentityFile(plan, "identities/pipe.p12")).rejects.toThrow(
      "The identity file identities/pipe.p12 is a named pipe (FIFO), not a regular file",
    );
    await expect(
      readIdentityFile(plan, "identities/folder.p12"),
    ).rejects.toThrow(
      "The identity file identities/folder.p12 is a folder, not a regular file",
    );
  });
});
