import { afterAll, describe, expect, it } from "vitest";
import { requestChannels } from "../../shared/contract/channels";
import { createTestEngine } from "../../test/support/engine";
import {
  setupIpc,
  type ContractWindow,
  type InvokeEvent,
  type IpcRegistry,
} from "./ipc";

const ORIGIN = "app://cellcert";
const engine = createTestEngine();
afterAll(() => engine.shutdown());

const handlers = new Map<string, Parameters<IpcRegistry["handle"]>[1]>();
const sent: [channel: string, payload: unknown][] = [];
let destroyed = false;
const window: ContractWindow = {
  isDestroyed: () => destroyed,
  webContents: { send: (channel, payload) => sent.push([channel, payload]) },
};
let current: ContractWindow | null = window;
setupIpc(
  { handle: (channel, listener) => handlers.set(channel, listener) },
  engine,
  () => current,
  ORIGIN,
);

const ours: InvokeEvent = {
  sender: window.webContents,
  senderFrame: { url: `${ORIGIN}/index.html#/walk`, parent: null },
};
/** Our window's web contents, showing this URL in a frame (the main frame when it has no parent). */
function shown(url: string, parent: unknown = null): InvokeEvent {
  return { sender: window.webContents, senderFrame: { url, parent } };
}
const call = (event: InvokeEvent, channel = "app:info", input?: unknown) =>
  handlers.get(channel)!(event, input);
const FORBIDDEN = {
  ok: false,
  error: {
    code: "forbidden",
    message: "Only Cellcert's own window may make this request.",
  },
};

describe("the IPC handlers", () => {
  it("are one per contract channel", () => {
    expect([...handlers.keys()]).toEqual([...requestChannels]);
  });

  it("answer our window's main frame, showing our page, through the engine's dispatch", async () => {
    expect(await call(ours)).toMatchObject({
      ok: true,
      data: { name: "Cellcert", mode: "browser" },
    });
    // Inputs are parsed by the channel's schema before a handler sees them.
    expect(
      await call(ours, "plan:open", { path: "/etc/passwd" }),
    ).toMatchObject({ ok: false, error: { code: "invalid-input" } });
  });

  it.each<[who: string, event: InvokeEvent]>([
    [
      "another web contents",
      { sender: { id: 2 }, senderFrame: ours.senderFrame },
    ],
    ["a subframe of our window", shown(`${ORIGIN}/index.html`, {})],
    ["a frame already gone", { sender: ours.sender, senderFrame: null }],
    ["another app:// host", shown("app://elsewhere/index.html")],
    [
      "a file: page (its URL.origin is the same opaque 'null' as app://)",
      shown("file:///etc/passwd"),
    ],
    ["a data: page", shown("data:text/html,<p>hi</p>")],
    ["a web page", shown("https://cellcert/index.html")],
  ])("refuse %s, and say so in the log", async (_who, event) => {
    sent.length = 0;
    expect(await call(event)).toEqual(FORBIDDEN);
    expect(sent).toEqual([
      [
        "log:line",
        expect.objectContaining({
          level: "warn",
          message: `Refused "app:info" from a frame that is not Cellcert's own window.`,
        }),
      ],
    ]);
  });

  it("refuse every caller while the window is closed or destroyed, and send it nothing", async () => {
    sent.length = 0;
    destroyed = true;
    expect(await call(ours)).toEqual(FORBIDDEN);
    destroyed = false;
    current = null;
    expect(await call(ours)).toEqual(FORBIDDEN);
    current = window;
    expect(sent).toEqual([]);
  });

  it("forward the engine's events to the window", () => {
    sent.length = 0;
    const line = {
      level: "info" as const,
      message: "Run started.",
      time: "2026-05-04T10:00:00.000Z",
    };
    engine.context.events.emit("log:line", line);
    expect(sent).toEqual([["log:line", line]]);
  });
});
