import { describe, expect, it } from "vitest";
import type { AppInfo } from "../../../shared/contract/schemas";
import { fakeApi as fakeApiWith } from "../test-support/fake-api";
import { selectModeLabel, selectVersionLabel } from "./about-slice";
import { createAppStore } from "./app-store";
import { MAX_LOG_LINES } from "./log-slice";

const info: AppInfo = {
  name: "Cellcert",
  version: "1.2.3",
  rulesetVersion: "cells-2021",
  platform: "linux-x64",
  mode: "desktop",
};

const fakeApi = (appInfo: () => Promise<AppInfo>) =>
  fakeApiWith({ "app:info": appInfo });

describe("the app store", () => {
  it("loads what the app is and labels it", async () => {
    const store = createAppStore(fakeApi(() => Promise.resolve(info)));
    expect(selectVersionLabel(store.getState())).toBeNull();
    await store.getState().loadAbout();
    expect(store.getState().about.status).toBe("ready");
    expect(selectVersionLabel(store.getState())).toBe(
      "Cellcert 1.2.3 · ruleset cells-2021",
    );
    expect(selectModeLabel(store.getState())).toBe("Desktop");
  });

  it("keeps the reason when the engine cannot answer", async () => {
    const store = createAppStore(
      fakeApi(() => Promise.reject(new Error("The browser host is gone."))),
    );
    await store.getState().loadAbout();
    expect(store.getState().about).toEqual({
      status: "failed",
      info: null,
      error: "The browser host is gone.",
    });
  });

  it("keeps a bounded log, dropping the oldest lines", () => {
    const store = createAppStore(fakeApi(() => Promise.resolve(info)));
    const time = "2026-11-25T10:00:00.000Z";
    store
      .getState()
      .appendLog({ level: "warn", message: "first warning", time });
    for (let i = 0; i < MAX_LOG_LINES + 10; i++)
      store.getState().appendLog({ level: "info", message: `line ${i}`, time });
    expect(store.getState().log).toHaveLength(MAX_LOG_LINES);
    expect(store.getState().log[0]?.message).toBe("line 10");
    expect(store.getState().log.at(-1)?.message).toBe(
      `line ${MAX_LOG_LINES + 9}`,
    );
  });
});
