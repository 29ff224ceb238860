// The open plan: its document as the engine last confirmed it, and the edits on their way. Edits are queued,
// sent together with the revision they start from, and on a conflict (a run recorded results meanwhile) the
// engine's current plan is fetched and the same edits applied to it once more.
import type { StateCreator } from "zustand";
import type {
  Api,
  PlanDocumentView,
  PlanList,
} from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { ApiCallError } from "../api/client";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";
import type { PlanEdit } from "./plan-edits";

type OpenRequest = Parameters<Api["plan:open"]>[0];

export interface PlanSlice {
  plan: {
    status: "unknown" | "loading" | "ready";
    document: PlanDocumentView | null;
    /** The plan with the edits not yet confirmed applied: what the screens show. */
    draft: Plan | null;
    /** Edits sent or waiting. */
    pending: number;
    /** The engine's sentence for the last refused open or edit. */
    error: string | null;
    list: PlanList | null;
    listError: string | null;
  };
  loadCurrentPlan: () => Promise<void>;
  listPlans: () => Promise<void>;
  newPlan: (plantName: string) => Promise<boolean>;
  openPlan: (request: OpenRequest) => Promise<boolean>;
  closePlan: () => Promise<void>;
  savePlan: () => Promise<void>;
  /** Queues an edit; resolves true once the engine accepted it. */
  editPlan: (edit: PlanEdit) => Promise<boolean>;
  /** A document from the engine (plan:changed, or the answer of a documents call). */
  receivePlan: (document: PlanDocumentView) => void;
  dismissPlanError: () => void;
}

export const initialPlanState: Pick<PlanSlice, "plan"> = {
  plan: {
    status: "unknown",
    document: null,
    draft: null,
    pending: 0,
    error: null,
    list: null,
    listError: null,
  },
};

interface QueuedEdit {
  edit: PlanEdit;
  done: (accepted: boolean) => void;
}

export const createPlanSlice =
  (api: Api): StateCreator<AppState, [], [], PlanSlice> =>
  (set, get) => {
    let queue: QueuedEdit[] = [];
    let inFlight: QueuedEdit[] = [];
    let flushing = false;

    const patch = (changes: Partial<PlanSlice["plan"]>): void =>
      set((state) => ({ plan: { ...state.plan, ...changes } }));

    const draftOf = (document: PlanDocumentView | null): Plan | null => {
      if (document === null) return null;
      const waiting = [...inFlight, ...queue];
      return waiting.length === 0
        ? document.plan
        : waiting.reduce((plan, entry) => entry.edit(plan), document.plan);
    };

    /** The other slices hear of each document taken: what they hold about a plan that went is dropped. */
    const follow = (
      previous: PlanDocumentView | null,
      next: PlanDocumentView | null,
    ): void => {
      const state = get();
      state.wizardFollowPlan(next);
      state.runFollowPlan(previous, next);
      state.reportFollowPlan(previous, next);
      state.documentsFollowPlan(previous, next);
    };

    /** Takes a document unless it is older than the one held. */
    const accept = (document: PlanDocumentView | null): void => {
      const held = get().plan.document;
      if (
        document !== null &&
        held !== null &&
        document.location === held.location &&
        document.revision < held.revision
      )
        return;
      patch({
        document,
        draft: draftOf(document),
        pending: inFlight.length + queue.length,
      });
      follow(held, document);
    };

    const compose =
      (entries: readonly QueuedEdit[]): PlanEdit =>
      (plan) =>
        entries.reduce((current, entry) => entry.edit(current), plan);

    const send = (document: PlanDocumentView, edit: PlanEdit) =>
      api["plan:update"]({
        plan: edit(document.plan),
        baseRevision: document.revision,
      });

    const flush = async (): Promise<void> => {
      if (flushing) return;
      flushing = true;
      try {
        while (queue.length > 0) {
          inFlight = queue;
          queue = [];
          const edit = compose(inFlight);
          let accepted = false;
          let error: string | null = null;
          const document = get().plan.document;
          if (document === null) {
            error = "No plan is open.";
          } else {
            try {
              accept(await send(document, edit));
              accepted = true;
            } catch (first) {
              if (first instanceof ApiCallError && first.code === "conflict") {
                try {
                  const current = await api["plan:current"]();
                  if (current === null) throw first;
                  accept(current);
                  accept(await send(current, edit));
                  accepted = true;
                } catch (second) {
                  error = messageOf(second);
                }
              } else {
                error = messageOf(first);
              }
            }
          }
          const finished = inFlight;
          inFlight = [];
          const held = get().plan.document;
          patch({
            draft: draftOf(held),
            pending: queue.length,
            ...(error !== null && { error }),
          });
          for (const entry of finished) entry.done(accepted);
        }
      } finally {
        flushing = false;
      }
    };

    const opened = (document: PlanDocumentView | null): boolean => {
      queue = [];
      inFlight = [];
      patch({ status: "ready", error: null });
      if (document === null) return false;
      accept(document);
      return true;
    };

    return {
      ...initialPlanState,
      async loadCurrentPlan() {
        if (get().plan.status === "unknown") patch({ status: "loading" });
        try {
          const document = await api["plan:current"]();
          patch({ status: "ready" });
          accept(document);
        } catch (error) {
          patch({ status: "ready", error: messageOf(error) });
        }
      },
      async listPlans() {
        try {
          patch({ list: await api["plan:list"](), listError: null });
        } catch (error) {
          patch({ listError: messageOf(error) });
        }
      },
      async newPlan(plantName) {
        try {
          return opened(await api["plan:new"]({ plantName }));
        } catch (error) {
          patch({ error: messageOf(error) });
          return false;
        }
      },
      async openPlan(request) {
        try {
          return opened(await api["plan:open"](request));
        } catch (error) {
          patch({ error: messageOf(error) });
          return false;
        }
      },
      async closePlan() {
        try {
          await api["plan:close"]();
          queue = [];
          inFlight = [];
          const held = get().plan.document;
          patch({ document: null, draft: null, pending: 0, error: null });
          follow(held, null);
          await get().listPlans();
        } catch (error) {
          patch({ error: messageOf(error) });
        }
      },
      async savePlan() {
        try {
          accept(await api["plan:save"]());
        } catch (error) {
          patch({ error: messageOf(error) });
        }
      },
      editPlan(edit) {
        return new Promise<boolean>((resolve) => {
          queue.push({ edit, done: resolve });
          const document = get().plan.document;
          patch({
            draft: draftOf(document),
            pending: inFlight.length + queue.length,
          });
          void flush();
        });
      },
      receivePlan(document) {
        accept(document);
      },
      dismissPlanError() {
        patch({ error: null });
      },
    };
  };

/** The plan the screens show (with unconfirmed edits), or null when none is open. */
export const selectPlan = (state: AppState): Plan | null => state.plan.draft;

/** "Saving…", "Saved at 10:32", or the engine's reason the autosave failed; null without a plan. */
export const selectSaveState = (state: AppState): string | null => {
  const document = state.plan.document;
  if (document === null) return null;
  if (document.saveError !== null) return document.saveError;
  if (state.plan.pending > 0 || document.dirty) return "Saving…";
  if (document.savedAt === null) return "Not saved yet";
  const time = new Date(document.savedAt).toLocaleTimeString([], {
    hour: "2-digit",
    minute: "2-digit",
  });
  return `Saved at ${time}`;
};

export const selectSaveFailed = (state: AppState): boolean =>
  state.plan.document?.saveError != null;
