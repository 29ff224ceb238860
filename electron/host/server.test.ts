import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rawRequest } from "../../test/support/http";
import { createTestEngine } from "../../test/support/engine";
import {
  MAX_REQUEST_BYTES,
  startBrowserHost,
  type BrowserHost,
} from "./server";

const rendererDir = mkdtempSync(join(tmpdir(), "cellcert-renderer-"));
writeFileSync(
  join(rendererDir, "index.html"),
  "<!doctype html><title>Cellcert</title>",
);
const engine = createTestEngine();
const { events, log } = engine.context;
const handlers = engine.handlers;
let host: BrowserHost;

beforeAll(async () => {
  host = await startBrowserHost({ rendererDir, handlers, events, log });
});
afterAll(() => host.close());

const api = (
  channel: string,
  headers: Record<string, string> = {},
  body = "",
) =>
  rawRequest(host.port, {
    method: "POST",
    path: `/api/${channel}`,
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${host.token}`,
      ...headers,
    },
    body,
  });

describe("the browser host", () => {
  it("prints an address on 127.0.0.1 with a random port and the token in the fragment", () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
    expect(host.port).toBeGreaterThan(0);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("serves static files without the token, with the CSP", async () => {
    const answer = await rawRequest(host.port, { path: "/" });
    expect(answer.status).toBe(200);
    expect(answer.body).toContain("<title>Cellcert</title>");
    expect(answer.headers["content-security-policy"]).toContain(
      "script-src 'self'",
    );
    expect(answer.headers["content-security-policy"]).not.toContain(
      "unsafe-eval",
    );
  });

  it("answers an API call that carries the token", async () => {
    const answer = await api("app:info");
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: true,
      data: { name: "Cellcert", mode: "browser" },
    });
  });

  it("answers 401 without the token, or with a wrong one", async () => {
    expect((await api("app:info", { authorization: "" })).status).toBe(401);
    expect(
      (await api("app:info", { authorization: "Bearer not-the-token" })).status,
    ).toBe(401);
    const answer = await api("app:info", {
      authorization: `Bearer ${host.token}x`,
    });
    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: "unauthorized" },
    });
  });

  it("refuses a foreign Host header, on static files and API calls alike", async () => {
    for (const hostHeader of [
      "attacker.example",
      `attacker.example:${host.port}`,
      `127.0.0.1:${host.port + 1}`,
      "127.0.0.1",
    ]) {
      expect(
        (
          await rawRequest(host.port, {
            path: "/",
            headers: { host: hostHeader },
          })
        ).status,
      ).toBe(403);
      expect((await api("app:info", { host: hostHeader })).status).toBe(403);
    }
    expect(
      (
        await rawRequest(host.port, {
          path: "/",
          headers: { host: `localhost:${host.port}` },
        })
      ).status,
    ).toBe(200);
  });

  it("refuses requests from another origin even with the token", async () => {
    expect(
      (await api("app:info", { origin: "http://attacker.example" })).status,
    ).toBe(403);
    expect(
      (await api("app:info", { origin: `http://127.0.0.1:${host.port}` }))
        .status,
    ).toBe(200);
  });

  it("refuses to bind anywhere but 127.0.0.1, before opening a socket", async () => {
    for (const bindAddress of ["0.0.0.0", "::", "::1", "127.0.0.2"]) {
      await expect(
        startBrowserHost({ bindAddress, rendererDir, handlers, events, log }),
      ).rejects.toThrow(/listens on 127\.0\.0\.1 only/);
    }
  });

  it("knows only the contract channels, by POST, as JSON", async () => {
    expect((await api("app:nothing")).status).toBe(404);
    expect(
      (
        await rawRequest(host.port, {
          path: "/api/app:info",
          headers: { authorization: `Bearer ${host.token}` },
        })
      ).status,
    ).toBe(405);
    expect(
      (await api("app:info", { "content-type": "text/plain" })).status,
    ).toBe(415);
    const badJson = await api("app:info", {}, "{not json");
    expect(badJson.status).toBe(400);
    expect(JSON.parse(badJson.body)).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
  });

  it("answers schema violations with a typed error", async () => {
    const answer = await api("app:info", {}, JSON.stringify({ surprise: 1 }));
    expect(JSON.parse(answer.body)).toMatchObject({
      ok: false,
      error: { code: "invalid-input" },
    });
  });

  it("refuses a body above the limit", async () => {
    const answer = await api("app:info", {
      "content-length": String(MAX_REQUEST_BYTES + 1),
    });
    expect(answer.status).toBe(413);
  });

  it("never serves files outside the renderer folder", async () => {
    for (const path of [
      "/%2e%2e/%2e%2e/etc/passwd",
      "/..%2fpackage.json",
      "/%00",
      "/missing.js",
    ]) {
      expect((await rawRequest(host.port, { path })).status).toBe(404);
    }
  });

  it("streams events to a client holding the token, and only to it", async () => {
    expect((await rawRequest(host.port, { path: "/api/events" })).status).toBe(
      401,
    );
    const controller = new AbortController();
    const response = await fetch(
      `http://127.0.0.1:${host.port}/api/events?token=${host.token}`,
      { signal: controller.signal },
    );
    expect(response.headers.get("content-type")).toMatch(/^text\/event-stream/);
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    log.warn("The perimeter vantage has no address in 10.20.0.0/24.");
    let text = "";
    while (!text.includes("event: log:line")) {
      const chunk = await reader.read();
      if (chunk.done) break;
      text += new TextDecoder().decode(chunk.value);
    }
    controller.abort();
    expect(text).toContain("event: log:line");
    expect(text).toContain(
      "The perimeter vantage has no address in 10.20.0.0/24.",
    );
  });
});
