// One store made of slices; `createAppStore(api)` so tests pass their own api.
import { createStore, type StoreApi } from "zustand/vanilla";
import type { Api } from "../../../shared/contract/schemas";
import { createAboutSlice, type AboutSlice } from "./about-slice";
import { createLogSlice, type LogSlice } from "./log-slice";

export type AppState = AboutSlice & LogSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(api: Api): AppStore {
  return createStore<AppState>()((...args) => ({
    ...createAboutSlice(api)(...args),
    ...createLogSlice(...args),
  }));
}

/** Feeds the store from the engine's events; returns the unsubscribe. */
export function connectEvents(store: AppStore, api: Api): () => void {
  return api.on("log:line", (line) => store.getState().appendLog(line));
}
