// The one application window. Its webPreferences are written out literally so reviewers and scanners see them.
import { BrowserWindow } from "electron";
import { join } from "node:path";
import { PRODUCT_NAME } from "../../shared/product";
import { rendererEntryUrl } from "./protocol";

export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: "#10161f",
    webPreferences: {
      preload: join(import.meta.dirname, "../preload/index.cjs"),
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
    },
  });
  window.once("ready-to-show", () => window.show());
  void window.loadURL(rendererEntryUrl());
  return window;
}
