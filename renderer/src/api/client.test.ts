import { describe, expect, it, vi } from "vitest";
import type { Envelope } from "../../../shared/contract/channels";
import { ApiCallError, createApiClient, type Transport } from "./client";

const info = {
  name: "Cellcert",
  version: "0.1.0",
  rulesetVersion: "cells-2021",
  platform: "linux-x64",
  mode: "browser",
};

function transportAnswering(envelope: Envelope<unknown>): Transport {
  return {
    request: vi.fn(() => Promise.resolve(envelope)),
    subscribe: vi.fn(() => () => undefined),
  };
}

describe("the renderer client", () => {
  it("has one method per channel and returns parsed data", async () => {
    const transport = transportAnswering({
      ok: true,
      data: { ...info, extra: "dropped" },
    });
    const api = createApiClient(transport);
    expect(await api["app:info"]()).toEqual(info);
    expect(transport.request).toHaveBeenCalledWith("app:info", undefined);
  });

  it("throws an ApiCallError carrying the code and the sentence", async () => {
    const api = createApiClient(
      transportAnswering({
        ok: false,
        error: { code: "forbidden", message: "Not from here." },
      }),
    );
    await expect(api["app:info"]()).rejects.toEqual(
      new ApiCallError("forbidden", "Not from here."),
    );
  });

  it("refuses an answer that breaks the contract", async () => {
    const api = createApiClient(
      transportAnswering({ ok: true, data: { name: "Cellcert" } }),
    );
    await expect(api["app:info"]()).rejects.toThrow();
  });

  it("delivers parsed events to subscribers", () => {
    let deliver: (payload: unknown) => void = () => undefined;
    const transport: Transport = {
      request: vi.fn(),
      subscribe: (_event, callback) => {
        deliver = callback;
        return () => undefined;
      },
    };
    const lines: string[] = [];
    createApiClient(transport).on("log:line", (line) =>
      lines.push(line.message),
    );
    deliver({
      level: "warn",
      message: "Stop pressed.",
      time: "2026-11-25T10:00:00.000Z",
    });
    expect(lines).toEqual(["Stop pressed."]);
    expect(() => deliver({ level: "loud" })).toThrow();
  });
});
