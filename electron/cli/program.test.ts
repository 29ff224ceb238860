import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { captureIo } from "../../test/support/cli";
import { rawRequest } from "../../test/support/http";
import { runCli } from "./program";

const rendererDir = mkdtempSync(join(tmpdir(), "cellcert-cli-renderer-"));
writeFileSync(
  join(rendererDir, "index.html"),
  "<!doctype html><title>Cellcert</title>",
);

describe("cellcert", () => {
  it("prints its version and exits 0", async () => {
    const io = captureIo();
    expect(await runCli(["--version"], io)).toBe(0);
    expect(io.out.join("")).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("prints help for --help and exits 0", async () => {
    const io = captureIo();
    expect(await runCli(["--help"], io)).toBe(0);
    expect(io.out.join("")).toContain("serve");
  });

  it("treats unknown commands, unknown options and bad values as usage errors: exit 2", async () => {
    for (const argv of [
      ["frobnicate"],
      ["serve", "--bogus"],
      ["serve", "--port", "70000"],
      ["serve", "--port", "abc"],
      [],
    ]) {
      const io = captureIo({ rendererDir });
      expect(await runCli(argv, io)).toBe(2);
    }
  });

  it("refuses to serve on anything but 127.0.0.1, with a sentence, exit 2", async () => {
    const io = captureIo({ rendererDir });
    expect(await runCli(["serve", "--host", "0.0.0.0"], io)).toBe(2);
    expect(io.err.join("\n")).toMatch(
      /listens on 127\.0\.0\.1 only, never on 0\.0\.0\.0/,
    );
  });

  it("says how to build the interface when it is missing, exit 2", async () => {
    const io = captureIo({ rendererDir: join(rendererDir, "nowhere") });
    expect(await runCli(["serve"], io)).toBe(2);
    expect(io.err.join("\n")).toContain("npm run build");
  });

  it("serves browser mode until interrupted, printing the address with its token", async () => {
    const io = captureIo({ rendererDir });
    const done = runCli(
      ["serve", "--workspace", join(rendererDir, "plans")],
      io,
    );
    const line = await io.waitForLine(/http:\/\/127\.0\.0\.1:\d+\/#token=/);
    const match = /http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/.exec(line);
    expect(match).not.toBeNull();
    const port = Number(match?.[1]);
    expect((await rawRequest(port, { path: "/" })).status).toBe(200);
    expect(
      (await rawRequest(port, { method: "POST", path: "/api/app:info" }))
        .status,
    ).toBe(401);
    io.interrupt();
    expect(await done).toBe(0);
    await expect(rawRequest(port, { path: "/" })).rejects.toThrow();
  });
});
