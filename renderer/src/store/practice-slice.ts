// The practice plant (DESIGN §9): started in its own process, good or broken, its plan opened at once.
import type { StateCreator } from "zustand";
import type { Api, PracticeStatus } from "../../../shared/contract/schemas";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

export interface PracticeSlice {
  practice: {
    /** Null: not part of this build, or not asked yet. */
    status: PracticeStatus | null;
    starting: "good" | "broken" | null;
    error: string | null;
  };
  loadPracticeStatus: () => Promise<void>;
  startPractice: (broken: boolean) => Promise<boolean>;
  stopPractice: () => Promise<void>;
}

export const createPracticeSlice =
  (api: Api): StateCreator<AppState, [], [], PracticeSlice> =>
  (set, get) => {
    const patch = (changes: Partial<PracticeSlice["practice"]>): void =>
      set((state) => ({ practice: { ...state.practice, ...changes } }));
    const loadStatus = async (): Promise<void> => {
      try {
        patch({ status: await api["practice:status"]() });
      } catch (error) {
        patch({ error: messageOf(error) });
      }
    };
    return {
      practice: { status: null, starting: null, error: null },
      loadPracticeStatus: loadStatus,
      async startPractice(broken) {
        patch({ starting: broken ? "broken" : "good", error: null });
        try {
          const document = await api["practice:start"]({ broken });
          patch({ starting: null });
          get().receivePlan(document);
          await Promise.all([loadStatus(), get().loadSecrets()]);
          return true;
        } catch (error) {
          patch({ starting: null, error: messageOf(error) });
          return false;
        }
      },
      async stopPractice() {
        try {
          await api["practice:stop"]();
          await loadStatus();
        } catch (error) {
          patch({ error: messageOf(error) });
        }
      },
    };
  };
