// Probing safely in a live plant (DESIGN §5): at most `maxConnectionsPerHost` connections to one host (default
// 2) and `maxConnections` overall (default 16), bounded retries, and `withConnection`, which frees a slot only
// once its socket is really closed — so with a limit of 1 a host never sees a second connection while the first
// is open (some embedded stacks serve one connection at a time).
import type { Socket } from "node:net";
import {
  abortReason,
  closeSocket,
  ConnectError,
  connectResolved,
  resolveTarget,
  type ConnectOptions,
  type ResolvedAddress,
  type TcpTarget,
} from "./connect";

export interface LimiterOptions {
  maxConnectionsPerHost?: number;
  maxConnections?: number;
}

export const DEFAULT_LIMITS = {
  maxConnectionsPerHost: 2,
  maxConnections: 16,
} as const;

interface Waiter {
  host: string;
  grant: (release: () => void) => void;
  reject: (reason: unknown) => void;
}

/**
 * Connection slots per host and overall, granted first come, first served. Key hosts by the address you
 * connect to, so two names of one machine share its slots. One limiter per run (or per CLI probe).
 */
export class HostLimiter {
  readonly maxConnectionsPerHost: number;
  readonly maxConnections: number;
  private readonly perHost = new Map<string, number>();
  private total = 0;
  private readonly queue: Waiter[] = [];

  constructor(options: LimiterOptions = {}) {
    this.maxConnectionsPerHost = clampLimit(
      options.maxConnectionsPerHost,
      DEFAULT_LIMITS.maxConnectionsPerHost,
    );
    this.maxConnections = clampLimit(
      options.maxConnections,
      DEFAULT_LIMITS.maxConnections,
    );
  }

  static fromPolicy(policy: LimiterOptions): HostLimiter {
    return new HostLimiter(policy);
  }

  /** Connections now held to `host` (for tests and progress displays). */
  activeFor(host: string): number {
    return this.perHost.get(host) ?? 0;
  }

  get active(): number {
    return this.total;
  }

  /** Waits for a slot; resolves with its release function (calling it twice is harmless). */
  acquire(host: string, signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        host,
        grant: (release) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(release);
        },
        reject,
      };
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        reject(abortReason(signal ?? new AbortController().signal));
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
      this.dispatch();
    });
  }

  /** Runs `task` holding one slot for `host`. */
  async run<T>(
    host: string,
    task: () => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    const release = await this.acquire(host, signal);
    try {
      return await task();
    } finally {
      release();
    }
  }

  private hasRoom(host: string): boolean {
    return (
      this.total < this.maxConnections &&
      this.activeFor(host) < this.maxConnectionsPerHost
    );
  }

  private dispatch(): void {
    for (let i = 0; i < this.queue.length;) {
      const waiter = this.queue[i];
      if (waiter === undefined || !this.hasRoom(waiter.host)) {
        i++;
        continue;
      }
      this.queue.splice(i, 1);
      this.total++;
      this.perHost.set(waiter.host, this.activeFor(waiter.host) + 1);
      let released = false;
      waiter.grant(() => {
        if (released) return;
        released = true;
        this.total--;
        const left = this.activeFor(waiter.host) - 1;
        if (left <= 0) this.perHost.delete(waiter.host);
        else this.perHost.set(waiter.host, left);
        this.dispatch();
      });
    }
  }
}

function clampLimit(value: number | undefined, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.max(1, Math.min(fallback, Math.floor(value)));
}

export interface RetryOptions {
  /** Attempts in all, 1 to 4 (so at most 3 retries). */
  attempts: number;
  /** Pause before each retry, doubled every time. */
  delayMs: number;
  signal?: AbortSignal;
  /** Which failures are worth another try; by default only resets (a refused or silent port stays so). */
  retryOn?: (error: unknown) => boolean;
}

export const retryOnReset = (error: unknown): boolean =>
  error instanceof ConnectError && error.state === "reset";

/** Runs `task` until it succeeds or the attempts are spent; aborting stops the waiting at once. */
export async function withRetries<T>(
  task: (attempt: number) => Promise<T>,
  options: RetryOptions,
): Promise<T> {
  const attempts = Math.max(1, Math.min(4, Math.floor(options.attempts)));
  const retryOn = options.retryOn ?? retryOnReset;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (error) {
      if (attempt >= attempts || !retryOn(error)) throw error;
      await sleep(options.delayMs * 2 ** (attempt - 1), options.signal);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(abortReason(signal));
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortReason(signal ?? new AbortController().signal));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

export interface WithConnectionOptions extends ConnectOptions {
  limiter: HostLimiter;
  /** Already resolved (saves a lookup per connection); resolved here when absent. */
  resolved?: ResolvedAddress;
  /** Connection attempts in all when the connect is reset (1 = no retry). Default 2. */
  attempts?: number;
}

/**
 * Holds a slot for the target's address, connects (retrying a reset, boundedly), runs `use`, then closes the
 * socket and only then frees the slot. `use` may leave the socket open or throw; it is closed either way.
 */
export async function withConnection<T>(
  target: TcpTarget,
  options: WithConnectionOptions,
  use: (socket: Socket) => Promise<T>,
): Promise<T> {
  const resolved = options.resolved ?? (await resolveTarget(target, options));
  const release = await options.limiter.acquire(
    resolved.address,
    options.signal,
  );
  let socket: Socket | undefined;
  try {
    socket = await withRetries(
      () => connectResolved(target, resolved, options),
      {
        attempts: options.attempts ?? 2,
        delayMs: 100,
        ...(options.signal !== undefined && { signal: options.signal }),
      },
    );
    const open = socket;
    const onAbort = (): void => {
      open.destroy();
    };
    options.signal?.addEventListener("abort", onAbort, { once: true });
    try {
      return await use(open);
    } finally {
      options.signal?.removeEventListener("abort", onAbort);
    }
  } finally {
    if (socket !== undefined) await closeSocket(socket);
    release();
  }
}
