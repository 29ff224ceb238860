// Serves the built renderer from app://cellcert/ instead of file://, with the CSP as a response header.
// Electron's protocol and net are handed in (types only here), so the serving is tested without Electron.
import type { Net, Protocol } from "electron";
import { extname } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CONTENT_TYPES,
  RENDERER_SECURITY_HEADERS,
  resolveRendererFile,
} from "../engine/renderer-files";

const SCHEME = "app";
const HOST = "cellcert";
export const RENDERER_ORIGIN = `${SCHEME}://${HOST}`;

/** Must run before the app is ready. */
export function registerRendererScheme(
  protocol: Pick<Protocol, "registerSchemesAsPrivileged">,
): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

/** Answers app://cellcert/… from the renderer folder, each file with the security headers; 404 for anything else. */
export function setupRendererProtocol(
  protocol: Pick<Protocol, "handle">,
  net: Pick<Net, "fetch">,
  rendererDir: string,
): void {
  protocol.handle(SCHEME, async (request) => {
    const url = new URL(request.url);
    const file =
      url.host === HOST ? resolveRendererFile(rendererDir, url.pathname) : null;
    if (file === null) return new Response("Not found", { status: 404 });
    const answer = await net.fetch(pathToFileURL(file).toString());
    if (!answer.ok) return new Response("Not found", { status: 404 });
    const headers = new Headers(RENDERER_SECURITY_HEADERS);
    headers.set(
      "Content-Type",
      CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    );
    return new Response(answer.body, { status: 200, headers });
  });
}

export interface RendererEntry {
  /** What the window loads. */
  url: string;
  /** The only origin whose main frame may call the contract or navigate. */
  origin: string;
}

/** The dev server's address during `electron-vite dev` (never in the packaged app), the bundled files otherwise. */
export function rendererEntry(
  isPackaged: boolean,
  devServer: string | undefined,
): RendererEntry {
  const url =
    !isPackaged && devServer !== undefined
      ? devServer
      : `${RENDERER_ORIGIN}/index.html`;
  return { url, origin: originOf(url) ?? url };
}

/**
 * A URL's scheme, host and port, as "app://cellcert" or "http://127.0.0.1:5173"; null when it is no URL. Not
 * `URL.origin`: Node knows nothing of the schemes registered with Chromium, so for app:// (as for file: and data:)
 * it answers the opaque "null", which would make every such page look like ours.
 */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return null;
  }
}
