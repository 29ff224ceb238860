// One HTTP/1.1 request over a stream the caller opened (plain or TLS), with a deadline, a cap on the body
// read, and Node's header size limit: a hostile server gets a verdict, never a hang or a flood.
import { request, type IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";
import { TOOL_VERSION } from "../about";

/** Enough to tell content from an error page; the rest is not read. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  bodyBytes: number;
}

export class HttpExchangeError extends Error {
  override readonly name = "HttpExchangeError";
  constructor(
    /** closed: no answer before the connection ended; timeout; protocol: not HTTP, or headers too large. */
    readonly kind: "closed" | "timeout" | "protocol",
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ExchangeOptions {
  /** The Host header: the server name, with the port when it is not the scheme's default. */
  hostHeader: string;
  path: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

export function httpGet(
  stream: Duplex,
  options: ExchangeOptions,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const finish = (result: HttpAnswer | HttpExchangeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener("abort", onAbort);
      if (result instanceof HttpExchangeError) {
        req.destroy();
        reject(result);
      } else resolve(result);
    };
    const req = request({
      createConnection: () => stream,
      method: "GET",
      path: options.path,
      headers: {
        Host: options.hostHeader,
        "User-Agent": `Cellcert/${TOOL_VERSION} (commissioning probe)`,
        Accept: "*/*",
        Connection: "close",
      },
    });
    req.on("response", (response) => {
      let bodyBytes = 0;
      const answer = (): void =>
        finish({
          status: response.statusCode ?? 0,
          headers: response.headers,
          bodyBytes,
        });
      response.on("data", (chunk: Buffer) => {
        bodyBytes += chunk.length;
        if (bodyBytes >= MAX_BODY_BYTES) answer();
      });
      response.on("end", answer);
      response.on("error", answer);
      response.on("aborted", answer);
    });
    req.on("error", (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      if (code.startsWith("HPE_")) {
        const what =
          code === "HPE_HEADER_OVERFLOW"
            ? "headers larger than 16 KiB"
            : "an answer that is not HTTP";
        finish(
          new HttpExchangeError(
            "protocol",
            code,
            `The server sent ${what} (${code}).`,
          ),
        );
      } else {
        finish(
          new HttpExchangeError(
            "closed",
            code,
            `The connection ended before an answer (${code === "" ? error.message : code}).`,
          ),
        );
      }
    });
    const onAbort = (): void =>
      finish(new HttpExchangeError("closed", "aborted", "Stopped."));
    const timer = setTimeout(
      () =>
        finish(
          new HttpExchangeError(
            "timeout",
            "",
            `No HTTP answer within ${options.timeoutMs / 1000} s.`,
          ),
        ),
      options.timeoutMs,
    );
    options.signal?.addEventListener("abort", onAbort, { once: true });
    req.end();
  });
}

/** The headers the evidence keeps. */
export const KEPT_HEADERS = [
  "location",
  "strict-transport-security",
  "date",
  "server",
  "content-type",
  "content-length",
];

export function keptHeaders(
  headers: IncomingHttpHeaders,
): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = headers[name];
    if (value !== undefined)
      kept[name] = (Array.isArray(value) ? value.join(", ") : value).slice(
        0,
        2000,
      );
  }
  return kept;
}
