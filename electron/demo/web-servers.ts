// Web servers for the practice plant and the tests: HTTPS with each way of handling client certificates
// (required at the handshake, requested only, refused at the HTTP layer as IIS and nginx do, any accepted, or
// asked for per path after the request as IIS does), SNI-only bindings, plain HTTP that redirects or serves,
// HSTS on or off, virtual directories, and a source "firewall".
import { constants as cryptoConstants } from "node:crypto";
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import {
  createServer as createNetServer,
  type AddressInfo,
  type Socket,
} from "node:net";
import { TLSSocket, type SecureVersion } from "node:tls";
import { clientHelloName, MAX_HELLO_BYTES } from "./client-hello-name";
import { refuseConnection } from "./firewall";

export interface Route {
  status: number;
  body?: string;
  /** Location for a redirect; relative paths stay on this server. */
  location?: string;
  /** Extra headers; an array sends the header once per value, in order. */
  headers?: Record<string, string | string[]>;
}

/**
 * How the server treats client certificates:
 * - required: at the TLS layer (TLS 1.2 fails the handshake, TLS 1.3 refuses on the first read, alert 116);
 * - requested: asks for one but serves everybody (the fault the probe must find);
 * - http-refusal: asks, then answers 403 without a certificate and 400 for one it cannot verify (IIS, nginx);
 * - any: refuses anonymous clients with 403 but serves any certificate at all (the other fault);
 * - optional: serves clients without a certificate, refuses one it cannot verify with 400 (nginx's
 *   `ssl_verify_client optional`);
 * - per-path: IIS's "Require client certificates" on a virtual directory (sslFlags SslRequireCert), like Apache's
 *   per-`<Location>` `SSLVerifyClient require`: no CertificateRequest in the handshake; after reading the request
 *   a TLS 1.2 server renegotiates (HelloRequest) to ask for the certificate, then answers 403 without one (IIS
 *   403.7) or for one it cannot verify (403.16). TLS 1.3 has no renegotiation: see `tls13`;
 * - per-path-optional: the same asking, but a client without a certificate is served (sslFlags SslNegotiateCert
 *   alone: the "MES gateway serving anonymous clients" of the broken practice plant).
 */
export type ClientCertificateMode =
  | "required"
  | "requested"
  | "http-refusal"
  | "any"
  | "optional"
  | "per-path"
  | "per-path-optional";

/**
 * How a per-path server answers over TLS 1.3, where it cannot ask for the certificate (post-handshake
 * authentication is offered by neither Node's client nor Windows' HTTP stack): Windows Server 2022 resets the
 * connection, Windows Server 2025 answers HTTP 500 with 0x80070032 (ERROR_NOT_SUPPORTED).
 */
export type PerPathTls13 = "reset" | "500";

export interface WebServerOptions {
  address: string;
  /** 0 or absent: any free port. */
  port?: number;
  tls?: {
    key: string;
    /** The chain the server sends: leaf first. */
    cert: string;
    minVersion?: SecureVersion;
    maxVersion?: SecureVersion;
    ciphers?: string;
    clientCertificates?: {
      mode: ClientCertificateMode;
      ca: string[];
      /** Per-path modes over TLS 1.3; "reset" (Windows Server 2022) by default. */
      tls13?: PerPathTls13;
    };
    /**
     * Like HTTP.sys with only SNI bindings: a ClientHello without a server name is answered with a TCP reset,
     * before any ServerHello.
     */
    requireServerName?: boolean;
  };
  /** Path → answer; anything else is 404. */
  routes: Record<string, Route>;
  /** Sent on every answer when set, e.g. "max-age=31536000". */
  hsts?: string;
  /** Every request is redirected here (scheme://host[:port]), keeping the path: plain HTTP → https. */
  redirectAllTo?: string;
  /** Connections from other sources are reset at once, as a firewall in front of the server would refuse them. */
  allowSource?: (address: string) => boolean;
}

