import { describe, expect, it, vi } from "vitest";
import type { RunItem } from "../../../shared/contract/schemas";
import { fakeApi } from "../test-support/fake-api";
import {
  documentView,
  progress,
  testPlan,
  withRun,
} from "../test-support/plans";
import { createAppStore } from "./app-store";
import {
  itemKey,
  progressLabel,
  selectProgressLabelOf,
  selectProgressOf,
  selectRunErrorOf,
  selectRunning,
} from "./run-slice";

/** A scheduler the test runs by hand: each `flush()` is one batch. */
function manualScheduler() {
  let waiting: (() => void) | null = null;
  return {
    schedule: (flush: () => void) => {
      waiting = flush;
    },
    flush: () => {
      const run = waiting;
      waiting = null;
      run?.();
    },
    get pending() {
      return waiting !== null;
    },
  };
}

const items = (n: number, state: RunItem["state"]): RunItem[] =>
  Array.from({ length: n }, (_, i) => ({
    checkId: "PER-MES.tls.protocol",
    endpointId: `endpoint-${i}`,
    state,
    message: "",
  }));

describe("the run slice", () => {
  it("applies a burst of progress events as one batch, the newest winning", () => {
    const scheduler = manualScheduler();
    const store = createAppStore(fakeApi(), { schedule: scheduler.schedule });
    for (let done = 0; done <= 50; done++)
      store.getState().receiveProgress(
        progress(
          "perimeter",
          items(50, "queued").map((item, i) =>
            i < done ? { ...item, state: "pass" } : item,
          ),
        ),
      );
    expect(store.getState().run.batches).toBe(0);
    scheduler.flush();
    expect(store.getState().run.batches).toBe(1);
    expect(store.getState().run.progress?.done).toBe(50);
    expect(scheduler.pending).toBe(false);
  });

  it("keeps the objects of items that did not change, so their rows need not render again", () => {
    const scheduler = manualScheduler();
    const store = createAppStore(fakeApi(), { schedule: scheduler.schedule });
    const first = items(200 * 8, "queued");
    store.getState().receiveProgress(progress("mes", first));
    scheduler.flush();
    const before = store.getState().run.items;
    const second = first.map((item, i) =>
      i === 7 ? { ...item, state: "running" as const } : { ...item },
    );
    store.getState().receiveProgress(progress("mes", second));
    scheduler.flush();
    const after = store.getState().run.items;
    let changed = 0;
    for (const [key, item] of after) if (before.get(key) !== item) changed += 1;
    expect(changed).toBe(1);
    expect(
      after.get(itemKey("PER-MES.tls.protocol", "endpoint-7"))?.state,
    ).toBe("running");
  });

  it("starts a run, shows its progress at once, and fetches the plan when it ends", async () => {
    const scheduler = manualScheduler();
    const current = vi.fn(() => Promise.resolve(documentView(testPlan(), 2)));
    const api = fakeApi({
      "run:start": () =>
        Promise.resolve(progress("perimeter", items(3, "queued"))),
      "plan:current": current,
    });
    const store = createAppStore(api, { schedule: scheduler.schedule });
    await store.getState().startRun("perimeter");
    expect(selectRunning(store.getState())).toBe(true);
    expect(selectProgressOf("perimeter")(store.getState())?.total).toBe(3);
    expect(selectProgressOf("mes")(store.getState())).toBeNull();
    store.getState().receiveProgress(
      progress("perimeter", items(3, "pass"), {
        status: "completed",
        done: 3,
      }),
    );
    scheduler.flush();
    expect(selectRunning(store.getState())).toBe(false);
    expect(current).toHaveBeenCalledTimes(1);
  });

  it("keeps the engine's sentence when a run cannot start", async () => {
    const store = createAppStore(fakeApi());
    await store.getState().startRun("mes");
    expect(store.getState().run.error).toBe(
      "run:start is not faked in this test.",
    );
    expect(store.getState().run.busy).toBeNull();
  });

  it("says how far a run got, in words", () => {
    expect(
      progressLabel(
        progress("mes", items(4, "pass"), { status: "completed", done: 4 }),
      ),
    ).toBe("Finished: 4 of 4 checks judged");
    expect(progressLabel(progress("mes", items(4, "queued")))).toBe(
      "Running: 0 of 4 checks judged",
    );
    expect(
      progressLabel(progress("mes", items(4, "queued"), { status: "stopped" })),
    ).toBe("Stopped: 0 of 4 checks judged");
  });

  it("after Stop counts as judged only what was measured, not what Stop cut off", () => {
    // The engine answered all four (done: 4); two of them were cut off by Stop and recorded "stopped".
    const recorded = withRun(testPlan(), "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "fail"],
      ["PER-MES.tls.protocol", "mes-gateway", "not-tested"],
      ["PER-MES.tls.suites", "mes-gateway", "not-tested"],
    ]);
    const run = recorded.runs[0]!;
    const stoppedRun = {
      ...run,
      status: "stopped" as const,
      results: run.results.map((r, i) =>
        i >= 2 ? { ...r, reason: "stopped" } : r,
      ),
    };
    const stopped = progress(
      "remote-site",
      [
        { ...items(1, "pass")[0]!, endpointId: "a" },
        { ...items(1, "fail")[0]!, endpointId: "b" },
        ...items(2, "not-tested"),
        ...items(1, "not-tested").map((i) => ({ ...i, endpointId: "e" })),
      ],
      { status: "stopped", done: 4, runId: run.id },
    );
    expect(progressLabel(stopped, stoppedRun)).toBe(
      "Stopped: 2 of 5 checks judged",
    );
    // Before the plan brings the run: the measured verdicts only, never more than were judged.
    expect(progressLabel(stopped)).toBe("Stopped: 2 of 5 checks judged");
    expect(progressLabel(stopped, { ...stoppedRun, status: "running" })).toBe(
      "Stopped: 2 of 5 checks judged",
    );
    // A not-tested check whose reason is not Stop (a prerequisite failed) was judged.
    const prerequisite = {
      ...stoppedRun,
      results: stoppedRun.results.map((r, i) =>
        i === 2 ? { ...r, reason: "prerequisite failed" } : r,
      ),
    };
    expect(progressLabel(stopped, prerequisite)).toBe(
      "Stopped: 3 of 5 checks judged",
    );
  });

  it("labels a vantage's progress against the run its plan recorded", async () => {
    const recorded = withRun(testPlan(), "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "not-tested"],
    ]);
    const run = recorded.runs[0]!;
    const plan = {
      ...recorded,
      runs: [
        {
          ...run,
          status: "stopped" as const,
          results: run.results.map((r, i) =>
            i === 1 ? { ...r, reason: "stopped" } : r,
          ),
        },
      ],
    };
    const scheduler = manualScheduler();
    const store = createAppStore(
      fakeApi({ "plan:current": () => Promise.resolve(documentView(plan)) }),
      { schedule: scheduler.schedule },
    );
    await store.getState().loadCurrentPlan();
    expect(selectProgressLabelOf("remote-site")(store.getState())).toBeNull();
    store.getState().receiveProgress(
      progress("remote-site", items(2, "not-tested"), {
        status: "stopped",
        done: 2,
        runId: run.id,
      }),
    );
    scheduler.flush();
    expect(selectProgressLabelOf("remote-site")(store.getState())).toBe(
      "Stopped: 1 of 2 checks judged",
    );
    expect(selectProgressLabelOf("mes")(store.getState())).toBeNull();
  });

  it("shows a run's error on its own vantage only, and forgets a plan's views when another opens", async () => {
    const scheduler = manualScheduler();
    let open = documentView(testPlan(), 1, { location: "first.cellcert.json" });
    const store = createAppStore(
      fakeApi({
        "plan:current": () => Promise.resolve(open),
        "run:preview": () => Promise.reject(new Error("No such vantage.")),
      }),
      { schedule: scheduler.schedule },
    );
    await store.getState().loadCurrentPlan();
    await store.getState().startRun("mes");
    const error = "run:start is not faked in this test.";
    expect(selectRunErrorOf("mes")(store.getState())).toBe(error);
    expect(selectRunErrorOf("perimeter")(store.getState())).toBeNull();
    await store.getState().loadPreview("mes");
    store
      .getState()
      .receiveProgress(
        progress("mes", items(2, "pass"), { status: "completed", done: 2 }),
      );
    scheduler.flush();
    expect(store.getState().run.previewErrors.mes).toBe("No such vantage.");
    // The same plan again (a newer revision) keeps them …
    open = documentView(testPlan(), 2, { location: "first.cellcert.json" });
    store.getState().receivePlan(open);
    expect(selectRunErrorOf("mes")(store.getState())).toBe(error);
    // … another plan does not.
    store
      .getState()
      .receivePlan(
        documentView(testPlan(), 1, { location: "second.cellcert.json" }),
      );
    expect(selectRunErrorOf("mes")(store.getState())).toBeNull();
    expect(store.getState().run.previewErrors).toEqual({});
    expect(store.getState().run.progress).toBeNull();
  });
});
