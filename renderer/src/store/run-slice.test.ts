import { describe, expect, it, vi } from "vitest";
import type { RunItem } from "../../../shared/contract/schemas";
import { fakeApi } from "../test-support/fake-api";
import { documentView, progress, testPlan } from "../test-support/plans";
import { createAppStore } from "./app-store";
import {
  itemKey,
  progressLabel,
  selectProgressOf,
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
});