export interface RunningWebServer {
  address: string;
  port: number;
  /** Requests served, for tests that count what the probe sent. */
  readonly requests: number;
  close(): Promise<void>;
}

export async function startWebServer(
  options: WebServerOptions,
): Promise<RunningWebServer> {
  let requests = 0;
  // The raw TCP sockets by the client's address and port: per-path TLS 1.3 resets one, as Windows does.
  const sockets = new Map<string, Socket>();
  const reset = (socket: Socket): void => {
    const raw = sockets.get(
      `${socket.remoteAddress ?? ""}:${socket.remotePort ?? 0}`,
    );
    if (raw !== undefined) raw.resetAndDestroy();
    else socket.destroy();
  };
  const handler = (
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    requests += 1;
    answer(request, response, options, reset);
  };
  const clientMode = options.tls?.clientCertificates;
  const perPath =
    clientMode?.mode === "per-path" || clientMode?.mode === "per-path-optional";
  const server: Server =
    options.tls === undefined
      ? createHttpServer(handler)
      : createHttpsServer(
          {
            key: options.tls.key,
            cert: options.tls.cert,
            ...(options.tls.minVersion !== undefined && {
              minVersion: options.tls.minVersion,
            }),
            ...(options.tls.maxVersion !== undefined && {
              maxVersion: options.tls.maxVersion,
            }),
            ...(options.tls.ciphers !== undefined && {
              ciphers: options.tls.ciphers,
            }),
            ...(clientMode !== undefined &&
              (perPath
                ? {
                    // Asked for after the request only; a renegotiation must be a full handshake, or the
                    // resumed session would carry no CertificateRequest.
                    ca: clientMode.ca,
                    secureOptions:
                      cryptoConstants.SSL_OP_NO_SESSION_RESUMPTION_ON_RENEGOTIATION,
                  }
                : {
                    requestCert: true,
                    rejectUnauthorized: clientMode.mode === "required",
                    ca: clientMode.ca,
                  })),
          },
          handler,
        );
  // The connections arrive at a plain TCP listener first: the firewall and the SNI check act before TLS, as
  // a firewall and HTTP.sys do, and the raw socket stays at hand for a reset.
  const front = createNetServer((socket) => {
    socket.on("error", () => undefined);
    if (
      options.allowSource !== undefined &&
      !options.allowSource(socket.remoteAddress ?? "")
    ) {
      refuseConnection(socket);
      return;
    }
    const key = `${socket.remoteAddress ?? ""}:${socket.remotePort ?? 0}`;
    sockets.set(key, socket);
    socket.on("close", () => sockets.delete(key));
    if (options.tls?.requireServerName === true)
      whenNamed(socket, () => server.emit("connection", socket));
    else server.emit("connection", socket);
  });
  server.on("tlsClientError", () => undefined);
  // A renegotiation leaves the parser a close it did not expect after "Connection: close"; the answer is out.
  // (Other servers keep Node's own answer, "400 Bad Request", to what is not HTTP.)
  if (perPath) server.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    front.once("error", reject);
    front.listen(options.port ?? 0, options.address, () => resolve());
  });
  const port = (front.address() as AddressInfo).port;
  return {
    address: options.address,
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        front.close(() => resolve());
        for (const socket of sockets.values()) socket.destroy();
      }),
  };
}

/**
 * Reads the ClientHello before TLS does: without a server name the connection is reset at once (HTTP.sys with only
 * SNI bindings); otherwise the bytes are put back and `proceed` hands the socket on.
 */
