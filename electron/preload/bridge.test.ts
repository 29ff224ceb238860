import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { eventChannels, requestChannels } from "../../shared/contract/channels";
import { BRIDGE_NAME, exposeBridge, type RendererIpc } from "./bridge";

/** ipcRenderer as the bridge sees it: events from main, and the requests it was asked to send. */
class Ipc extends EventEmitter implements RendererIpc {
  readonly invoked: [channel: string, input: unknown][] = [];
  invoke(channel: string, input: unknown): Promise<unknown> {
    this.invoked.push([channel, input]);
    return Promise.resolve({ ok: true, data: channel });
  }
}

const ipc = new Ipc();
const exposed: [name: string, api: unknown][] = [];
exposeBridge(
  { exposeInMainWorld: (name, api: unknown) => exposed.push([name, api]) },
  ipc,
);
const api = exposed[0]?.[1] as Record<string, (...args: unknown[]) => unknown>;

describe("the preload's bridge", () => {
  it("exposes one frozen global: a method per request channel and `on`, nothing generic", () => {
    expect(exposed.map(([name]) => name)).toEqual([BRIDGE_NAME]);
    expect(BRIDGE_NAME).toBe("cellcert");
    expect(Object.isFrozen(api)).toBe(true);
    expect(Object.keys(api).sort()).toEqual([...requestChannels, "on"].sort());
    expect(Object.values(api).every((v) => typeof v === "function")).toBe(true);
  });

  it("sends each method's input on its own channel and hands back main's answer", async () => {
    const input = { path: "plans/gyor.cellcert.json" };
    expect(await api["plan:open"]!(input)).toEqual({
      ok: true,
      data: "plan:open",
    });
    await api["app:info"]!();
    expect(ipc.invoked).toEqual([
      ["plan:open", input],
      ["app:info", undefined],
    ]);
  });

  it("passes an event's payload alone (never Electron's event, which names the sender), until unsubscribed", () => {
    const heard: unknown[][] = [];
    const unsubscribe = api.on!("run:progress", (...args: unknown[]) =>
      heard.push(args),
    ) as () => void;
    ipc.emit("run:progress", { sender: "main" }, { judged: 3 });
    ipc.emit("plan:changed", { sender: "main" }, { revision: 2 });
    unsubscribe();
    ipc.emit("run:progress", { sender: "main" }, { judged: 4 });
    expect(heard).toEqual([[{ judged: 3 }]]);
    expect(eventChannels.map((event) => ipc.listenerCount(event))).toEqual(
      eventChannels.map(() => 0),
    );
  });

  it("refuses an event that is not in the contract, naming the known ones", () => {
    expect(() => api.on!("ipc:anything", () => undefined)).toThrow(
      'Unknown event "ipc:anything"; known: log:line, plan:changed, run:progress.',
    );
    expect(ipc.listenerCount("ipc:anything")).toBe(0);
  });
});
