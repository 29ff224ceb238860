// Web servers for the practice plant and the tests: HTTPS with each way of handling client certificates
// (required at the handshake, requested only, refused at the HTTP layer as IIS and nginx do, any accepted),
// plain HTTP that redirects or serves, HSTS on or off, virtual directories, and a source "firewall".
import {
  createServer as createHttpServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo, Socket } from "node:net";
import { TLSSocket, type SecureVersion } from "node:tls";
import { refuseConnection } from "./firewall";

export interface Route {
  status: number;
  body?: string;
  /** Location for a redirect; relative paths stay on this server. */
  location?: string;
  headers?: Record<string, string>;
}

/**
 * How the server treats client certificates:
 * - required: at the TLS layer (TLS 1.2 fails the handshake, TLS 1.3 refuses on the first read, alert 116);
 * - requested: asks for one but serves everybody (the fault the probe must find);
 * - http-refusal: asks, then answers 403 without a certificate and 400 for one it cannot verify (IIS, nginx);
 * - any: refuses anonymous clients with 403 but serves any certificate at all (the other fault);
 * - optional: serves clients without a certificate, refuses one it cannot verify with 400 (nginx's
 *   `ssl_verify_client optional`: the "MES endpoint accepting anonymous clients" of the broken practice plant).
 */
export type ClientCertificateMode =
  "required" | "requested" | "http-refusal" | "any" | "optional";

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
    clientCertificates?: { mode: ClientCertificateMode; ca: string[] };
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
  const handler = (
    request: IncomingMessage,
    response: ServerResponse,
  ): void => {
    requests += 1;
    answer(request, response, options);
  };
  const clientMode = options.tls?.clientCertificates;
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
            ...(clientMode !== undefined && {
              requestCert: true,
              rejectUnauthorized: clientMode.mode === "required",
              ca: clientMode.ca,
            }),
          },
          handler,
        );
  const sockets = new Set<Socket>();
  server.on("connection", (socket: Socket) => {
    if (
      options.allowSource !== undefined &&
      !options.allowSource(socket.remoteAddress ?? "")
    ) {
      refuseConnection(socket);
      return;
    }
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("tlsClientError", () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, options.address, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    address: options.address,
    port,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

function answer(
  request: IncomingMessage,
  response: ServerResponse,
  options: WebServerOptions,
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
  const mode = options.tls?.clientCertificates?.mode;
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
