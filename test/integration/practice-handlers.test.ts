// The practice plant through the contract, as browser mode runs it: forked by path, its plan opened with the
// practice passphrase entered, a vantage run against it, stopped.
import { existsSync, mkdtempSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { practiceAddress } from "../../electron/demo/addresses";
import { PORT_OFFSETS } from "../../electron/demo/practice-plant";
import { dispatch } from "../../electron/engine/api/dispatch";
import { createWorkspaceEngine } from "../../electron/engine/engine";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";

const entry = resolve("out/cli/practice-plant.js");
const log = { error: (message: string) => console.error(message) };

// Port bases of this file's own, apart from every other test's (the plant's default 20000, the demo test's 30000
// and 31000) and below the ephemeral ports: a plant here never takes another test's ports, nor waits for them.
const BASE = 21_000;
const TAKEN_BASE = 21_100;
const FREE_BASE = 21_200;

/** Holds a port as another process would; fails at once, saying so, when something holds it already. */
function holdPort(host: string, port: number): Promise<Server> {
  const server = createServer();
  return new Promise((done, fail) => {
    server.once("error", (error) =>
      fail(
        new Error(
          `This test needs ${host}:${port} free to hold it, but it is taken (${error.message}).`,
        ),
      ),
    );
    server.listen(port, host, () => done(server));
  });
}

describe("practice:start / practice:stop", () => {
  it("starts the plant in its own process, opens its plan ready to run, and stops it", async (context) => {
    context.skip(
      !existsSync(entry),
      `the practice plant process is not built (${entry}): run "npm run build" first`,
    );
    const workspace = mkdtempSync(join(tmpdir(), "cellcert-practice-"));
    const engine = createWorkspaceEngine({
      workspace,
      resourcesDir: "resources",
      env: {},
      practiceEntry: entry,
      practicePortBases: [BASE],
    });
    try {
      expect(
        await dispatch(engine.handlers, "practice:status", undefined, log),
      ).toMatchObject({ ok: true, data: { running: false } });
      const started = await dispatch(
        engine.handlers,
        "practice:start",
        { broken: false },
        log,
      );
      if (!started.ok) throw new Error(started.error.message);
      expect(started.data.plan.practice).toBe(true);
      expect(started.data.plan.plant.name).toBe("Practice Plant");
      const secrets = await dispatch(
        engine.handlers,
        "secret:status",
        undefined,
        log,
      );
      expect(secrets.ok && secrets.data.every((s) => s.available)).toBe(true);

      await dispatch(
        engine.handlers,
        "run:start",
        { vantage: "perimeter" },
        log,
      );
      await engine.context.runner.idle();
      const run = engine.context.plans.current()?.plan.runs.at(-1);
      expect(run?.results.filter((r) => r.verdict === "fail")).toEqual([]);
      expect(
        run?.results.find((r) => r.checkId === "PER-MES.mtls.identity-accepted")
          ?.verdict,
      ).toBe("pass");

      // The practice TSA signs this session's practice certificates; the saved plan names none.
      const preview = await dispatch(
        engine.handlers,
        "report:preview",
        undefined,
        log,
      );
      if (!preview.ok) throw new Error(preview.error.message);
      expect(preview.data.timeStampAuthority).toEqual({
        url: expect.stringMatching(/^http:\/\/127\.0\.1\.5:\d+\/$/) as string,
        practice: true,
        session: true,
      });
      const exported = await dispatch(
        engine.handlers,
        "report:export",
        { identityId: "practice-engineer" },
        log,
      );
      if (!exported.ok) throw new Error(exported.error.message);
      expect(exported.data.timeStamp).toMatchObject({
        url: preview.data.timeStampAuthority?.url,
        practice: true,
        tsaName:
          "CN=Cellcert PRACTICE Time-Stamping Authority, O=Cellcert Practice",
      });
      await engine.context.plans.flush();
      const saved = await readPlanFile(
        engine.context.plans.current()?.path ?? "",
      );
      expect(saved.plan.certificates).toHaveLength(1);
      expect(saved.plan.policy.timestampAuthority).toBeUndefined();

      expect(
        await dispatch(engine.handlers, "practice:stop", undefined, log),
      ).toEqual({ ok: true, data: null });
      expect(
        await dispatch(engine.handlers, "practice:status", undefined, log),
      ).toMatchObject({ ok: true, data: { running: false } });
      const after = await dispatch(
        engine.handlers,
        "report:preview",
        undefined,
        log,
      );
      expect(after.ok && after.data.timeStampAuthority).toBeNull();
    } finally {
      await engine.shutdown();
    }
  }, 90_000);

  it("moves to the next port base when another process holds a port of the first", async (context) => {
    context.skip(
      !existsSync(entry),
      `the practice plant process is not built (${entry}): run "npm run build" first`,
    );
    const squatter = await holdPort(
      practiceAddress("perimeter", 1),
      TAKEN_BASE + PORT_OFFSETS.https,
    );
    const workspace = mkdtempSync(join(tmpdir(), "cellcert-practice-"));
    const engine = createWorkspaceEngine({
      workspace,
      resourcesDir: "resources",
      env: {},
      practiceEntry: entry,
      practicePortBases: [TAKEN_BASE, FREE_BASE],
    });
    try {
      const started = await dispatch(
        engine.handlers,
        "practice:start",
        { broken: false },
        log,
      );
      if (!started.ok) throw new Error(started.error.message);
      expect(
        started.data.plan.endpoints.find((e) => e.id === "perimeter-web")?.port,
      ).toBe(FREE_BASE + PORT_OFFSETS.https);
    } finally {
      await engine.shutdown();
      await new Promise((done) => squatter.close(done));
    }
  }, 90_000);

  it("says when the practice plant is not part of the build", async () => {
    const workspace = mkdtempSync(join(tmpdir(), "cellcert-practice-"));
    const engine = createWorkspaceEngine({
      workspace,
      resourcesDir: "resources",
      env: {},
    });
    const answer = await dispatch(
      engine.handlers,
      "practice:start",
      { broken: true },
      log,
    );
    expect(answer.ok).toBe(false);
    expect(
      await dispatch(engine.handlers, "practice:status", undefined, log),
    ).toEqual({ ok: true, data: null });
  });
});
