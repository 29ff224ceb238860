// Runs from one vantage: the preview of every target, start, stop, re-run one check, and the live progress.
// Progress is rendered in batches: events are held and applied at most once per scheduled frame, and items
// that did not change keep their object, so only the rows that moved re-render (a 200-endpoint plan stays smooth).
import type { StateCreator } from "zustand";
import type {
  Api,
  LaptopAddress,
  PlanDocumentView,
  RunItem,
  RunPreview,
  RunProgress,
} from "../../../shared/contract/schemas";
import type { Run } from "../../../shared/model/plan";
import type { VantageId } from "../../../shared/plant-words";
import { messageOf } from "../lib/errors";
import type { AppState } from "./app-store";

/** Runs `flush` later, once, however often it is asked before then. */
export type Scheduler = (flush: () => void) => void;

/** How long a running run may stay silent before the engine is asked about it. */
export const WATCHDOG_MS = 3000;

/** At most ten renders of progress a second. */
export const defaultScheduler: Scheduler = (flush) => {
  setTimeout(flush, 100);
};

export const itemKey = (checkId: string, endpointId: string): string =>
  `${checkId} ${endpointId}`;

export interface RunSlice {
  run: {
    previews: Partial<Record<VantageId, RunPreview>>;
    previewErrors: Partial<Record<VantageId, string>>;
    addresses: LaptopAddress[] | null;
    progress: RunProgress | null;
    /** The progress items by `itemKey`, unchanged items keeping their object between updates. */
    items: ReadonlyMap<string, RunItem>;
    /** Progress batches applied, for the curious and the tests. */
    batches: number;
    busy: "starting" | "stopping" | null;
    error: string | null;
    /** The vantage the error is about (a run that would not start or stop); null: about every step. */
    errorAbout: VantageId | null;
  };
  loadPreview: (vantage: VantageId) => Promise<void>;
  loadAddresses: () => Promise<void>;
  startRun: (
    vantage: VantageId,
    only?: { checkId: string; endpointId: string },
  ) => Promise<void>;
  stopRun: () => Promise<void>;
  loadCurrentRun: () => Promise<void>;
  /** A `run:progress` event; applied with the next batch. */
  receiveProgress: (progress: RunProgress) => void;
  /** Called by the plan slice with each document it takes: another plan (or none) drops this plan's views. */
  runFollowPlan: (
    previous: PlanDocumentView | null,
    next: PlanDocumentView | null,
  ) => void;
}

