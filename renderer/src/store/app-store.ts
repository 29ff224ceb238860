// One store made of slices; `createAppStore(api)` so tests pass their own api (and scheduler, and downloads).
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Api } from "../../../shared/contract/schemas";
import { downloadBase64 } from "../lib/files";
import { createAboutSlice, type AboutSlice } from "./about-slice";
import { createDocumentsSlice, type DocumentsSlice } from "./documents-slice";
import { createLogSlice, type LogSlice } from "./log-slice";
import { createPlanSlice, type PlanSlice } from "./plan-slice";
import { createPracticeSlice, type PracticeSlice } from "./practice-slice";
import {
  createReportSlice,
  type Deliver,
  type ReportSlice,
} from "./report-slice";
import {
  createRunSlice,
  defaultScheduler,
  type RunSlice,
  type Scheduler,
} from "./run-slice";
import { createReauditSlice, type ReauditSlice } from "./reaudit-slice";
import { createSecretsSlice, type SecretsSlice } from "./secrets-slice";
import { createVerifySlice, type VerifySlice } from "./verify-slice";
import { createWizardSlice, type WizardSlice } from "./wizard-slice";

export type AppState = AboutSlice &
  LogSlice &
  PlanSlice &
  WizardSlice &
  RunSlice &
  SecretsSlice &
  DocumentsSlice &
  ReportSlice &
  PracticeSlice &
  VerifySlice &
  ReauditSlice;
export type AppStore = StoreApi<AppState>;

export interface StoreOptions {
  /** When batched run progress is applied. */
  schedule?: Scheduler;
  /** How a browser-mode export reaches the user. */
  deliver?: Deliver;
}

export function createAppStore(api: Api, options: StoreOptions = {}): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createAboutSlice(api)(...args),
    ...createLogSlice(...args),
    ...createPlanSlice(api)(...args),
    ...createWizardSlice(...args),
    ...createRunSlice(api, options.schedule ?? defaultScheduler)(...args),
    ...createSecretsSlice(api)(...args),
    ...createDocumentsSlice(api)(...args),
    ...createReportSlice(api, options.deliver ?? downloadBase64)(...args),
    ...createPracticeSlice(api)(...args),
    ...createVerifySlice(api)(...args),
    ...createReauditSlice(api)(...args),
  }));
}

/** Feeds the store from the engine's events; returns the unsubscribe. */
export function connectEvents(store: AppStore, api: Api): () => void {
  const unsubscribe = [
    api.on("log:line", (line) => store.getState().appendLog(line)),
    api.on("plan:changed", (document) =>
      store.getState().receivePlan(document),
    ),
    api.on("run:progress", (progress) =>
      store.getState().receiveProgress(progress),
    ),
  ];
  return () => {
    for (const stop of unsubscribe) stop();
  };
}

/** What a fresh page needs: what the app is, the open plan (after a reload), a run in progress, the lists. */
export async function startUp(store: AppStore): Promise<void> {
  const state = store.getState();
  await Promise.all([
    state.loadAbout(),
    state.loadCurrentPlan(),
    state.loadCurrentRun(),
    state.listPlans(),
    state.loadPracticeStatus(),
  ]);
}
