// TCP connections for every probe: resolve, connect with a timeout, from a chosen source address, stoppable
// at once through an AbortSignal, and every failure classified the way DESIGN §2 judges it.
import { lookup as dnsLookup } from "node:dns/promises";
import { connect, isIP, type Socket } from "node:net";
import {
  STOPPED_FAILURE,
  type ConnectFailure,
  type ProbeFailure,
} from "../../../shared/evidence/connection-states";
import { formatHostPort } from "../../../shared/model/net";

// What a connection attempt found: `refused` and `filtered` are measurements where "closed" is wanted
// (firewall --deny, segmentation); everything but `open` makes a probe that needed the port unjudged (exit 2).
export {
  connectionStates,
  type ConnectFailure,
  type ConnectionState,
} from "../../../shared/evidence/connection-states";
import { errorCode } from "../errors";

export interface TcpTarget {
  host: string;
  port: number;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/**
 * Name resolution, injectable so tests can make DNS fail without touching the network. `family` asks for
 * addresses of that family only: the family of the source address probes leave from.
 */
export type HostLookup = (
  host: string,
  family?: 4 | 6,
) => Promise<ResolvedAddress>;

export interface ConnectOptions {
  /** Per attempt: no answer within this time is "filtered". */
  timeoutMs: number;
  /** The vantage's source address (one network card per cell). */
  localAddress?: string;
  /** Aborting destroys the socket at once and rejects with the signal's reason. */
  signal?: AbortSignal;
  lookup?: HostLookup;
}

export class ConnectError extends Error {
  override readonly name = "ConnectError";
  constructor(
    readonly state: ConnectFailure,
    readonly target: TcpTarget,
    message: string,
    /** The system's error code, e.g. ECONNREFUSED; "" for our own timeout. */
    readonly code: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const defaultLookup: HostLookup = async (host, wanted) => {
  const { address, family } = await dnsLookup(host, {
    order: "verbatim",
    ...(wanted !== undefined && { family: wanted }),
  });
  return { address, family: family === 6 ? 6 : 4 };
};

const DNS_CODES = new Set([
  "ENOTFOUND",
  "EAI_AGAIN",
  "EAI_FAIL",
  "EAI_NONAME",
  "ENODATA",
  "ESERVFAIL",
  "ENONAME",
]);
const UNREACHABLE_CODES = new Set([
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENETDOWN",
  "EHOSTDOWN",
  "EADDRNOTAVAIL",
  "EINVAL",
  "EACCES",
  "EPERM",
]);
const RESET_CODES = new Set([
  "ECONNRESET",
  "EPIPE",
  "ECONNABORTED",
  "ERR_SOCKET_CLOSED",
]);

/** The state a socket error stands for. Unknown errors count as unreachable: nothing was judged. */
export function classifyConnectError(error: unknown): ConnectFailure {
  if (error instanceof ConnectError) return error.state;
  const code = errorCode(error);
  if (code === "ECONNREFUSED") return "refused";
  if (code === "ETIMEDOUT") return "filtered";
  if (DNS_CODES.has(code)) return "dns-failure";
  if (RESET_CODES.has(code)) return "reset";
  if (UNREACHABLE_CODES.has(code)) return "unreachable";
  return "unreachable";
}

const seconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

/** The sentence for a failed attempt, naming the target and what to check. */
export function describeConnectFailure(
  state: ConnectFailure,
  target: TcpTarget,
  details: { timeoutMs?: number; code?: string; localAddress?: string } = {},
): string {
  const where = formatHostPort(target.host, target.port);
  const code =
    details.code !== undefined && details.code !== ""
      ? ` (${details.code})`
      : "";
  switch (state) {
    case "refused":
      return `Nothing is listening on ${where}: the connection was refused. Check the port and that the service runs.`;
    case "filtered":
      return `Nothing answered on ${where} within ${seconds(details.timeoutMs ?? 0)}: the port is filtered by a firewall, or the host is down.`;
    case "dns-failure":
      return `The name ${target.host} could not be resolved${code}. Check the name, and the DNS server this laptop uses in this cell.`;
    case "unreachable":
      return details.code === "EADDRNOTAVAIL" && details.localAddress
        ? `The source address ${details.localAddress} is not on this laptop (EADDRNOTAVAIL). Check the vantage's source address and the network card.`
        : `There is no route from this laptop to ${where}${code}: check the network card, the cable and the vantage's source address.`;
    case "reset":
      return `The server at ${where} reset the connection${code}.`;
  }
}

function sourceFamily(localAddress: string | undefined): 4 | 6 | undefined {
  const family = localAddress === undefined ? 0 : isIP(localAddress);
  return family === 4 || family === 6 ? family : undefined;
}

/** A connect failure as every probe's failure record holds it (shared/evidence/connection.ts): kind = its state. */
export function connectFailureRecord(
  error: ConnectError,
): ProbeFailure<ConnectFailure> {
  return { kind: error.state, code: error.code, message: error.message };
}

/** Why a signal aborted, as an Error (a DOMException named AbortError unless the caller gave its own). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException("The probe was stopped.", "AbortError");
}

export function isAbortError(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/**
 * Whether `error` is the probe's Stop: the signal is aborted, and the error is an AbortError or the reason the signal
 * was aborted with (a caller's own, such as AbortSignal.timeout's). Every probe records it as `stopped`.
 */
export function isStop(
  error: unknown,
  signal: AbortSignal | undefined,
): boolean {
  return (
    signal?.aborted === true && (isAbortError(error) || error === signal.reason)
  );
}

/**
 * A connection that could not be made, or the Stop that ended it, as every probe's failure record holds it
 * (shared/evidence/connection.ts); anything else is rethrown.
 */
export function connectFailureOrStop(
  error: unknown,
  signal: AbortSignal | undefined,
): ProbeFailure<ConnectFailure | "stopped"> {
  if (isStop(error, signal)) return STOPPED_FAILURE;
  if (!(error instanceof ConnectError)) throw error;
  return connectFailureRecord(error);
}

/**
 * Resolves a host name (IP literals pass through), to an address of the source address's family when probes
 * leave from one. Fails with ConnectError("dns-failure").
 */
export async function resolveTarget(
  target: TcpTarget,
  options: Pick<
    ConnectOptions,
    "lookup" | "signal" | "timeoutMs" | "localAddress"
  >,
): Promise<ResolvedAddress> {
  const literal = target.host.replace(/^\[(.*)\]$/, "$1");
  const family = isIP(literal);
  if (family === 4 || family === 6) return { address: literal, family };
  options.signal?.throwIfAborted();
  const lookup = options.lookup ?? defaultLookup;
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  try {
    return await Promise.race([
      lookup(literal, sourceFamily(options.localAddress)),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          const error = Object.assign(new Error("lookup timed out"), {
            code: "EAI_AGAIN",
          });
          reject(error);
        }, options.timeoutMs);
        if (options.signal !== undefined) {
          const signal = options.signal;
          onAbort = () => reject(abortReason(signal));
          signal.addEventListener("abort", onAbort, { once: true });
        }
      }),
    ]);
  } catch (error) {
    if (isStop(error, options.signal)) throw error;
    const code = errorCode(error) || "ENOTFOUND";
    throw new ConnectError(
      "dns-failure",
      target,
      describeConnectFailure("dns-failure", target, { code }),
      code,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined)
      options.signal?.removeEventListener("abort", onAbort);
  }
}

