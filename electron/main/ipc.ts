// Registers one IPC handler per contract channel. Only our window's main frame, showing our own page,
// may call; every input is parsed by the engine's dispatch before a handler sees it.
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from "electron";
import { requestChannels, type Envelope } from "../../shared/contract/channels";
import { dispatch } from "../engine/api/dispatch";
import type { Engine } from "../engine/engine";
import { trustedRendererOrigin } from "./protocol";

export function setupIpc(
  engine: Engine,
  currentWindow: () => BrowserWindow | null,
): void {
  const { events, log } = engine.context;
  for (const channel of requestChannels) {
    ipcMain.handle(
      channel,
      async (event, input: unknown): Promise<Envelope<unknown>> => {
        if (!isTrustedSender(event, currentWindow())) {
          log.warn(
            `Refused "${channel}" from a frame that is not Cellcert's own window.`,
          );
          return {
            ok: false,
            error: {
              code: "forbidden",
              message: "Only Cellcert's own window may make this request.",
            },
          };
        }
        return dispatch(engine.handlers, channel, input, log);
      },
    );
  }
  events.subscribe((event, payload) => {
    const window = currentWindow();
    if (window !== null && !window.isDestroyed())
      window.webContents.send(event, payload);
  });
}

export function isTrustedSender(
  event: IpcMainInvokeEvent,
  window: BrowserWindow | null,
): boolean {
  const frame = event.senderFrame;
  if (window === null || window.isDestroyed() || frame === null) return false;
  if (event.sender !== window.webContents || frame.parent !== null)
    return false;
  try {
    return new URL(frame.url).origin === trustedRendererOrigin();
  } catch {
    return false;
  }
}
