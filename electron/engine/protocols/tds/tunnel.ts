// TLS inside TDS 7.x (MS-TDS 3.2.5.2): the handshake records travel as the payload of PRELOGIN (0x12)
// packets both ways. This Duplex is the "socket" handed to tls.connect: what TLS writes goes out wrapped,
// what the server sends comes back unwrapped. The probe closes right after the handshake, so the switch to
// raw TLS that a real client makes next is never needed.
import { Duplex } from "node:stream";
import {
  DEFAULT_PACKET_SIZE,
  encodeMessage,
  MessageReader,
  PacketType,
  TdsProtocolError,
} from "./packet";

export class PreloginTlsTunnel extends Duplex {
  private readonly reader = new MessageReader();
  private outgoing: Buffer[] = [];
  private flushScheduled = false;
  /** The first protocol fault seen, kept so the probe can name it even when TLS reports something vaguer. */
  fault: TdsProtocolError | null = null;

  constructor(
    private readonly raw: Duplex,
    private readonly packetSize = DEFAULT_PACKET_SIZE,
  ) {
    super();
    raw.on("data", this.onData);
    raw.on("end", this.onEnd);
    raw.on("error", this.onError);
    raw.resume();
  }

  private readonly onData = (chunk: Buffer): void => {
    try {
      for (const message of this.reader.feed(chunk)) {
        if (
          message.type !== PacketType.PRELOGIN &&
          message.type !== PacketType.TABULAR_RESULT
        ) {
          throw new TdsProtocolError(
            "wrong-type",
            `during the TLS handshake the server sent a TDS packet of type 0x${message.type.toString(16).padStart(2, "0")} instead of PRELOGIN (0x12)`,
          );
        }
        this.push(message.payload);
      }
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly onEnd = (): void => {
    try {
      this.reader.finish();
      this.push(null);
    } catch (error) {
      this.fail(error);
    }
  };

  private readonly onError = (error: Error): void => {
    this.destroy(error);
  };

  private fail(error: unknown): void {
    if (error instanceof TdsProtocolError && this.fault === null)
      this.fault = error;
    this.destroy(error instanceof Error ? error : new Error(String(error)));
  }

  override _read(): void {
    // Data is pushed as it arrives from the raw socket.
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    // One TLS flight is written as several records in one go: gather them into one PRELOGIN message,
    // as SQL Server expects a flight per message.
    this.outgoing.push(chunk);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.flush();
    callback();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.outgoing.length === 0 || this.raw.destroyed) return;
    const payload = Buffer.concat(this.outgoing);
    this.outgoing = [];
    this.raw.write(
      encodeMessage(PacketType.PRELOGIN, payload, {
        packetSize: this.packetSize,
      }),
    );
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    this.raw.off("data", this.onData);
    this.raw.off("end", this.onEnd);
    this.raw.off("error", this.onError);
    callback(error);
  }
}
