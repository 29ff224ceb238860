import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Protocol } from "electron";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../engine/renderer-files";
import {
  originOf,
  registerRendererScheme,
  rendererEntry,
  setupRendererProtocol,
} from "./protocol";

// A built renderer, and a file beside it that app:// must never reach.
const root = mkdtempSync(join(tmpdir(), "cellcert-protocol-"));
const rendererDir = join(root, "renderer");
mkdirSync(join(rendererDir, "assets"), { recursive: true });
writeFileSync(
  join(rendererDir, "index.html"),
  "<!doctype html><title>Cellcert</title>",
);
writeFileSync(join(rendererDir, "assets", "index.js"), "export {};");
writeFileSync(join(root, "secret.txt"), "not for the page");

type Handler = Parameters<Protocol["handle"]>[1];
let handler: Handler | null = null;
let handledScheme = "";
const fetched: string[] = [];
setupRendererProtocol(
  {
    handle: (scheme, given) => {
      handledScheme = scheme;
      handler = given;
    },
  },
  {
    // Electron's net.fetch reads file: URLs; here the file system does.
    fetch: (input) => {
      const url = typeof input === "string" ? input : input.url;
      fetched.push(url);
      try {
        return Promise.resolve(new Response(readFileSync(fileURLToPath(url))));
      } catch {
        return Promise.resolve(new Response(null, { status: 404 }));
      }
    },
  },
  rendererDir,
);
const get = async (url: string) => handler!(new Request(url));

describe("the app:// protocol", () => {
  it("is registered as a standard, secure scheme that fetch may use", () => {
    const registered: unknown[] = [];
    registerRendererScheme({
      registerSchemesAsPrivileged: (schemes) => registered.push(...schemes),
    });
    expect(registered).toEqual([
      {
        scheme: "app",
        privileges: { standard: true, secure: true, supportFetchAPI: true },
      },
    ]);
    expect(handledScheme).toBe("app");
  });

  it("serves the renderer's files with the CSP and the other security headers", async () => {
    const page = await get("app://cellcert/");
    expect(page.status).toBe(200);
    expect(await page.text()).toBe("<!doctype html><title>Cellcert</title>");
    expect(Object.fromEntries(page.headers)).toMatchObject({
      "content-security-policy": CONTENT_SECURITY_POLICY,
      "content-type": "text/html; charset=utf-8",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
      "cross-origin-opener-policy": "same-origin",
    });
    const script = await get("app://cellcert/assets/index.js");
    expect(script.headers.get("content-type")).toBe(
      "text/javascript; charset=utf-8",
    );
    expect(script.headers.get("content-security-policy")).toBe(
      CONTENT_SECURITY_POLICY,
    );
  });

  it.each([
    ["another host", "app://elsewhere/index.html"],
    ["a path that climbs out", "app://cellcert/..%2fsecret.txt"],
    ["a NUL in the path", "app://cellcert/index.html%00.js"],
    ["a file that is not there", "app://cellcert/assets/missing.js"],
  ])(
    "answers 404 for %s, reading nothing outside the renderer",
    async (_what, url) => {
      fetched.length = 0;
      const answer = await get(url);
      expect(answer.status).toBe(404);
      expect(
        fetched.every((file) => file.startsWith(`file://${rendererDir}/`)),
      ).toBe(true);
    },
  );
});

describe("the renderer's entry", () => {
  it("is app://cellcert/ in the packaged app, even when a dev server is named", () => {
    const bundled = {
      url: "app://cellcert/index.html",
      origin: "app://cellcert",
    };
    expect(rendererEntry(true, undefined)).toEqual(bundled);
    expect(rendererEntry(true, "http://localhost:5173/")).toEqual(bundled);
    expect(rendererEntry(false, undefined)).toEqual(bundled);
  });

  it("is the dev server's address while developing", () => {
    expect(rendererEntry(false, "http://localhost:5173/")).toEqual({
      url: "http://localhost:5173/",
      origin: "http://localhost:5173",
    });
  });

  it("has an origin that tells app:// hosts from each other and from file: and data: pages", () => {
    expect(
      [
        "app://cellcert/index.html#/walk",
        "app://elsewhere/",
        "file:///etc/passwd",
        "data:text/html,hi",
        "https://mes01.plant.local:8443/x",
        "nonsense",
      ].map(originOf),
    ).toEqual([
      "app://cellcert",
      "app://elsewhere",
      "file://",
      "data://",
      "https://mes01.plant.local:8443",
      null,
    ]);
  });
});
