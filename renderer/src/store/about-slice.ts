// What the running Cellcert is (name, version, ruleset, mode), fetched once through `app:info`.
import type { StateCreator } from "zustand";
import type { Api, AppInfo } from "../../../shared/contract/schemas";
import type { AppState } from "./app-store";

export interface AboutSlice {
  about: {
    status: "loading" | "ready" | "failed";
    info: AppInfo | null;
    error: string | null;
  };
  loadAbout: () => Promise<void>;
}

export const initialAboutState: Pick<AboutSlice, "about"> = {
  about: { status: "loading", info: null, error: null },
};

export const createAboutSlice =
  (api: Api): StateCreator<AppState, [], [], AboutSlice> =>
  (set) => ({
    ...initialAboutState,
    async loadAbout() {
      try {
        const info = await api["app:info"]();
        set({ about: { status: "ready", info, error: null } });
      } catch (error) {
        set({
          about: {
            status: "failed",
            info: null,
            error: error instanceof Error ? error.message : String(error),
          },
        });
      }
    },
  });

/** "Cellcert 0.1.0 · ruleset cells-2021", or null until known. */
export const selectVersionLabel = (state: AppState): string | null => {
  const info = state.about.info;
  return info === null
    ? null
    : `${info.name} ${info.version} · ruleset ${info.rulesetVersion}`;
};

export const selectModeLabel = (state: AppState): string | null => {
  const info = state.about.info;
  if (info === null) return null;
  return { browser: "Browser mode", desktop: "Desktop", cli: "CLI" }[info.mode];
};
