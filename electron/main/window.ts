// The one application window. Its webPreferences are written out literally so reviewers and scanners see them.
import type { BrowserWindowConstructorOptions } from "electron";
import { PRODUCT_NAME } from "../../shared/product";

export function mainWindowOptions(
  preload: string,
): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: "#10161f",
    webPreferences: {
      preload,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // A middle click opens no new window behind the window-open handler's back.
      disableBlinkFeatures: "Auxclick",
    },
  };
}

/** What the app does with its window at start; Electron's BrowserWindow is one. */
export interface StartingWindow {
  once(event: "ready-to-show", listener: () => void): unknown;
  show(): void;
  loadURL(url: string): Promise<void>;
}

/** Opens the window (Electron's BrowserWindow class, handed in by main) on the renderer, shown once it has drawn. */
export function createMainWindow<W extends StartingWindow>(
  WindowClass: new (options: BrowserWindowConstructorOptions) => W,
  preload: string,
  entryUrl: string,
): W {
  const window = new WindowClass(mainWindowOptions(preload));
  window.once("ready-to-show", () => window.show());
  void window.loadURL(entryUrl);
  return window;
}
