// Electron's security checklist, applied to every web contents: no new windows, no navigation away,
// no permissions, no webviews; links open in the system browser only when they are https.
// What it needs of Electron is described here and handed in by main, so each decision is tested without Electron.
import { originOf } from "./protocol";

/** An event whose default (navigating, attaching) can be stopped. */
export interface Preventable {
  preventDefault(): void;
}

/** What the hardening uses of a web contents; Electron's WebContents is one. */
export interface GuardedContents {
  setWindowOpenHandler(
    handler: (details: { url: string }) => { action: "deny" },
  ): void;
  on(
    event: "will-navigate" | "will-redirect",
    listener: (event: Preventable, url: string) => void,
  ): unknown;
  on(
    event: "will-attach-webview",
    listener: (event: Preventable) => void,
  ): unknown;
}

export interface SecuritySeams {
  /** Electron's app: tells of every web contents created. */
  app: {
    on(
      event: "web-contents-created",
      listener: (event: unknown, contents: GuardedContents) => void,
    ): unknown;
  };
  /** The default session, whose permission handlers answer no. */
  session: {
    setPermissionRequestHandler(
      handler: (
        contents: unknown,
        permission: string,
        callback: (granted: boolean) => void,
      ) => void,
    ): void;
    setPermissionCheckHandler(handler: () => boolean): void;
  };
  /** Electron's shell: opens a link in the system browser. */
  shell: { openExternal(url: string): Promise<void> };
  /** The renderer's own origin, the only one a window may show. */
  trustedOrigin: string;
}

export function setupSecurity({
  app,
  session,
  shell,
  trustedOrigin,
}: SecuritySeams): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) =>
    callback(false),
  );
  session.setPermissionCheckHandler(() => false);
  app.on("web-contents-created", (_event, contents) =>
    guardContents(contents, trustedOrigin, shell),
  );
}

function guardContents(
  contents: GuardedContents,
  trustedOrigin: string,
  shell: SecuritySeams["shell"],
): void {
  const stayHome = (event: Preventable, url: string): void => {
    if (originOf(url) !== trustedOrigin) event.preventDefault();
  };
  contents.setWindowOpenHandler(({ url }) => {
    if (protocolOf(url) === "https:") void shell.openExternal(url);
    return { action: "deny" };
  });
  contents.on("will-navigate", stayHome);
  contents.on("will-redirect", stayHome);
  contents.on("will-attach-webview", (event) => event.preventDefault());
}

function protocolOf(url: string): string | null {
  try {
    return new URL(url).protocol;
  } catch {
    return null;
  }
}
