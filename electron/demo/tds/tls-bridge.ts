// Server-side TLS for the practice SQL Server: a TLSSocket over an in-memory pair, fed either with the payloads
// of the client's PRELOGIN packets (TDS 7, MS-TDS 3.3.5.2) or with the raw bytes of the connection (TDS 8.0).
// In TDS 7 the server's handshake flights go back wrapped in PRELOGIN packets; once the client sends raw TLS
// (it has finished its handshake), both directions carry raw TLS records.
import type { Socket } from "node:net";
import { Duplex } from "node:stream";
import { TLSSocket, type SecureContext } from "node:tls";
import {
  encodeMessage,
  MessageReader,
  PacketType,
} from "../../engine/protocols/tds/packet";

/** Two in-memory ends: what is written to one is read from the other. */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (other: () => Duplex | undefined): Duplex =>
    new Duplex({
      read() {
        // Data is pushed by the other end's writes.
      },
      write(chunk: Buffer, _encoding, callback) {
        other()?.push(chunk);
        callback();
      },
      final(callback) {
        other()?.push(null);
        callback();
      },
    });
  const a = make(() => ends[1]);
  const b = make(() => ends[0]);
  ends.push(a, b);
  return [a, b];
}

/** TLS first (TDS 8.0): the whole connection is TLS from its first byte. */
export function tlsFirst(
  socket: Socket,
  first: Buffer,
  secureContext: SecureContext,
): TLSSocket {
  const [inner, outer] = duplexPair();
  const tls = new TLSSocket(inner, {
    isServer: true,
    secureContext,
    ALPNProtocols: ["tds/8.0"],
  });
  outer.on("data", (chunk: Buffer) => {
    if (!socket.destroyed) socket.write(chunk);
  });
  outer.write(first);
  socket.on("data", (chunk: Buffer) => outer.write(chunk));
  socket.on("end", () => outer.end());
  socket.on("close", () => tls.destroy());
  socket.resume();
  return tls;
}

/** TLS inside PRELOGIN packets (TDS 7), then raw TLS once the client has switched. */
export function tlsInsidePrelogin(
  socket: Socket,
  secureContext: SecureContext,
  onProtocolError: (reason: string) => void,
): TLSSocket {
  const [inner, outer] = duplexPair();
  const tls = new TLSSocket(inner, { isServer: true, secureContext });
  const reader = new MessageReader();
  let serverDone = false;
  let wrapping = true;
  let flight: Buffer[] = [];
  let flushQueued = false;

  const flush = (): void => {
    flushQueued = false;
    if (flight.length === 0 || socket.destroyed) return;
    socket.write(encodeMessage(PacketType.PRELOGIN, Buffer.concat(flight)));
    flight = [];
  };
  outer.on("data", (chunk: Buffer) => {
    if (!wrapping) {
      if (!socket.destroyed) socket.write(chunk);
      return;
    }
    // A flight is written as several records in one go: send it as one PRELOGIN message.
    flight.push(chunk);
    if (!flushQueued) {
      flushQueued = true;
      setImmediate(flush);
    }
  });
  tls.once("secure", () => {
    serverDone = true;
  });
  socket.on("data", (chunk: Buffer) => {
    if (wrapping && serverDone) {
      // The client finished its handshake and now speaks raw TLS.
      flush();
      wrapping = false;
    }
    if (!wrapping) {
      outer.write(chunk);
      return;
    }
    try {
      for (const message of reader.feed(chunk)) {
        if (message.type !== PacketType.PRELOGIN) {
          onProtocolError(
            `a packet of type 0x${message.type.toString(16)} arrived during the TLS handshake`,
          );
          return;
        }
        outer.write(message.payload);
      }
    } catch (error) {
      onProtocolError(error instanceof Error ? error.message : String(error));
    }
  });
  socket.on("end", () => outer.end());
  socket.on("close", () => tls.destroy());
  socket.resume();
  return tls;
}
