// Whether an address is this laptop's: it is when a socket can bind to it. Checked before a run, so a vantage
// whose source address is not on the laptop is refused with a sentence instead of recording plant faults (every
// connection from it would fail with EADDRNOTAVAIL). Every 127.x address binds on Linux, so the practice plant's
// vantages pass. The bind is a UDP socket on port 0: nothing is sent and nothing listens.
import { createSocket } from "node:dgram";
import { isIP } from "node:net";
import { errorCode } from "../errors";

/** Null when a socket binds to `address` here; otherwise the system's error code ("EADDRNOTAVAIL", …). */
export function bindFailure(address: string): Promise<string | null> {
  const family = isIP(address);
  if (family === 0) return Promise.resolve("EINVAL");
  return new Promise((resolve) => {
    const socket = createSocket(family === 6 ? "udp6" : "udp4");
    const finish = (failure: string | null): void => {
      socket.removeAllListeners();
      try {
        socket.close();
      } catch {
        // never bound: nothing to close
      }
      resolve(failure);
    };
    socket.once("error", (error) => finish(errorCode(error) || "EINVAL"));
    socket.once("listening", () => finish(null));
    socket.bind({ address, port: 0, exclusive: true });
  });
}
