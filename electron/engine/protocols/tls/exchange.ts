// One raw ClientHello over one connection: send it, read until the first flight says enough (or the time, the
// byte budget or the connection runs out), hang up. Holds one of the host's connection slots throughout.
import type { Socket } from "node:net";
import {
  ConnectError,
  abortReason,
  isStop,
  withConnection,
  type HostLimiter,
  type ResolvedAddress,
  type TcpTarget,
} from "../../net";
import {
  readServerFlight,
  type ReadOptions,
  type ServerFlight,
} from "./server-hello";

export type HelloExchange =
  /** The server answered with something decidable: a ServerHello, an alert, or bytes that are not TLS. */
  | {
      outcome: "answer";
      flight: Exclude<ServerFlight, { status: "incomplete" }>;
      firstBytes: Buffer;
      ms: number;
    }
  /** The server closed (or reset) without a decidable answer; `firstBytes` is what came before. */
  | { outcome: "closed" | "reset"; firstBytes: Buffer; ms: number }
  /** Nothing decidable within the time: silent (0 bytes) or slow. */
  | { outcome: "timeout"; firstBytes: Buffer; received: number; ms: number }
  /** The first flight was larger than the budget before it said enough. */
  | { outcome: "too-large"; firstBytes: Buffer; received: number; ms: number }
  | { outcome: "connect-failed"; error: ConnectError; ms: number };

export interface ExchangeOptions {
  limiter: HostLimiter;
  resolved: ResolvedAddress;
  timeoutMs: number;
  localAddress?: string;
  signal?: AbortSignal;
  read?: ReadOptions;
  /** Bytes read at most (memory stays bounded whatever the server sends). Default 192 KiB. */
  maxBytes?: number;
}

const FIRST_BYTES = 64;

export async function exchangeHello(
  target: TcpTarget,
  hello: Buffer,
  options: ExchangeOptions,
): Promise<HelloExchange> {
  const started = performance.now();
  const ms = (): number => Math.round(performance.now() - started);
  try {
    return await withConnection(
      target,
      // Everything withConnection reads (limiter, resolved, timeout, source address, signal) is in the options.
      options,
      (socket) => converse(socket, hello, options, ms),
    );
  } catch (error) {
    if (error instanceof ConnectError)
      return { outcome: "connect-failed", error, ms: ms() };
    throw error;
  }
}

function converse(
  socket: Socket,
  hello: Buffer,
  options: ExchangeOptions,
  ms: () => number,
): Promise<HelloExchange> {
  const maxBytes = options.maxBytes ?? 192 * 1024;
  return new Promise<HelloExchange>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const bytes = (): Buffer => Buffer.concat(chunks);
    const first = (): Buffer => bytes().subarray(0, FIRST_BYTES);
    const finish = (result: HelloExchange | Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.off("data", onData);
      socket.off("end", onEnd);
      socket.off("close", onClose);
      socket.off("error", onError);
      options.signal?.removeEventListener("abort", onAbort);
      if (result instanceof Error) reject(result);
      else resolve(result);
    };
    const decide = (final: boolean): boolean => {
      const flight = readServerFlight(bytes(), { ...options.read, final });
      if (flight.status === "incomplete") return false;
      finish({ outcome: "answer", flight, firstBytes: first(), ms: ms() });
      return true;
    };
    const onData = (chunk: Buffer): void => {
      const room = maxBytes - received;
      chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
      received += Math.min(chunk.length, room);
      if (decide(false)) return;
      if (received >= maxBytes)
        finish({
          outcome: "too-large",
          firstBytes: first(),
          received,
          ms: ms(),
        });
    };
    const onEnd = (): void => {
      if (!decide(true))
        finish({ outcome: "closed", firstBytes: first(), ms: ms() });
    };
    const onClose = (): void => {
      if (!decide(true))
        finish({ outcome: "closed", firstBytes: first(), ms: ms() });
    };
    const onError = (error: Error): void => {
      if (isStop(error, options.signal)) {
        finish(error);
        return;
      }
      if (!decide(true))
        finish({ outcome: "reset", firstBytes: first(), ms: ms() });
    };
    const onAbort = (): void => {
      if (options.signal !== undefined) finish(abortReason(options.signal));
    };
    const timer = setTimeout(() => {
      if (!decide(true))
        finish({ outcome: "timeout", firstBytes: first(), received, ms: ms() });
    }, options.timeoutMs);
    socket.on("data", onData);
    socket.on("end", onEnd);
    socket.on("close", onClose);
    socket.on("error", onError);
    options.signal?.addEventListener("abort", onAbort, { once: true });
    socket.write(hello);
  });
}
