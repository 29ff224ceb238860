// A fake Api for renderer tests: every channel refuses unless the test says how it answers; events are
// delivered when the test emits them.
import {
  requestChannels,
  type EventChannel,
} from "../../../shared/contract/channels";
import type {
  Api,
  AppInfo,
  EventPayload,
} from "../../../shared/contract/schemas";
import { ApiCallError } from "../api/client";

export const TEST_APP_INFO: AppInfo = {
  name: "Cellcert",
  version: "1.2.3",
  rulesetVersion: "cells-2021",
  platform: "linux-x64",
  mode: "browser",
};

export interface FakeEvents {
  on: Api["on"];
  emit: <E extends EventChannel>(event: E, payload: EventPayload<E>) => void;
}

export function fakeEvents(): FakeEvents {
  const listeners = new Map<EventChannel, Set<(payload: never) => void>>();
  return {
    on: (event, callback) => {
      const set = listeners.get(event) ?? new Set();
      set.add(callback);
      listeners.set(event, set);
      return () => set.delete(callback);
    },
    emit: (event, payload) => {
      for (const listener of listeners.get(event) ?? [])
        (listener as (payload: unknown) => void)(payload);
    },
  };
}

export function fakeApi(
  answers: Partial<Omit<Api, "on">> = {},
  events: FakeEvents = fakeEvents(),
): Api {
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
    on: events.on,
  };
}
