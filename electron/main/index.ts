// Electron main: the composition root. Each feature sets itself up with one call; nothing else lives here.
import { app, type BrowserWindow } from "electron";
import { createHandlers } from "../engine/api/handlers";
import { createEventHub } from "../engine/events";
import { createLogger } from "../engine/log";
import { setupIpc } from "./ipc";
import { setupMenu } from "./menu";
import { registerRendererScheme, setupRendererProtocol } from "./protocol";
import { setupSecurity } from "./security";
import { createMainWindow } from "./window";

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerRendererScheme();
  const events = createEventHub();
  const log = createLogger(events, {
    echo: (line) => console.log(`[${line.level}] ${line.message}`),
  });
  const handlers = createHandlers({ mode: "desktop", events, log });
  let mainWindow: BrowserWindow | null = null;

  app.on("second-instance", () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on("window-all-closed", () => app.quit());

  void app.whenReady().then(() => {
    setupSecurity();
    setupRendererProtocol();
    mainWindow = createMainWindow();
    setupIpc(handlers, events, log, () => mainWindow);
    setupMenu(() => mainWindow);
    mainWindow.on("closed", () => {
      mainWindow = null;
    });
  });
}
