// A fake Api for renderer tests: every channel refuses unless the test says how it answers.
import { requestChannels } from "../../../shared/contract/channels";
import type { Api, AppInfo } from "../../../shared/contract/schemas";
import { ApiCallError } from "../api/client";

export const TEST_APP_INFO: AppInfo = {
  name: "Cellcert",
  version: "1.2.3",
  rulesetVersion: "cells-2021",
  platform: "linux-x64",
  mode: "browser",
};

export function fakeApi(answers: Partial<Omit<Api, "on">> = {}): Api {
  const refusing = Object.fromEntries(
    requestChannels.map((channel) => [
      channel,
      () =>
        Promise.reject(
          new ApiCallError(
            "unavailable",
            `${channel} is not faked in this test.`,
          ),
        ),
    ]),
  );
  // Object.fromEntries cannot carry per-channel types; the defaults only ever reject.
  return {
    ...(refusing as unknown as Omit<Api, "on">),
    "app:info": () => Promise.resolve(TEST_APP_INFO),
    ...answers,
    on: () => () => undefined,
  };
}
