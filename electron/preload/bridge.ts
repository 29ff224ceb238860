// The bridge: one method per request channel and `on` for events, derived from the channel list.
// Nothing generic: no ipcRenderer, no invoke(string), no process.env reaches the page. Electron's contextBridge
// and ipcRenderer are handed in by index.ts (types only here), so the exposed surface is tested without Electron.
import type { ContextBridge } from "electron";
import {
  eventChannels,
  isEventChannel,
  requestChannels,
  type EventChannel,
} from "../../shared/contract/channels";

/** The name of the one global the page sees. */
export const BRIDGE_NAME = "cellcert";

/** Electron's ipcRenderer, as far as the bridge uses it. */
export interface RendererIpc {
  invoke(channel: string, input: unknown): Promise<unknown>;
  on(
    channel: string,
    listener: (event: unknown, payload: unknown) => void,
  ): unknown;
  removeListener(
    channel: string,
    listener: (event: unknown, payload: unknown) => void,
  ): unknown;
}

export function exposeBridge(
  contextBridge: Pick<ContextBridge, "exposeInMainWorld">,
  ipcRenderer: RendererIpc,
): void {
  const methods = Object.fromEntries(
    requestChannels.map((channel) => [
      channel,
      (input?: unknown) => ipcRenderer.invoke(channel, input),
    ]),
  );
  // The payload alone reaches the page: never Electron's event, which carries the sender.
  const on = (
    event: EventChannel,
    callback: (payload: unknown) => void,
  ): (() => void) => {
    if (!isEventChannel(event))
      throw new Error(
        `Unknown event "${String(event)}"; known: ${eventChannels.join(", ")}.`,
      );
    const listener = (_event: unknown, payload: unknown): void =>
      callback(payload);
    ipcRenderer.on(event, listener);
    return () => {
      ipcRenderer.removeListener(event, listener);
    };
  };
  contextBridge.exposeInMainWorld(
    BRIDGE_NAME,
    Object.freeze({ ...methods, on }),
  );
}
