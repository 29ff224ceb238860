// Electron's security checklist, applied to every web contents: no new windows, no navigation away,
// no permissions, no webviews; links open in the system browser only when they are https.
import { app, session, shell } from "electron";
import { trustedRendererOrigin } from "./protocol";

export function setupSecurity(): void {
  session.defaultSession.setPermissionRequestHandler(
    (_contents, _permission, callback) => callback(false),
  );
  session.defaultSession.setPermissionCheckHandler(() => false);

  app.on("web-contents-created", (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openExternalIfHttps(url);
      return { action: "deny" };
    });
    contents.on("will-navigate", (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on("will-redirect", (event, url) => {
      if (!isTrustedUrl(url)) event.preventDefault();
    });
    contents.on("will-attach-webview", (event) => event.preventDefault());
  });
}

export function openExternalIfHttps(url: string): void {
  if (safeProtocol(url) === "https:") void shell.openExternal(url);
}

function isTrustedUrl(url: string): boolean {
  try {
    return new URL(url).origin === trustedRendererOrigin();
  } catch {
    return false;
  }
}

function safeProtocol(url: string): string | null {
  try {
    return new URL(url).protocol;
  } catch {
    return null;
  }
}
