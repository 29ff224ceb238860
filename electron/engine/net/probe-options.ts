// The one probe contract's options: what every protocol probe (protocols/tls, tds, opcua, http, tcp) takes from
// the family that runs it — the timeout, the vantage's source address, Stop, the run's limiter and its clock.
import type { HostLookup } from "./connect";
import type { HostLimiter } from "./limiter";

export interface ProbeOptions {
  /** Per connection attempt and per answer awaited (the plan's policy.timeoutMs). */
  timeoutMs: number;
  /** The vantage's source address (one network card per cell). */
  localAddress?: string | undefined;
  /** Stop at once: sockets are destroyed, and the probe records or rejects with the signal's reason. */
  signal?: AbortSignal;
  /** The run's connection limiter (DESIGN §5); a probe of its own gets one with the default limits. */
  limiter?: HostLimiter;
  /** Name resolution; tests inject one to make DNS fail without the network. */
  lookup?: HostLookup;
  /** The run's clock, for every time the evidence records (the injected clock of DESIGN §6). */
  now?: () => Date;
}
