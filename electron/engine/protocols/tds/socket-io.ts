// Reading exactly one TDS message from a stream with a timeout, ending in one named outcome: the probe turns
// every outcome into a verdict, never a hang or a crash.
import type { Duplex } from "node:stream";
import { MessageReader, TdsProtocolError, type TdsMessage } from "./packet";

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
