// Reading OPC UA messages off a socket: chunks framed by their 8-byte header, gathered until the final (or
// aborting) chunk, within a deadline, within the sizes the probe announced, stoppable at once. Every read ends in
// one named outcome, so the probe turns anything a server does into a verdict, never a hang.
import type { Socket } from "node:net";
import { OpcuaDecodeError } from "./binary";
import {
  HEADER_SIZE,
  parseChunkHeader,
  type ChunkType,
  type MessageType,
} from "./messages";

export type ReadOutcome =
  | {
      kind: "message";
      type: MessageType;
      /** Every chunk of the message, headers included, in order. */
      chunks: Buffer[];
      /** "F" for a complete message, "A" when the server aborted it. */
      final: Exclude<ChunkType, "C">;
      bytes: number;
    }
  /** The peer closed (FIN) or reset the connection before a whole message arrived. */
  | { kind: "closed"; reset: boolean; bytes: number }
  | { kind: "timeout"; bytes: number }
  /** Bytes that cannot be OPC UA; `sniffed` names what they look like instead. */
  | {
      kind: "protocol";
      error: OpcuaDecodeError;
      sniffed: "tls" | "http" | "ssh" | null;
    }
  | { kind: "aborted" };

export interface ReadLimits {
  /** The largest chunk accepted (the ReceiveBufferSize the probe announced). */
  maxChunkSize: number;
  /** The largest whole message accepted (the MaxMessageSize the probe announced). */
  maxMessageSize: number;
}

/** What the first bytes of a non-OPC UA answer look like, for a clearer sentence. */
export function sniff(bytes: Buffer): "tls" | "http" | "ssh" | null {
  if (bytes.length >= 2 && bytes[0] === 0x16 && bytes[1] === 0x03) return "tls";
  if (bytes.length >= 2 && bytes[0] === 0x15 && bytes[1] === 0x03) return "tls";
  const text = bytes.subarray(0, 5).toString("latin1");
  if (text.startsWith("HTTP/")) return "http";
  if (text.startsWith("SSH-")) return "ssh";
  return null;
}

/**
 * The messages arriving on one connection. Created once per socket; `next` waits for the next whole message.
 * Bytes that arrive early wait in the buffer for the next call.
 */
export class MessageStream {
  private buffer: Buffer = Buffer.alloc(0);
  private received = 0;
  private ended: { reset: boolean } | null = null;
  private wake: (() => void) | null = null;

  constructor(private readonly socket: Socket) {
    socket.on("data", (chunk: Buffer) => {
      this.buffer =
        this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
      this.received += chunk.length;
      this.wake?.();
    });
    socket.once("end", () => this.finish(false));
    socket.once("close", (hadError: boolean) => this.finish(hadError));
    socket.on("error", () => this.finish(true));
  }

  /** Bytes received on the connection so far. */
  get bytes(): number {
    return this.received;
  }

  private finish(reset: boolean): void {
    this.ended ??= { reset };
    this.wake?.();
  }

  next(
    limits: ReadLimits,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<ReadOutcome> {
    return new Promise((resolve) => {
      if (signal?.aborted === true) {
        resolve({ kind: "aborted" });
        return;
      }
      const chunks: Buffer[] = [];
      let type: MessageType | null = null;
      let messageBytes = 0;
      let settled = false;
      const settle = (outcome: ReadOutcome): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
        this.wake = null;
        resolve(outcome);
      };
      const protocol = (error: OpcuaDecodeError, bytes: Buffer): void =>
        settle({ kind: "protocol", error, sniffed: sniff(bytes) });
      const pump = (): void => {
        while (!settled && this.buffer.length >= HEADER_SIZE) {
          let header;
          try {
            header = parseChunkHeader(this.buffer);
          } catch (error) {
            if (!(error instanceof OpcuaDecodeError)) throw error;
            protocol(error, this.buffer);
            return;
          }
          if (header.size > limits.maxChunkSize) {
            protocol(
              new OpcuaDecodeError(
                "too-large",
                `a ${header.messageType} chunk of ${header.size} bytes exceeds the ${limits.maxChunkSize} bytes announced`,
              ),
              this.buffer,
            );
            return;
          }
          if (type !== null && header.messageType !== type) {
            protocol(
              new OpcuaDecodeError(
                "malformed",
                `a ${header.messageType} chunk arrived in the middle of a ${type} message`,
              ),
              this.buffer,
            );
            return;
          }
          if (this.buffer.length < header.size) break;
          const chunk = this.buffer.subarray(0, header.size);
          this.buffer = this.buffer.subarray(header.size);
          type = header.messageType;
          chunks.push(chunk);
          messageBytes += chunk.length;
          if (messageBytes > limits.maxMessageSize) {
            protocol(
              new OpcuaDecodeError(
                "too-large",
                `the ${type} message exceeds the ${limits.maxMessageSize} bytes announced`,
              ),
              chunk,
            );
            return;
          }
          if (header.chunkType !== "C") {
            settle({
              kind: "message",
              type,
              chunks,
              final: header.chunkType,
              bytes: messageBytes,
            });
            return;
          }
        }
        if (!settled && this.ended !== null) {
          const bytes = messageBytes + this.buffer.length;
          if (bytes > 0 && this.buffer.length > 0 && sniff(this.buffer)) {
            protocol(
              new OpcuaDecodeError(
                "malformed",
                "the answer is not OPC UA binary",
              ),
              this.buffer,
            );
            return;
          }
          settle({ kind: "closed", reset: this.ended.reset, bytes });
        }
      };
      const onAbort = (): void => settle({ kind: "aborted" });
      const timer = setTimeout(
        () =>
          settle({ kind: "timeout", bytes: messageBytes + this.buffer.length }),
        timeoutMs,
      );
      signal?.addEventListener("abort", onAbort, { once: true });
      this.wake = pump;
      pump();
    });
  }
}
