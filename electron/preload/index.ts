// The bridge: one method per request channel and `on` for events, derived from the channel list.
// Nothing generic: no ipcRenderer, no invoke(string), no process.env reaches the page.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from "electron";
import {
  eventChannels,
  isEventChannel,
  requestChannels,
  type EventChannel,
} from "../../shared/contract/channels";

const methods = Object.fromEntries(
  requestChannels.map((channel) => [
    channel,
    (input?: unknown) => ipcRenderer.invoke(channel, input),
  ]),
);

function on(
  event: EventChannel,
  callback: (payload: unknown) => void,
): () => void {
  if (!isEventChannel(event))
    throw new Error(
      `Unknown event "${String(event)}"; known: ${eventChannels.join(", ")}.`,
    );
  const listener = (_event: IpcRendererEvent, payload: unknown): void =>
    callback(payload);
  ipcRenderer.on(event, listener);
  return () => {
    ipcRenderer.removeListener(event, listener);
  };
}

contextBridge.exposeInMainWorld("cellcert", Object.freeze({ ...methods, on }));
