// Serves the built renderer from app://cellcert/ instead of file://, with the CSP as a response header.
import { app, net, protocol } from "electron";
import { extname, join } from "node:path";
import { pathToFileURL } from "node:url";
import {
  CONTENT_TYPES,
  RENDERER_SECURITY_HEADERS,
  resolveRendererFile,
} from "../engine/renderer-files";

const SCHEME = "app";
const HOST = "cellcert";
export const RENDERER_ORIGIN = `${SCHEME}://${HOST}`;

const rendererDir = join(import.meta.dirname, "../renderer");

/** Must run before the app is ready. */
export function registerRendererScheme(): void {
  protocol.registerSchemesAsPrivileged([
    {
      scheme: SCHEME,
      privileges: { standard: true, secure: true, supportFetchAPI: true },
    },
  ]);
}

export function setupRendererProtocol(): void {
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

/** The dev server's address during `electron-vite dev`, the bundled files otherwise. */
export function rendererEntryUrl(): string {
  const devServer = process.env.ELECTRON_RENDERER_URL;
  return !app.isPackaged && devServer !== undefined
    ? devServer
    : `${RENDERER_ORIGIN}/index.html`;
}

/** The only origin whose main frame may call the contract or navigate. */
export function trustedRendererOrigin(): string {
  return new URL(rendererEntryUrl()).origin;
}
