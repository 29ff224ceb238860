// Who may talk to the browser host: only a page it served itself, on the loopback address it listens on,
// holding this launch's token. Guards against other local users' pages and DNS rebinding.
import { randomBytes, timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";

export const LOOPBACK_BIND_ADDRESS = "127.0.0.1";

export function newToken(): string {
  return randomBytes(32).toString("base64url");
}

export function tokensMatch(
  expected: string,
  offered: string | null | undefined,
): boolean {
  if (typeof offered !== "string") return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(offered);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The Host header must name the loopback address (or localhost) and our port. */
export function hostHeaderAllowed(
  request: IncomingMessage,
  port: number,
): boolean {
  const host = request.headers.host;
  return (
    host === `${LOOPBACK_BIND_ADDRESS}:${port}` || host === `localhost:${port}`
  );
}

/** A request from a page carries Origin; it must be ours. Requests without Origin are judged by the token. */
export function originAllowed(request: IncomingMessage, port: number): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return (
    origin === `http://${LOOPBACK_BIND_ADDRESS}:${port}` ||
    origin === `http://localhost:${port}`
  );
}

export function bearerToken(request: IncomingMessage): string | null {
  const header = request.headers.authorization;
  if (typeof header !== "string" || !header.startsWith("Bearer ")) return null;
  return header.slice("Bearer ".length);
}