/**
 * A connected socket to `address` (already resolved), or a ConnectError saying what happened. The caller owns
 * the socket; close it with `closeSocket` so the host's connection slot is freed only once it is really closed.
 */
export function connectResolved(
  target: TcpTarget,
  resolved: ResolvedAddress,
  options: Omit<ConnectOptions, "lookup">,
): Promise<Socket> {
  return new Promise<Socket>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(abortReason(options.signal));
      return;
    }
    const socket = connect({
      host: resolved.address,
      port: target.port,
      family: resolved.family,
      ...(options.localAddress !== undefined && {
        localAddress: options.localAddress,
      }),
    });
    // Errors after the connect are the caller's to listen for; this keeps one nobody listened for from crashing
    // the process (a reset between two reads, say).
    socket.on("error", () => undefined);
    let settled = false;
    const settle = (result: Socket | Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.off("connect", onConnect);
      socket.off("error", onError);
      options.signal?.removeEventListener("abort", onAbort);
      if (result instanceof Error) {
        socket.destroy();
        reject(result);
      } else resolve(result);
    };
    const fail = (state: ConnectFailure, code: string, cause?: unknown): void =>
      settle(
        new ConnectError(
          state,
          target,
          describeConnectFailure(state, target, {
            code,
            timeoutMs: options.timeoutMs,
            ...(options.localAddress !== undefined && {
              localAddress: options.localAddress,
            }),
          }),
          code,
          { cause },
        ),
      );
    const onConnect = (): void => settle(socket);
    const onError = (error: Error): void =>
      fail(classifyConnectError(error), errorCode(error), error);
    const onAbort = (): void =>
      settle(abortReason(options.signal ?? new AbortController().signal));
    const timer = setTimeout(() => fail("filtered", ""), options.timeoutMs);
    socket.once("connect", onConnect);
    socket.once("error", onError);
    options.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * Closes gently and waits until the connection is gone: sends FIN, lets the server close its side (reading and
 * discarding what it still sends), and destroys the socket only when the server has not closed within
 * `graceMs`. So the server itself has seen the connection end before the caller frees the host's slot.
 */
export function closeSocket(socket: Socket, graceMs = 1000): Promise<void> {
  if (socket.closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timers: NodeJS.Timeout[] = [];
    socket.once("close", () => {
      for (const timer of timers) clearTimeout(timer);
      resolve();
    });
    if (socket.destroyed) return;
    socket.on("error", () => undefined);
    socket.resume();
    socket.end();
    timers.push(
      setTimeout(() => {
        socket.destroy();
        // A destroyed socket closes on the next turn; this bound only guards against a close that never comes.
        timers.push(setTimeout(resolve, 1000));
      }, graceMs),
    );
  });
}