export const createRunSlice =
  (api: Api, schedule: Scheduler): StateCreator<AppState, [], [], RunSlice> =>
  (set, get) => {
    let pending: RunProgress | null = null;
    let scheduled = false;
    let lastSeen = 0;
    let watchdog: ReturnType<typeof setInterval> | null = null;

    const patch = (changes: Partial<RunSlice["run"]>): void =>
      set((state) => ({ run: { ...state.run, ...changes } }));

    /** An older picture of the run held now (events and answers may cross on the way). */
    const isStale = (held: RunProgress | null, next: RunProgress): boolean =>
      held !== null &&
      held.runId === next.runId &&
      (next.done < held.done ||
        (held.status !== "running" && next.status === "running"));

    const apply = (progress: RunProgress): void => {
      const before = get().run;
      if (isStale(before.progress, progress)) return;
      lastSeen = Date.now();
      const sameRun = before.progress?.runId === progress.runId;
      const items = new Map<string, RunItem>();
      const shared = progress.items.map((item) => {
        const key = itemKey(item.checkId, item.endpointId);
        const previous = sameRun ? before.items.get(key) : undefined;
        const kept =
          previous !== undefined &&
          previous.state === item.state &&
          previous.message === item.message
            ? previous
            : item;
        items.set(key, kept);
        return kept;
      });
      const wasRunning = before.progress?.status === "running" && sameRun;
      patch({
        progress: { ...progress, items: shared },
        items,
        batches: before.batches + 1,
      });
      // The run's results are in the plan now: fetch it rather than wait for the coalesced event.
      if (wasRunning && progress.status !== "running")
        void get().loadCurrentPlan();
      if (progress.status === "running") watch();
    };

    /**
     * Should the event stream drop an update (a reconnect), a run would look busy for ever: while one runs and
     * nothing arrived for a while, ask the engine; a run it no longer has ended, and the plan says how.
     */
    const watch = (): void => {
      if (watchdog !== null) return;
      watchdog = setInterval(() => {
        const held = get().run.progress;
        if (held?.status !== "running") {
          if (watchdog !== null) clearInterval(watchdog);
          watchdog = null;
          return;
        }
        if (Date.now() - lastSeen < WATCHDOG_MS) return;
        void settle(held);
      }, WATCHDOG_MS);
    };

    const settle = async (held: RunProgress): Promise<void> => {
      try {
        const current = await api["run:current"]();
        if (current !== null) {
          apply(current);
          return;
        }
        await get().loadCurrentPlan();
        const run = get().plan.document?.plan.runs.find(
          (r) => r.id === held.runId,
        );
        if (get().run.progress?.runId !== held.runId) return;
        patch({
          progress: {
            ...held,
            status:
              run === undefined || run.status === "running"
                ? "failed"
                : run.status,
            done: run === undefined ? held.done : judgedIn(run),
            message:
              run === undefined
                ? "The engine no longer knows this run."
                : `The run ${run.status === "running" ? "ended" : run.status}.`,
          },
        });
      } catch (error) {
        patch({ error: messageOf(error), errorAbout: held.vantage });
      }
    };

    const flush = (): void => {
      scheduled = false;
      const next = pending;
      pending = null;
      if (next !== null) apply(next);
    };

    return {
      run: {
        previews: {},
        previewErrors: {},
        addresses: null,
        progress: null,
        items: new Map(),
        batches: 0,
        busy: null,
        error: null,
        errorAbout: null,
      },
      async loadPreview(vantage) {
        try {
          const preview = await api["run:preview"]({ vantage });
          set((state) => ({
            run: {
              ...state.run,
              previews: { ...state.run.previews, [vantage]: preview },
              previewErrors: {
                ...state.run.previewErrors,
                [vantage]: undefined,
              },
            },
          }));
        } catch (error) {
          set((state) => ({
            run: {
              ...state.run,
              previewErrors: {
                ...state.run.previewErrors,
                [vantage]: messageOf(error),
              },
            },
          }));
        }
      },
      async loadAddresses() {
        try {
          patch({ addresses: await api["laptop:addresses"]() });
        } catch (error) {
          patch({ error: messageOf(error), errorAbout: null });
        }
      },
      async startRun(vantage, only) {
        patch({ busy: "starting", error: null, errorAbout: null });
        try {
          const progress = await api["run:start"](
            only === undefined ? { vantage } : { vantage, only },
          );
          // An event may have overtaken this answer: the newer picture wins (apply ignores the older).
          apply(progress);
          patch({ busy: null });
        } catch (error) {
          patch({ busy: null, error: messageOf(error), errorAbout: vantage });
        }
      },
      async stopRun() {
        const about = get().run.progress?.vantage ?? null;
        patch({ busy: "stopping", error: null, errorAbout: null });
        try {
          await api["run:stop"]();
          patch({ busy: null });
        } catch (error) {
          patch({ busy: null, error: messageOf(error), errorAbout: about });
        }
      },
      async loadCurrentRun() {
        try {
          const progress = await api["run:current"]();
          if (progress !== null) apply(progress);
        } catch (error) {
          patch({ error: messageOf(error), errorAbout: null });
        }
      },
      receiveProgress(progress) {
        pending = progress;
        if (scheduled) return;
        scheduled = true;
        schedule(flush);
      },
      runFollowPlan(previous, next) {
        if (previous?.location === next?.location) return;
        // Previews, errors and a finished run's progress were about the plan that went; a run under way stays.
        const held = get().run.progress;
        const keep = held?.status === "running";
        patch({
          previews: {},
          previewErrors: {},
          error: null,
          errorAbout: null,
          ...(!keep && { progress: null, items: new Map() }),
        });
      },
    };
  };

export const selectRunning = (state: AppState): boolean =>
  state.run.progress?.status === "running";

/** The live progress of a vantage's latest run in this session, or null. */
export const selectProgressOf =
  (vantage: VantageId) =>
  (state: AppState): RunProgress | null =>
    state.run.progress?.vantage === vantage ? state.run.progress : null;

/** The error shown on a vantage's step: its own, or one about every step. */
export const selectRunErrorOf =
  (vantage: VantageId) =>
  (state: AppState): string | null =>
    state.run.errorAbout === null || state.run.errorAbout === vantage
      ? state.run.error
      : null;

/** The checks a recorded run judged: everything it answered, but not what Stop cut off (recorded "stopped"). */
export function judgedIn(run: Pick<Run, "results">): number {
  return run.results.filter((result) => result.reason !== "stopped").length;
}

const MEASURED: ReadonlySet<RunItem["state"]> = new Set([
  "pass",
  "warn",
  "fail",
]);

/**
 * "Finished: 12 of 40 checks judged". The engine counts every check it answered; after Stop that includes the
 * checks Stop cut off, which were not judged. They are told apart in the recorded run (`run`, once the plan has
 * it); until then only the measured verdicts are counted, never more than were judged.
 */
export function progressLabel(progress: RunProgress, run?: Run): string {
  const judged =
    progress.status !== "stopped"
      ? progress.done
      : run !== undefined && run.status !== "running"
        ? judgedIn(run)
        : progress.items.filter((item) => MEASURED.has(item.state)).length;
  const counted = `${judged} of ${progress.total} checks judged`;
  switch (progress.status) {
    case "running":
      return `Running: ${counted}`;
    case "completed":
      return `Finished: ${counted}`;
    case "stopped":
      return `Stopped: ${counted}`;
    case "failed":
      return `Failed: ${counted}`;
  }
}

/** The progress label of a vantage's latest run in this session, counted against the run the plan recorded. */
export const selectProgressLabelOf =
  (vantage: VantageId) =>
  (state: AppState): string | null => {
    const progress = selectProgressOf(vantage)(state);
    if (progress === null) return null;
    const run = state.plan.draft?.runs.find((r) => r.id === progress.runId);
    return progressLabel(progress, run);
  };
