// Registers one IPC handler per contract channel. Only our window's main frame, showing our own page,
// may call; every input is parsed by the engine's dispatch before a handler sees it. Electron's ipcMain and the
// window are handed in (described here by what is used of them), so the checks are tested without Electron.
import { requestChannels, type Envelope } from "../../shared/contract/channels";
import { dispatch } from "../engine/api/dispatch";
import type { Engine } from "../engine/engine";
import { originOf } from "./protocol";

/** What a request tells of its sender; Electron's IpcMainInvokeEvent is one. */
export interface InvokeEvent {
  readonly sender: unknown;
  readonly senderFrame: {
    readonly url: string;
    readonly parent: unknown;
  } | null;
}

/** Electron's ipcMain, as far as the contract uses it. */
export interface IpcRegistry {
  handle(
    channel: string,
    listener: (
      event: InvokeEvent,
      input: unknown,
    ) => Promise<Envelope<unknown>>,
  ): void;
}

/** The application window, as far as the contract uses it; Electron's BrowserWindow is one. */
export interface ContractWindow {
  isDestroyed(): boolean;
  readonly webContents: { send(channel: string, payload: unknown): void };
}

export function setupIpc(
  ipcMain: IpcRegistry,
  engine: Pick<Engine, "handlers" | "context">,
  currentWindow: () => ContractWindow | null,
  trustedOrigin: string,
): void {
  const { events, log } = engine.context;
  for (const channel of requestChannels) {
    ipcMain.handle(
      channel,
      async (event, input): Promise<Envelope<unknown>> => {
        if (!isTrustedSender(event, currentWindow(), trustedOrigin)) {
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

/** Our window's own web contents, its main frame (no subframe), showing a page of our own origin. */
export function isTrustedSender(
  event: InvokeEvent,
  window: ContractWindow | null,
  trustedOrigin: string,
): boolean {
  const frame = event.senderFrame;
  if (window === null || window.isDestroyed() || frame === null) return false;
  if (event.sender !== window.webContents || frame.parent !== null)
    return false;
  return originOf(frame.url) === trustedOrigin;
}
