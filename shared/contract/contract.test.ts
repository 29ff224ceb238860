import { describe, expect, expectTypeOf, it } from "vitest";
import { z } from "zod";
import {
  eventChannels,
  isEventChannel,
  isRequestChannel,
  requestChannels,
} from "./channels";
import { eventSchemas, requestSchemas, type Handlers } from "./schemas";

// A handler set that misses a channel does not compile. This is checked by `npm run typecheck`, not at run time
// (expectTypeOf does nothing there), so no test case stands for it; dispatch.test.ts checks the engine's set.
expectTypeOf<Omit<Handlers, "app:info">>().not.toExtend<Handlers>();

describe("the contract", () => {
  it("has an input and an output schema for every request channel, and nothing else", () => {
    expect(Object.keys(requestSchemas).sort()).toEqual(
      [...requestChannels].sort(),
    );
    for (const channel of requestChannels) {
      expect(requestSchemas[channel].input).toBeInstanceOf(z.ZodType);
      expect(requestSchemas[channel].output).toBeInstanceOf(z.ZodType);
    }
  });

  it("has a payload schema for every event, and nothing else", () => {
    expect(Object.keys(eventSchemas).sort()).toEqual([...eventChannels].sort());
  });

  it("names channels domain:verb", () => {
    for (const name of [...requestChannels, ...eventChannels])
      expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
  });

  it("tells its own channel names from anything else", () => {
    expect(isRequestChannel("app:info")).toBe(true);
    expect(isRequestChannel("app:nope")).toBe(false);
    expect(isRequestChannel(42)).toBe(false);
    expect(isEventChannel("log:line")).toBe(true);
    expect(isEventChannel("app:info")).toBe(false);
  });

  it("validates the log line event", () => {
    expect(
      eventSchemas["log:line"].safeParse({
        level: "info",
        message: "x",
        time: new Date().toISOString(),
      }).success,
    ).toBe(true);
    expect(
      eventSchemas["log:line"].safeParse({
        level: "debug",
        message: "x",
        time: "yesterday",
      }).success,
    ).toBe(false);
  });
});
