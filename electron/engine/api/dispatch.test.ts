import { describe, expect, it, vi } from "vitest";
import { requestChannels } from "../../../shared/contract/channels";
import type { Handlers } from "../../../shared/contract/schemas";
import { createTestEngine } from "../../../test/support/engine";
import { UserError } from "../errors";
import { dispatch } from "./dispatch";

const log = { error: vi.fn() };

const engine = createTestEngine();

function handlersWith(appInfo: Handlers["app:info"]): Handlers {
  return { ...engine.handlers, "app:info": appInfo };
}

describe("dispatch", () => {
  it("finds a handler in the engine for every channel of the contract, and nothing else", () => {
    expect(Object.keys(engine.handlers).sort()).toEqual(
      [...requestChannels].sort(),
    );
  });

  it("answers app:info with name, version, ruleset and platform", async () => {
    const answer = await dispatch(engine.handlers, "app:info", undefined, log);
    expect(answer).toEqual({
      ok: true,
      data: {
        name: "Cellcert",
        version: expect.stringMatching(/^\d+\.\d+\.\d+/) as string,
        rulesetVersion: "cells-2021",
        platform: `${process.platform}-${process.arch}`,
        mode: "browser",
      },
    });
  });

  it("rejects input its schema refuses with a typed error, without calling the handler", async () => {
    const handler = vi.fn();
    const answer = await dispatch(
      handlersWith(handler),
      "app:info",
      { unexpected: true },
      log,
    );
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe("invalid-input");
    expect(answer.error.message).toMatch(/^app:info: input: /);
    expect(handler).not.toHaveBeenCalled();
  });

  it("passes a UserError's code and sentence through", async () => {
    const answer = await dispatch(
      handlersWith(() =>
        Promise.reject(
          new UserError(
            "not-found",
            "The plan file plant.cellcert.json is gone.",
          ),
        ),
      ),
      "app:info",
      undefined,
      log,
    );
    expect(answer).toEqual({
      ok: false,
      error: {
        code: "not-found",
        message: "The plan file plant.cellcert.json is gone.",
      },
    });
  });

  it("hides unexpected errors behind a sentence and logs the details", async () => {
    const errorLog = { error: vi.fn() };
    const answer = await dispatch(
      handlersWith(() => Promise.reject(new Error("socket hang up"))),
      "app:info",
      undefined,
      errorLog,
    );
    expect(answer).toEqual({
      ok: false,
      error: {
        code: "internal",
        message:
          'Cellcert could not complete "app:info"; the log has the details.',
      },
    });
    expect(errorLog.error).toHaveBeenCalledWith(
      expect.stringContaining("socket hang up"),
    );
  });

  it("refuses an answer that breaks the contract instead of passing it on", async () => {
    const broken = handlersWith(() =>
      Promise.resolve({ name: "Cellcert" } as never),
    );
    const answer = await dispatch(broken, "app:info", undefined, log);
    expect(answer.ok).toBe(false);
  });
});
