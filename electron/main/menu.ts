// The application menu: the usual roles and an About box with the version and the ruleset.
import {
  app,
  dialog,
  Menu,
  type BrowserWindow,
  type MenuItemConstructorOptions,
} from "electron";
import { appInfo } from "../engine/about";

export function setupMenu(currentWindow: () => BrowserWindow | null): void {
  const showAbout = (): void => {
    const info = appInfo("desktop");
    const options = {
      type: "info" as const,
      title: `About ${info.name}`,
      message: `${info.name} ${info.version}`,
      detail: `Ruleset ${info.rulesetVersion}\nElectron ${process.versions.electron} · Node ${process.versions.node}\n${info.platform}`,
      buttons: ["OK"],
    };
    const window = currentWindow();
    void (window === null
      ? dialog.showMessageBox(options)
      : dialog.showMessageBox(window, options));
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === "darwin" ? [{ role: "appMenu" as const }] : []),
    { role: "fileMenu" },
    { role: "editMenu" },
    {
      label: "View",
      submenu: [
        { role: "resetZoom" },
        { role: "zoomIn" },
        { role: "zoomOut" },
        { type: "separator" },
        { role: "togglefullscreen" },
        ...(app.isPackaged
          ? []
          : [
              { type: "separator" as const },
              { role: "toggleDevTools" as const },
            ]),
      ],
    },
    { role: "windowMenu" },
    {
      role: "help",
      submenu: [{ label: `About ${app.getName()}`, click: showAbout }],
    },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