function whenNamed(socket: Socket, proceed: () => void): void {
  const chunks: Buffer[] = [];
  let received = 0;
  const onData = (chunk: Buffer): void => {
    chunks.push(chunk);
    received += chunk.length;
    const bytes = Buffer.concat(chunks);
    const hello = clientHelloName(bytes);
    if (hello.status === "incomplete" && received < MAX_HELLO_BYTES) return;
    socket.off("data", onData);
    socket.pause();
    if (hello.status === "hello" && hello.name === "") {
      socket.resetAndDestroy();
      return;
    }
    socket.unshift(bytes);
    proceed();
  };
  socket.on("data", onData);
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: WebServerOptions,
  reset: (socket: Socket) => void,
): void {
  const path = new URL(request.url ?? "/", "http://x").pathname;
  if (options.hsts !== undefined)
    response.setHeader("Strict-Transport-Security", options.hsts);
  if (options.redirectAllTo !== undefined) {
    response
      .writeHead(301, {
        Location: `${options.redirectAllTo}${request.url ?? "/"}`,
      })
      .end();
    return;
  }
  const clientCertificates = options.tls?.clientCertificates;
  const mode = clientCertificates?.mode;
  if (mode === "per-path" || mode === "per-path-optional") {
    askPerPath(request, response, options, mode, {
      tls13: clientCertificates?.tls13 ?? "reset",
      reset,
    });
    return;
  }
  if (mode === "http-refusal" || mode === "any" || mode === "optional") {
    const socket = request.socket;
    if (!(socket instanceof TLSSocket))
      throw new Error("Client certificate modes need a TLS server.");
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    if (!presented && mode !== "optional") {
      response
        .writeHead(403, { "Content-Type": "text/plain" })
        .end("403 Forbidden: client certificate required");
      return;
    }
    if (presented && mode !== "any" && !socket.authorized) {
      response
        .writeHead(400, { "Content-Type": "text/plain" })
        .end("400 The SSL certificate error");
      return;
    }
  }
  serveRoute(path, response, options);
}

/**
 * IIS's per-path client certificates: TLS 1.2 renegotiates to ask for the certificate after the request; TLS 1.3
 * cannot, and answers as Windows does.
 */
function askPerPath(
  request: IncomingMessage,
  response: ServerResponse,
  options: WebServerOptions,
  mode: "per-path" | "per-path-optional",
  over13: { tls13: PerPathTls13; reset: (socket: Socket) => void },
): void {
  const socket = request.socket;
  if (!(socket instanceof TLSSocket))
    throw new Error("Client certificate modes need a TLS server.");
  const path = new URL(request.url ?? "/", "http://x").pathname;
  if (socket.getProtocol() === "TLSv1.3") {
    if (over13.tls13 === "500") {
      response
        .writeHead(500, { "Content-Type": "text/plain" })
        .end("500 Internal Server Error (0x80070032)");
      return;
    }
    over13.reset(socket);
    return;
  }
  const decide = (): void => {
    const presented = Object.keys(socket.getPeerCertificate()).length > 0;
    if (!presented && mode === "per-path") {
      response
        .writeHead(403, { "Content-Type": "text/plain" })
        .end("403 Forbidden: client certificate required (403.7)");
      return;
    }
    if (presented && !socket.authorized) {
      response
        .writeHead(403, { "Content-Type": "text/plain" })
        .end("403 Forbidden: client certificate untrusted (403.16)");
      return;
    }
    serveRoute(path, response, options);
  };
  if (Object.keys(socket.getPeerCertificate()).length > 0) {
    decide();
    return;
  }
  const asked = socket.renegotiate(
    { requestCert: true, rejectUnauthorized: false },
    (error) => {
      if (error !== null) socket.destroy();
      else decide();
    },
  );
  if (asked === false) socket.destroy();
}

function serveRoute(
  path: string,
  response: ServerResponse,
  options: WebServerOptions,
): void {
  const route = options.routes[path];
  if (route === undefined) {
    response.writeHead(404, { "Content-Type": "text/plain" }).end("Not found");
    return;
  }
  response.writeHead(route.status, {
    "Content-Type": "text/html; charset=utf-8",
    ...(route.location !== undefined && { Location: route.location }),
    ...route.headers,
  });
  response.end(route.body ?? "");
}
