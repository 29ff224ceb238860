// A store with a plan open, against a fake engine that accepts every edit (each one a new revision): for
// component tests that edit the plan and look at what the engine was sent.
import type { Plan } from "../../../shared/model/plan";
import type { Api, PlanDocumentView } from "../../../shared/contract/schemas";
import { createAppStore, type AppStore } from "../store/app-store";
import { fakeApi } from "./fake-api";
import { documentView } from "./plans";

export async function openPlanStore(
  plan: Plan,
  /** How other channels answer (everything else refuses, as in fakeApi). */
  answers: Partial<Omit<Api, "on">> = {},
): Promise<{
  store: AppStore;
  /** The document as the fake engine now holds it. */
  current: () => PlanDocumentView;
}> {
  let current = documentView(plan, 1);
  const store = createAppStore(
    fakeApi({
      ...answers,
      "plan:current": () => Promise.resolve(current),
      "plan:update": (input) => {
        current = documentView(
          (input as { plan: Plan }).plan,
          current.revision + 1,
        );
        return Promise.resolve(current);
      },
    }),
  );
  await store.getState().loadCurrentPlan();
  return { store, current: () => current };
}
