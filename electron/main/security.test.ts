import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import {
  setupSecurity,
  type GuardedContents,
  type SecuritySeams,
} from "./security";

type OpenHandler = Parameters<GuardedContents["setWindowOpenHandler"]>[0];
type RequestHandler = Parameters<
  SecuritySeams["session"]["setPermissionRequestHandler"]
>[0];

/** A web contents as the hardening sees it: events, and the window-open handler it was given. */
class Contents extends EventEmitter {
  openHandler: OpenHandler | null = null;
  setWindowOpenHandler(handler: OpenHandler): void {
    this.openHandler = handler;
  }
  /** Whether the default of the event (navigating, attaching) was stopped. */
  prevented(event: string, ...args: unknown[]): boolean {
    let stopped = false;
    this.emit(event, { preventDefault: () => (stopped = true) }, ...args);
    return stopped;
  }
}

const app = new EventEmitter();
const opened: string[] = [];
let requestHandler: RequestHandler | null = null;
let checkHandler: (() => boolean) | null = null;
setupSecurity({
  app,
  session: {
    setPermissionRequestHandler: (handler) => (requestHandler = handler),
    setPermissionCheckHandler: (handler) => (checkHandler = handler),
  },
  shell: {
    openExternal: (url) => {
      opened.push(url);
      return Promise.resolve();
    },
  },
  trustedOrigin: "app://cellcert",
});
const contents = new Contents();
app.emit("web-contents-created", {}, contents);

describe("every web contents", () => {
  it.each<[url: string, stays: boolean]>([
    ["app://cellcert/index.html#/walk", true],
    ["app://cellcert/verify.html", true],
    ["app://elsewhere/index.html", false],
    ["file:///etc/passwd", false],
    ["data:text/html,<p>hi</p>", false],
    ["javascript:alert(1)", false],
    ["https://mes01.plant.local/", false],
    ["http://127.0.0.1:5173/", false],
    ["not a url", false],
  ])("may navigate or be redirected to %s: %s", (url, stays) => {
    expect(contents.prevented("will-navigate", url)).toBe(!stays);
    expect(contents.prevented("will-redirect", url)).toBe(!stays);
  });

  it("opens no window; an https link goes to the system browser, nothing else does", () => {
    const links = [
      "https://docs.plant.local/commissioning",
      "http://docs.plant.local/",
      "file:///etc/passwd",
      "javascript:alert(1)",
      "app://cellcert/index.html",
      "not a url",
    ];
    for (const url of links)
      expect(contents.openHandler!({ url })).toEqual({ action: "deny" });
    expect(opened).toEqual(["https://docs.plant.local/commissioning"]);
  });

  it("attaches no webview", () => {
    expect(contents.prevented("will-attach-webview")).toBe(true);
  });

  it("is granted no permission, asked or checked", () => {
    const answers: boolean[] = [];
    for (const permission of ["media", "notifications", "clipboard-read"])
      requestHandler!(contents, permission, (granted) => answers.push(granted));
    expect(answers).toEqual([false, false, false]);
    expect(checkHandler!()).toBe(false);
  });

  it("is guarded from the moment it is created, each one", () => {
    const later = new Contents();
    app.emit("web-contents-created", {}, later);
    expect(later.openHandler).not.toBeNull();
    expect(later.prevented("will-navigate", "https://mes01.plant.local/")).toBe(
      true,
    );
  });
});
