// Serves the built renderer. No token needed for these files; the Host header is still checked by the caller.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { IncomingMessage, ServerResponse } from "node:http";
import { extname } from "node:path";
import {
  CONTENT_TYPES,
  RENDERER_SECURITY_HEADERS,
  resolveRendererFile,
} from "../engine/renderer-files";

export async function serveStatic(
  rendererDir: string,
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD") {
    response.writeHead(405, { Allow: "GET, HEAD" }).end();
    return;
  }
  const file = resolveRendererFile(rendererDir, pathname);
  const info = file === null ? null : await stat(file).catch(() => null);
  if (file === null || info === null || !info.isFile()) {
    response
      .writeHead(404, { "Content-Type": "text/plain; charset=utf-8" })
      .end("Not found");
    return;
  }
  response.writeHead(200, {
    ...RENDERER_SECURITY_HEADERS,
    "Content-Type":
      CONTENT_TYPES[extname(file).toLowerCase()] ?? "application/octet-stream",
    "Content-Length": String(info.size),
    "Cache-Control": "no-cache",
  });
  if (request.method === "HEAD") {
    response.end();
    return;
  }
  createReadStream(file).pipe(response);
}
