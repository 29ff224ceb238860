// Opening a TCP connection with a timeout, and reading exactly one TDS message from a stream with a timeout,
// each ending in one named outcome: the probe turns every outcome into a verdict, never a hang or a crash.
import { connect as netConnect, type Socket } from "node:net";
import type { Duplex } from "node:stream";
import { MessageReader, TdsProtocolError, type TdsMessage } from "./packet";

export type ConnectFailureKind =
  "refused" | "filtered" | "dns" | "unreachable" | "aborted" | "other";

export class ConnectFailed extends Error {
  override readonly name = "ConnectFailed";
  constructor(
    readonly kind: ConnectFailureKind,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TcpTarget {
  host: string;
  port: number;
  localAddress?: string;
  timeoutMs: number;
  signal?: AbortSignal;
}

const errorCode = (error: unknown): string =>
  typeof error === "object" &&
  error !== null &&
  "code" in error &&
  typeof error.code === "string"
    ? error.code
    : "";

/** The kind of a socket error, as the verdicts name it. */
export function classifyConnectError(error: unknown): ConnectFailureKind {
  switch (errorCode(error)) {
    case "ECONNREFUSED":
      return "refused";
    case "ETIMEDOUT":
      return "filtered";
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
    case "EAI_FAIL":
      return "dns";
    case "EHOSTUNREACH":
    case "ENETUNREACH":
    case "EADDRNOTAVAIL":
      return "unreachable";
    case "ABORT_ERR":
      return "aborted";
    default:
      return "other";
  }
}

const where = (t: TcpTarget): string =>
  `${t.host.includes(":") ? `[${t.host}]` : t.host}:${t.port}`;

function connectFailure(error: unknown, target: TcpTarget): ConnectFailed {
  const kind = classifyConnectError(error);
  const code = errorCode(error);
  const at = where(target);
  const from =
    target.localAddress === undefined ? "" : ` from ${target.localAddress}`;
  switch (kind) {
    case "refused":
      return new ConnectFailed(
        kind,
        code,
        `${at} refused the connection${from}: nothing listens there (is the SQL Server port right, or is it a named instance?).`,
      );
    case "dns":
      return new ConnectFailed(
        kind,
        code,
        `The name ${target.host} could not be resolved (${code}): check the host name or use its IP address.`,
      );
    case "unreachable":
      return new ConnectFailed(
        kind,
        code,
        `${at} is unreachable${from} (${code}): check the cable, the address and the route from this cell.`,
      );
    case "aborted":
      return new ConnectFailed(kind, code, "The probe was stopped.");
    default: {
      const text = error instanceof Error ? error.message : String(error);
      return new ConnectFailed(
        kind,
        code,
        `Connecting to ${at}${from} failed: ${text}.`,
      );
    }
  }
}

/** Opens a TCP connection or rejects with ConnectFailed (a silent port within the timeout is "filtered"). */
export function openTcp(target: TcpTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    if (target.signal?.aborted === true) {
      reject(
        new ConnectFailed("aborted", "ABORT_ERR", "The probe was stopped."),
      );
      return;
    }
    const socket = netConnect({
      host: target.host,
      port: target.port,
      ...(target.localAddress !== undefined && {
        localAddress: target.localAddress,
      }),
    });
    const settle = (error: ConnectFailed | null): void => {
      clearTimeout(timer);
      target.signal?.removeEventListener("abort", onAbort);
      socket.off("connect", onConnect);
      socket.off("error", onError);
      if (error === null) {
        resolve(socket);
      } else {
        socket.destroy();
        reject(error);
      }
    };
    const onConnect = (): void => settle(null);
    const onError = (error: Error): void =>
      settle(connectFailure(error, target));
    const onAbort = (): void =>
      settle(
        new ConnectFailed("aborted", "ABORT_ERR", "The probe was stopped."),
      );
    const timer = setTimeout(() => {
      settle(
        new ConnectFailed(
          "filtered",
          "ETIMEDOUT",
          `${where(target)} did not answer the connection within ${target.timeoutMs} ms: a firewall drops it, or the host is down.`,
        ),
      );
    }, target.timeoutMs);
    socket.once("connect", onConnect);
    socket.once("error", onError);
    target.signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export type ReadOutcome =
  | { kind: "message"; message: TdsMessage }
  /** The peer closed (FIN or reset) before a whole message arrived; `bytes` were received. */
  | { kind: "closed"; reset: boolean; bytes: number }
  | { kind: "timeout"; bytes: number }
  | { kind: "protocol"; error: TdsProtocolError }
  | { kind: "aborted" };

/**
 * Reads one TDS message. Listeners are removed and the stream paused when it settles, so the caller
 * can hand the stream on (to a TLS tunnel, for one).
 */
export function readOneMessage(
  stream: Duplex,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<ReadOutcome> {
  const reader = new MessageReader();
  let bytes = 0;
  return new Promise((resolve) => {
    if (signal?.aborted === true) {
      resolve({ kind: "aborted" });
      return;
    }
    if (stream.destroyed || stream.readableEnded) {
      resolve({ kind: "closed", reset: stream.destroyed, bytes: 0 });
      return;
    }
    let settled = false;
    const settle = (outcome: ReadOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      stream.off("data", onData);
      stream.off("end", onEnd);
      stream.off("close", onClose);
      stream.off("error", onError);
      stream.pause();
      resolve(outcome);
    };
    const onData = (chunk: Buffer): void => {
      bytes += chunk.length;
      try {
        const [message] = reader.feed(chunk);
        if (message !== undefined) settle({ kind: "message", message });
      } catch (error) {
        if (error instanceof TdsProtocolError)
          settle({ kind: "protocol", error });
        else throw error;
      }
    };
    const closedOutcome = (reset: boolean): ReadOutcome => {
      if (bytes === 0) return { kind: "closed", reset, bytes };
      try {
        reader.finish();
        return { kind: "closed", reset, bytes };
      } catch (error) {
        if (error instanceof TdsProtocolError)
          return { kind: "protocol", error };
        throw error;
      }
    };
    const onEnd = (): void => settle(closedOutcome(false));
    const onClose = (): void => settle(closedOutcome(true));
    const onError = (): void => settle(closedOutcome(true));
    const onAbort = (): void => settle({ kind: "aborted" });
    const timer = setTimeout(
      () => settle({ kind: "timeout", bytes }),
      timeoutMs,
    );
    stream.on("data", onData);
    stream.once("end", onEnd);
    stream.once("close", onClose);
    stream.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    stream.resume();
  });
}
