// The practice plant's firewall: a connection from a source a real firewall would block is reset (RST) at
// once, as a rejecting firewall answers — so segmentation and firewall checks measure something real.
import type { Socket } from "node:net";

/** Which source addresses may connect. */
export type SourceRule = (remoteAddress: string) => boolean;

/** Sources whose address starts with one of the prefixes, e.g. "127.0.2." for the perimeter cell. */
export function allowSources(...prefixes: readonly string[]): SourceRule {
  return (address) => {
    const plain = address.startsWith("::ffff:")
      ? address.slice("::ffff:".length)
      : address;
    return prefixes.some(
      (prefix) => plain === prefix || plain.startsWith(prefix),
    );
  };
}

/** Refuses the connection the way a firewall does: a reset, not an orderly close. */
export function refuseConnection(socket: Socket): void {
  socket.resetAndDestroy();
}
