import { describe, expect, it, vi } from "vitest";
import type { PlanDocumentView } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { ApiCallError } from "../api/client";
import { fakeApi } from "../test-support/fake-api";
import { documentView, testPlan, withRun } from "../test-support/plans";
import { createAppStore } from "./app-store";
import { setPlant, setWizardPosition } from "./plan-edits";
import { selectPlan, selectSaveFailed, selectSaveState } from "./plan-slice";

/** An engine that keeps one document and refuses edits based on an older revision, as the real one does. */
function engineHolding(initial: PlanDocumentView) {
  let current = initial;
  const updates: { plan: Plan; baseRevision: number }[] = [];
  const api = fakeApi({
    "plan:current": () => Promise.resolve(current),
    "plan:update": (input) => {
      const request = input as { plan: Plan; baseRevision: number };
      updates.push(request);
      if (request.baseRevision !== current.revision)
        return Promise.reject(
          new ApiCallError(
            "conflict",
            "The plan changed while this edit was made; apply it again.",
          ),
        );
      current = {
        ...current,
        plan: request.plan,
        revision: current.revision + 1,
      };
      return Promise.resolve(current);
    },
  });
  return {
    api,
    updates,
    get current() {
      return current;
    },
    /** The engine changes the plan by itself (a run recorded results). */
    changeBehindTheUi(change: (plan: Plan) => Plan) {
      current = {
        ...current,
        plan: change(current.plan),
        revision: current.revision + 1,
      };
    },
  };
}

async function storeWithPlan(engine: ReturnType<typeof engineHolding>) {
  const store = createAppStore(engine.api);
  await store.getState().loadCurrentPlan();
  return store;
}

describe("the plan slice", () => {
  it("sends an edit with the revision it starts from and takes the engine's answer", async () => {
    const engine = engineHolding(documentView(testPlan(), 3));
    const store = await storeWithPlan(engine);
    const accepted = await store
      .getState()
      .editPlan(setPlant({ site: "Hall 4" }));
    expect(accepted).toBe(true);
    expect(engine.updates).toHaveLength(1);
    expect(engine.updates[0]?.baseRevision).toBe(3);
    expect(store.getState().plan.document?.revision).toBe(4);
    expect(selectPlan(store.getState())?.plant.site).toBe("Hall 4");
    expect(store.getState().plan.pending).toBe(0);
  });

  it("shows an edit at once, before the engine confirmed it", async () => {
    const engine = engineHolding(documentView(testPlan(), 1));
    const store = await storeWithPlan(engine);
    const pending = store
      .getState()
      .editPlan(setPlant({ customer: "Riverside" }));
    expect(selectPlan(store.getState())?.plant.customer).toBe("Riverside");
    expect(store.getState().plan.pending).toBe(1);
    expect(selectSaveState(store.getState())).toBe("Saving…");
    await pending;
  });

  it("sends edits queued meanwhile together, in one update", async () => {
    const engine = engineHolding(documentView(testPlan(), 1));
    const store = await storeWithPlan(engine);
    const edits = [
      store.getState().editPlan(setPlant({ site: "A" })),
      store.getState().editPlan(setPlant({ customer: "B" })),
      store.getState().editPlan(setPlant({ orderNumber: "C" })),
    ];
    expect(await Promise.all(edits)).toEqual([true, true, true]);
    // The first went alone; the two queued behind it went as one.
    expect(engine.updates).toHaveLength(2);
    expect(engine.current.plan.plant).toMatchObject({
      site: "A",
      customer: "B",
      orderNumber: "C",
    });
  });

  it("on a conflict fetches the current plan and applies the same edit to it once more", async () => {
    const engine = engineHolding(documentView(testPlan(), 1));
    const store = await storeWithPlan(engine);
    engine.changeBehindTheUi((plan) =>
      withRun(plan, "enterprise", [["ENT-PER.reach", "perimeter-web", "pass"]]),
    );
    const accepted = await store
      .getState()
      .editPlan(setWizardPosition("walk/perimeter"));
    expect(accepted).toBe(true);
    expect(engine.updates.map((u) => u.baseRevision)).toEqual([1, 2]);
    // Both the run the engine recorded and the edit survive.
    expect(engine.current.plan.runs).toHaveLength(1);
    expect(engine.current.plan.wizard.position).toBe("walk/perimeter");
    expect(store.getState().plan.error).toBeNull();
  });

  it("keeps the engine's sentence when it refuses an edit, and shows its plan again", async () => {
    const api = fakeApi({
      "plan:current": () => Promise.resolve(documentView(testPlan(), 1)),
      "plan:update": () =>
        Promise.reject(
          new ApiCallError(
            "invalid-input",
            "/plant/name: the plant's name is required",
          ),
        ),
    });
    const store = createAppStore(api);
    await store.getState().loadCurrentPlan();
    expect(await store.getState().editPlan(setPlant({ name: "" }))).toBe(false);
    expect(store.getState().plan.error).toBe(
      "/plant/name: the plant's name is required",
    );
    expect(selectPlan(store.getState())?.plant.name).toBe("Test Plant");
  });

  it("ignores a document older than the one it holds", async () => {
    const engine = engineHolding(documentView(testPlan(), 5));
    const store = await storeWithPlan(engine);
    store
      .getState()
      .receivePlan(documentView(testPlan({ plant: { name: "Old" } }), 4));
    expect(selectPlan(store.getState())?.plant.name).toBe("Test Plant");
    store
      .getState()
      .receivePlan(documentView(testPlan({ plant: { name: "New" } }), 6));
    expect(selectPlan(store.getState())?.plant.name).toBe("New");
  });

  it("says whether the plan is saved, and why not", async () => {
    const api = fakeApi({
      "plan:current": () =>
        Promise.resolve(
          documentView(testPlan(), 1, {
            dirty: true,
            saveError: "The disk is full.",
          }),
        ),
    });
    const store = createAppStore(api);
    expect(selectSaveState(store.getState())).toBeNull();
    await store.getState().loadCurrentPlan();
    expect(selectSaveState(store.getState())).toBe("The disk is full.");
    expect(selectSaveFailed(store.getState())).toBe(true);
  });

  it("opens, creates and closes plans, and lists them again after closing", async () => {
    const list = vi.fn(() =>
      Promise.resolve({
        mode: "workspace" as const,
        recent: [],
        workspace: [],
      }),
    );
    const api = fakeApi({
      "plan:new": ({ plantName }) =>
        Promise.resolve(documentView(testPlan({ plant: { name: plantName } }))),
      "plan:close": () => Promise.resolve(null),
      "plan:list": list,
    });
    const store = createAppStore(api);
    expect(await store.getState().newPlan("Riverside")).toBe(true);
    expect(selectPlan(store.getState())?.plant.name).toBe("Riverside");
    expect(store.getState().wizard.position).toEqual({
      screen: "setup",
      section: "plant",
    });
    await store.getState().closePlan();
    expect(selectPlan(store.getState())).toBeNull();
    expect(store.getState().wizard.position).toBeNull();
    expect(list).toHaveBeenCalled();
  });
});
