// How one connection attempt ended (DESIGN §2), as plain values: the socket layer names the states without
// building the zod schema of connection.ts, which re-exports them (so `cellcert probe tls` starts without zod).
export const connectionStates = [
  "open",
  "refused",
  "filtered",
  "dns-failure",
  "unreachable",
  "reset",
] as const;
export type ConnectionState = (typeof connectionStates)[number];
export type ConnectFailure = Exclude<ConnectionState, "open">;

/** Every state but open: the ways a connection can fail. */
export const connectFailures = connectionStates.filter(
  (state): state is ConnectFailure => state !== "open",
);
