// Electron main: the composition root. Each feature sets itself up with one call, handed the Electron objects it
// works on; nothing else lives here.
import {
  app,
  BrowserWindow,
  ipcMain,
  net,
  protocol,
  session,
  shell,
} from "electron";
import { join } from "node:path";
import { createEngine } from "../engine/engine";
import { practiceLauncher } from "../engine/practice/launcher";
import { fileKeychain } from "../engine/secrets/keychain-file";
import { workerVerifier } from "../engine/signing/verifier";
import { desktopFiles } from "./files";
import { setupIpc } from "./ipc";
import { utilityPracticeProcess } from "./practice";
import { safeStorageEncryption } from "./keychain";
import { setupMenu } from "./menu";
import { desktopPlanLocations } from "./plan-dialogs";
import {
  registerRendererScheme,
  rendererEntry,
  setupRendererProtocol,
} from "./protocol";
import { setupSecurity } from "./security";
import { createMainWindow } from "./window";

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerRendererScheme(protocol);
  const renderer = rendererEntry(
    app.isPackaged,
    process.env.ELECTRON_RENDERER_URL,
  );
  let mainWindow: BrowserWindow | null = null;
  const currentWindow = (): BrowserWindow | null => mainWindow;
  const userData = app.getPath("userData");
  const engine = createEngine({
    mode: "desktop",
    locations: desktopPlanLocations(currentWindow),
    recentFile: join(userData, "recent-plans.json"),
    resourcesDir: app.isPackaged
      ? process.resourcesPath
      : join(app.getAppPath(), "resources"),
    env: process.env,
    keychain: fileKeychain(
      join(userData, "keychain.json"),
      safeStorageEncryption,
    ),
    files: desktopFiles(currentWindow),
    practice: {
      launcher: practiceLauncher(
        utilityPracticeProcess(join(import.meta.dirname, "practice-plant.js")),
      ),
      dir: join(userData, "practice"),
    },
    // Certificates are checked in a worker thread, so a hostile file cannot stall main (and with it the window).
    verifier: workerVerifier(join(import.meta.dirname, "verify-worker.js")),
    echo: (line) => console.log(`[${line.level}] ${line.message}`),
  });

  app.on("second-instance", () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on("window-all-closed", () => app.quit());

  // Nothing unsaved is lost: the pending autosave is written before the app ends.
  let flushed = false;
  app.on("before-quit", (event) => {
    if (flushed) return;
    event.preventDefault();
    void engine.shutdown().finally(() => {
      flushed = true;
      app.quit();
    });
  });

  void app.whenReady().then(() => {
    setupSecurity({
      app,
      session: session.defaultSession,
      shell,
      trustedOrigin: renderer.origin,
    });
    setupRendererProtocol(
      protocol,
      net,
      join(import.meta.dirname, "../renderer"),
    );
    mainWindow = createMainWindow(
      BrowserWindow,
      join(import.meta.dirname, "../preload/index.cjs"),
      renderer.url,
    );
    setupIpc(ipcMain, engine, currentWindow, renderer.origin);
    setupMenu(currentWindow);
    mainWindow.on("closed", () => {
      mainWindow = null;
    });
  });
}
