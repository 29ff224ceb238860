// The network layer every probe uses (TLS, HTTP, mTLS, TCP, firewall, SQL Server):
//
//   const limiter = HostLimiter.fromPolicy(plan.policy);          // one per run: 2 per host, 16 overall
//   const resolved = await resolveTarget({ host, port }, { timeoutMs, signal });          // DNS failure named
//   await withConnection({ host, port }, { limiter, timeoutMs, localAddress, signal }, async (socket) => {
//     …talk…                                                      // the socket is closed, then the slot freed
//   });
//
// Failures are ConnectError with `state` (refused, filtered, dns-failure, unreachable, reset) and a sentence
// as `message`. Aborting the signal destroys sockets and rejects waits at once with the signal's reason.
export {
  ConnectError,
  abortReason,
  classifyConnectError,
  closeSocket,
  connectFailureOrStop,
  connectFailureRecord,
  connectResolved,
  connectionStates,
  defaultLookup,
  describeConnectFailure,
  isStop,
  resolveTarget,
  type ConnectFailure,
  type ConnectOptions,
  type ConnectionState,
  type HostLookup,
  type ResolvedAddress,
  type TcpTarget,
} from "./connect";
export {
  DEFAULT_LIMITS,
  HostLimiter,
  retryOnReset,
  sleep,
  withConnection,
  withRetries,
  type LimiterOptions,
  type RetryOptions,
  type WithConnectionOptions,
} from "./limiter";
export { bindFailure } from "./local-address";
export { laptopAddresses } from "./laptop-addresses";
export {
  classifyTlsError,
  TLS_SENTENCES,
  type TlsErrorClass,
  type TlsErrorKind,
} from "./tls-errors";
export type { ProbeOptions } from "./probe-options";
