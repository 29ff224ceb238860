import { cleanup, act, render, screen } from "@testing-library/react";
import { Profiler } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { RunItem } from "../../../shared/contract/schemas";
import { fakeApi, fakeEvents } from "../test-support/fake-api";
import {
  documentView,
  endpoint,
  progress,
  testPlan,
} from "../test-support/plans";
import { connectEvents, createAppStore } from "../store/app-store";
import { selectVantageChecks } from "../store/assessment";
import { StoreProvider } from "../store/context";
import { VantageChecks } from "./VantageChecks";

/** 200 HTTPS endpoints on IIS-BIND: eight checks each from the perimeter, 1600 in all. */
function bigPlan() {
  return testPlan({
    endpoints: Array.from({ length: 200 }, (_, i) =>
      endpoint({
        id: `site-${i}`,
        name: `Site ${i}`,
        boundary: "IIS-BIND",
        cell: "mes",
        kind: "https",
        host: `10.3.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      }),
    ),
  });
}

afterEach(cleanup);

describe("<VantageChecks> during a run of 200 endpoints", () => {
  it("renders progress in batches, however many events arrive", async () => {
    let flushes: (() => void)[] = [];
    const events = fakeEvents();
    const plan = bigPlan();
    const api = fakeApi(
      { "plan:current": () => Promise.resolve(documentView(plan)) },
      events,
    );
    const store = createAppStore(api, {
      schedule: (flush) => flushes.push(flush),
    });
    connectEvents(store, api);
    await store.getState().loadCurrentPlan();
    const checks = selectVantageChecks("perimeter")(store.getState());
    expect(checks).toHaveLength(1600);

    let commits = 0;
    render(
      <StoreProvider store={store}>
        <Profiler id="checks" onRender={() => (commits += 1)}>
          <VantageChecks vantage="perimeter" />
        </Profiler>
      </StoreProvider>,
    );
    const afterMount = commits;

    // The engine sends the whole progress a few times a second; 400 events here, 10 batches.
    const items: RunItem[] = checks.map((c) => ({
      checkId: c.check.id,
      endpointId: c.endpoint.id,
      state: "queued",
      message: "",
    }));
    const runFlushes = () =>
      act(() => {
        const pending = flushes;
        flushes = [];
        for (const flush of pending) flush();
      });
    for (let batch = 0; batch < 10; batch++) {
      for (let event = 0; event < 40; event++) {
        const index = batch * 160 + event * 4;
        for (let k = 0; k < 4; k++) {
          const item = items[index + k]!;
          items[index + k] = {
            ...item,
            state: k === 3 ? "running" : "pass",
            message: "ok",
          };
        }
        events.emit(
          "run:progress",
          progress(
            "perimeter",
            items.map((i) => ({ ...i })),
          ),
        );
      }
      runFlushes();
    }

    expect(store.getState().run.batches).toBe(10);
    // One commit per batch (plus none for the 390 events that were folded into a batch).
    expect(commits - afterMount).toBeLessThanOrEqual(10);
    expect(screen.getAllByText("running")).toHaveLength(400);
  }, 60_000);
});
