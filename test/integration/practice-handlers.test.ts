// The practice plant through the contract, as browser mode runs it: forked by path, its plan opened with the
// practice passphrase entered, a vantage run against it, stopped.
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { dispatch } from "../../electron/engine/api/dispatch";
import { createWorkspaceEngine } from "../../electron/engine/engine";
import { readPlanFile } from "../../electron/engine/plan-store/plan-file";

const entry = resolve("out/cli/practice-plant.js");
const log = { error: (message: string) => console.error(message) };

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

  it("moves to other ports when another practice plant holds the default ones", async (context) => {
    context.skip(
      !existsSync(entry),
      `the practice plant process is not built (${entry}): run "npm run build" first`,
    );
    const squatter = createServer();
    await new Promise<void>((done) =>
      squatter.listen(20_443, "127.0.2.1", done),
    );
    const workspace = mkdtempSync(join(tmpdir(), "cellcert-practice-"));
    const engine = createWorkspaceEngine({
      workspace,
      resourcesDir: "resources",
      env: {},
      practiceEntry: entry,
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
      ).toBe(30_443);
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
