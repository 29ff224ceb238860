// Browser mode (DESIGN §7): the renderer and the contract over HTTP on 127.0.0.1, guarded by a per-launch token.
// Routes derive from the contract: POST /api/<channel> for each request channel, GET /api/events for events.
import {
  createServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import {
  isRequestChannel,
  type Envelope,
  type ErrorCode,
} from "../../shared/contract/channels";
import type { Handlers } from "../../shared/contract/schemas";
import { dispatch } from "../engine/api/dispatch";
import { UserError } from "../engine/errors";
import type { EventHub } from "../engine/events";
import type { Logger } from "../engine/log";
import {
  LOOPBACK_BIND_ADDRESS,
  bearerToken,
  hostHeaderAllowed,
  newToken,
  originAllowed,
  tokensMatch,
} from "./guard";
import { serveStatic } from "./static-files";

/** Uploads (a PDF to verify, a PKCS#12 file) travel as base64 in JSON; this bounds one request. */
export const MAX_REQUEST_BYTES = 64 * 1024 * 1024;
const EVENT_KEEPALIVE_MS = 15_000;

export interface BrowserHostOptions {
  /** Only 127.0.0.1 is accepted; anything else is refused before a socket is opened. */
  bindAddress?: string;
  /** 0 or absent: a random free port. */
  port?: number;
  rendererDir: string;
  handlers: Handlers;
  events: EventHub;
  log: Logger;
}

export interface BrowserHost {
  readonly port: number;
  readonly token: string;
  /** `http://127.0.0.1:PORT/#token=…`: the address to open. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startBrowserHost(
  options: BrowserHostOptions,
): Promise<BrowserHost> {
  const bindAddress = options.bindAddress ?? LOOPBACK_BIND_ADDRESS;
  if (bindAddress !== LOOPBACK_BIND_ADDRESS) {
    throw new UserError(
      "forbidden",
      `Browser mode listens on ${LOOPBACK_BIND_ADDRESS} only, never on ${bindAddress}: the plan, its secrets and the probes must not be reachable from the network.`,
    );
  }
  const requestedPort = options.port ?? 0;
  if (
    !Number.isInteger(requestedPort) ||
    requestedPort < 0 ||
    requestedPort > 65535
  ) {
    throw new UserError(
      "invalid-input",
      `The port must be a whole number from 1 to 65535 (or 0 for any free port), not ${requestedPort}.`,
    );
  }

  const token = newToken();
  const sockets = new Set<Socket>();
  const eventStreams = new Set<ServerResponse>();
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      options.log.error(
        `browser host: ${error instanceof Error ? error.message : String(error)}`,
      );
      if (!response.headersSent)
        sendJson(
          response,
          500,
          failure("internal", "The browser host failed to answer."),
        );
      else response.destroy();
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });

  async function handle(
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    if (!hostHeaderAllowed(request, port)) {
      sendJson(
        response,
        403,
        failure(
          "forbidden",
          `This host answers only to ${LOOPBACK_BIND_ADDRESS}:${port}.`,
        ),
      );
      return;
    }
    if (!originAllowed(request, port)) {
      sendJson(
        response,
        403,
        failure("forbidden", "Requests from other origins are refused."),
      );
      return;
    }
    const url = new URL(
      request.url ?? "/",
      `http://${LOOPBACK_BIND_ADDRESS}:${port}`,
    );
    if (url.pathname === "/api/events") {
      if (tokensMatch(token, url.searchParams.get("token")))
        openEventStream(request, response);
      else unauthorized(response);
      return;
    }
    if (url.pathname.startsWith("/api/")) {
      if (tokensMatch(token, bearerToken(request))) {
        await answerRequest(
          safeDecode(url.pathname.slice("/api/".length)),
          request,
          response,
        );
      } else unauthorized(response);
      return;
    }
    await serveStatic(options.rendererDir, url.pathname, request, response);
  }

  async function answerRequest(
    channel: string,
    request: IncomingMessage,
    response: ServerResponse,
  ): Promise<void> {
    if (!isRequestChannel(channel)) {
      sendJson(
        response,
        404,
        failure("not-found", `There is no channel "${channel}".`),
      );
      return;
    }
    if (request.method !== "POST") {
      response.setHeader("Allow", "POST");
      sendJson(
        response,
        405,
        failure("invalid-input", `Channel "${channel}" takes POST requests.`),
      );
      return;
    }
    if (
      !(request.headers["content-type"] ?? "").startsWith("application/json")
    ) {
      sendJson(
        response,
        415,
        failure("invalid-input", "Requests must be sent as application/json."),
      );
      return;
    }
    const body = await readBody(request, MAX_REQUEST_BYTES);
    if (body === "too-large") {
      // Stop reading at once; the connection closes after the answer.
      response.setHeader("Connection", "close");
      response.on("finish", () => request.socket.destroy());
      sendJson(
        response,
        413,
        failure(
          "invalid-input",
          `A request may carry at most ${MAX_REQUEST_BYTES / 1024 / 1024} MiB.`,
        ),
      );
      return;
    }
    let input: unknown;
    try {
      input =
        body.length === 0
          ? undefined
          : (JSON.parse(body.toString("utf8")) as unknown);
    } catch {
      sendJson(
        response,
        400,
        failure("invalid-input", `The body of "${channel}" is not valid JSON.`),
      );
      return;
    }
    sendJson(
      response,
      200,
      await dispatch(
        options.handlers,
        channel,
        input ?? undefined,
        options.log,
      ),
    );
  }

  function openEventStream(
    request: IncomingMessage,
    response: ServerResponse,
  ): void {
    response.writeHead(200, {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    });
    response.write(": connected\n\n");
    eventStreams.add(response);
    const unsubscribe = options.events.subscribe((event, payload) => {
      response.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const keepalive = setInterval(
      () => response.write(": keepalive\n\n"),
      EVENT_KEEPALIVE_MS,
    );
    keepalive.unref();
    request.on("close", () => {
      clearInterval(keepalive);
      unsubscribe();
      eventStreams.delete(response);
    });
  }

  await new Promise<void>((resolvePromise, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      reject(
        error.code === "EADDRINUSE"
          ? new UserError(
              "conflict",
              `Port ${requestedPort} on ${LOOPBACK_BIND_ADDRESS} is already in use; choose another with --port, or leave it out for any free port.`,
            )
          : error,
      );
    });
    server.listen(requestedPort, LOOPBACK_BIND_ADDRESS, () => resolvePromise());
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://${LOOPBACK_BIND_ADDRESS}:${port}/#token=${token}`,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const stream of eventStreams) stream.end();
        server.close(() => resolvePromise());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function failure(code: ErrorCode, message: string): Envelope<never> {
  return { ok: false, error: { code, message } };
}

function unauthorized(response: ServerResponse): void {
  sendJson(
    response,
    401,
    failure(
      "unauthorized",
      "This request needs the token printed when browser mode started.",
    ),
  );
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": String(Buffer.byteLength(text)),
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
  });
  response.end(text);
}

function readBody(
  request: IncomingMessage,
  limit: number,
): Promise<Buffer | "too-large"> {
  return new Promise((resolvePromise, reject) => {
    if (Number(request.headers["content-length"] ?? 0) > limit) {
      request.pause();
      resolvePromise("too-large");
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.pause();
        request.removeAllListeners("data");
        resolvePromise("too-large");
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolvePromise(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
