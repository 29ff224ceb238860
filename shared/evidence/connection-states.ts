// How one connection attempt ended (DESIGN §2), and the ways every probe can fail, as plain values: the socket
// layer and the probes name them without building the zod schemas of connection.ts, which re-exports them (so
// `cellcert probe tls` starts without zod).
/** The ways a connection can fail: every state but open. */
export const connectFailures = [
  "refused",
  "filtered",
  "dns-failure",
  "unreachable",
  "reset",
] as const;
export type ConnectFailure = (typeof connectFailures)[number];

export const connectionStates = ["open", ...connectFailures] as const;
export type ConnectionState = (typeof connectionStates)[number];

/**
 * The kinds of failure every protocol's probe records (TLS, SQL Server, OPC UA): the connection could not be made
 * (a connect failure, by its state), the server closed or said nothing in time, or Stop was pressed. Each protocol
 * adds its own kinds after these (an alert, an answer that is not its protocol…).
 */
export const probeFailureKinds = [
  ...connectFailures,
  "closed",
  "timeout",
  "stopped",
] as const;
export type ProbeFailureKind = (typeof probeFailureKinds)[number];

/** One failure as every probe records it: its kind, the system's or library's code ("" when none), a sentence. */
export interface ProbeFailure<Kind extends string = ProbeFailureKind> {
  kind: Kind;
  /** ECONNREFUSED, ERR_SSL_…, ABORT_ERR, an OPC UA status name, "" when none. */
  code: string;
  /** A sentence a user can act on. */
  message: string;
}

/** Stop was pressed while the probe ran: what it had seen is kept, and nothing is judged from it. */
export const STOPPED_FAILURE: ProbeFailure<"stopped"> = {
  kind: "stopped",
  code: "ABORT_ERR",
  message: "The probe was stopped before it finished, so nothing was judged.",
};
