// How one connection attempt ended, as every probe records it (DESIGN §2): refused and filtered are
// measurements where "closed" is wanted; DNS failure and unreachable mean nothing could be judged.
import { z } from "zod";

export const connectionStates = [
  "open",
  "refused",
  "filtered",
  "dns-failure",
  "unreachable",
  "reset",
] as const;
export const ConnectionState = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof ConnectionState>;
export type ConnectFailure = Exclude<ConnectionState, "open">;

/** Every state but open: the ways a connection can fail. */
export const connectFailures = connectionStates.filter(
  (state): state is ConnectFailure => state !== "open",
);
