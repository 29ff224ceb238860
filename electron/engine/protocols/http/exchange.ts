// One HTTP/1.1 request over a stream the caller opened (plain or TLS), with a deadline, a cap on the body
// read, and a bound on the header (far above what IIS or SharePoint send, at what browsers accept): a hostile
// server gets a verdict, never a hang or a flood, and a real HTTP answer is never called "not HTTP".
import { request, type IncomingHttpHeaders } from "node:http";
import type { Duplex } from "node:stream";
import { TOOL_VERSION } from "../../about";

/** Enough to tell content from an error page; the rest is not read. */
export const MAX_BODY_BYTES = 64 * 1024;
/** The largest header read (Chromium's limit; Node's own default is 16 KiB). */
export const MAX_HEADER_BYTES = 256 * 1024;

export interface HttpAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  /** Name, value, name, value… as sent (repeated headers kept apart, in order). */
  rawHeaders: string[];
  bodyBytes: number;
}

export class HttpExchangeError extends Error {
  override readonly name = "HttpExchangeError";
  constructor(
    /**
     * closed: no answer before the connection ended; timeout; protocol: not HTTP; too-large: an HTTP answer whose
     * header is larger than MAX_HEADER_BYTES.
     */
    readonly kind: "closed" | "timeout" | "protocol" | "too-large",
    readonly code: string,
    message: string,
    /** For too-large: the status of the answer's status line, when it had one. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

/** Every value of header `name` (lower-case), in the order sent. */
export function headerValues(
  rawHeaders: readonly string[],
  name: string,
): string[] {
  const values: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2)
    if (rawHeaders[i]?.toLowerCase() === name)
      values.push(rawHeaders[i + 1] ?? "");
  return values;
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
    // The status line as it came, for an answer whose header is too large for the parser to hand over.
    let head = "";
    const onData = (chunk: Buffer): void => {
      head += chunk.subarray(0, 64 - head.length).toString("latin1");
      if (head.length >= 64) stream.off("data", onData);
    };
    const finish = (result: HttpAnswer | HttpExchangeError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stream.off("data", onData);
      options.signal?.removeEventListener("abort", onAbort);
      if (result instanceof HttpExchangeError) {
        req.destroy();
        reject(result);
      } else resolve(result);
    };
    const req = request({
      createConnection: () => stream,
      maxHeaderSize: MAX_HEADER_BYTES,
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
          rawHeaders: response.rawHeaders,
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
      const statusLine = /^HTTP\/\d(?:\.\d)? (\d{3})/.exec(head);
      if (code === "HPE_HEADER_OVERFLOW" && statusLine !== null) {
        finish(
          new HttpExchangeError(
            "too-large",
            code,
            `The server answered ${statusLine[1] ?? ""} with a header larger than ${MAX_HEADER_BYTES / 1024} KiB, which Cellcert does not read (browsers refuse such answers too).`,
            Number(statusLine[1]),
          ),
        );
      } else if (code.startsWith("HPE_")) {
        finish(
          new HttpExchangeError(
            "protocol",
            code,
            `The server sent an answer that is not HTTP (${code}).`,
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
    stream.on("data", onData);
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
