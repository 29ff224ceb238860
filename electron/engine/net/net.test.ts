import { createServer, type Server, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startFilteredPort,
  type FilteredPort,
} from "../../../test/support/filtered-port";
import {
  ConnectError,
  HostLimiter,
  classifyConnectError,
  connectFailureOrStop,
  connectResolved,
  resolveTarget,
  sleep,
  withConnection,
  withRetries,
} from "./index";
import { probePorts } from "../protocols/tcp/ports";

/** One port's observation, through the tcp probe every reachability check uses. */
async function probeOne(
  target: { host: string; port: number },
  options: {
    timeoutMs: number;
    localAddress?: string;
    lookup?: Parameters<typeof probePorts>[2]["lookup"];
  },
) {
  const evidence = await probePorts(target.host, [target.port], {
    ...options,
    limiter: new HostLimiter(),
  });
  const [observation] = evidence.ports;
  if (observation === undefined) throw new Error("no observation");
  return observation;
}

interface CountingServer {
  server: Server;
  /** Destroys what is still connected and closes the server. */
  stop: () => Promise<void>;
  port: number;
  /** Most connections open at the same time, as the server saw them. */
  peak: () => number;
  accepted: () => number;
  /** Settles once the server has accepted this many connections in all (its "connection" events); fails after 5 s. */
  untilAccepted: (count: number) => Promise<void>;
}

function countingServer(
  onSocket?: (socket: Socket) => void,
): Promise<CountingServer> {
  let open = 0;
  let peak = 0;
  let accepted = 0;
  const sockets = new Set<Socket>();
  const waiting: { count: number; done: () => void }[] = [];
  const server = createServer((socket) => {
    accepted++;
    for (const waiter of waiting.filter((w) => w.count <= accepted)) {
      waiting.splice(waiting.indexOf(waiter), 1);
      waiter.done();
    }
    sockets.add(socket);
    open++;
    peak = Math.max(peak, open);
    socket.on("error", () => undefined);
    socket.on("close", () => {
      open--;
      sockets.delete(socket);
    });
    onSocket?.(socket);
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      resolve({
        server,
        stop: () => {
          for (const socket of sockets) socket.destroy();
          return new Promise<void>((done) => server.close(() => done()));
        },
        port:
          typeof address === "object" && address !== null ? address.port : 0,
        peak: () => peak,
        accepted: () => accepted,
        untilAccepted: (count) =>
          count <= accepted
            ? Promise.resolve()
            : new Promise<void>((done, fail) => {
                const timer = setTimeout(() => {
                  fail(
                    new Error(
                      `The server accepted ${accepted} of ${count} connections within 5 s.`,
                    ),
                  );
                }, 5000);
                waiting.push({
                  count,
                  done: () => {
                    clearTimeout(timer);
                    done();
                  },
                });
              }),
      });
    }),
  );
}

async function closedPort(): Promise<number> {
  const { stop, port } = await countingServer();
  await stop();
  return port;
}

const servers: CountingServer[] = [];
let echo: CountingServer;
let filtered: FilteredPort | null = null;
let filteredSkip = "";

beforeAll(async () => {
  echo = await countingServer();
  servers.push(echo);
  try {
    filtered = await startFilteredPort();
  } catch (error) {
    filteredSkip = `no filtered port on this system (${String(error)})`;
  }
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await filtered?.stop();
});

describe("classifying a connection", () => {
  it("finds an open port, and closes its connection", async () => {
    const result = await probeOne(
      { host: "127.0.0.1", port: echo.port },
      { timeoutMs: 2000 },
    );
    expect(result).toMatchObject({ state: "open", address: "127.0.0.1" });
  });

  it("calls a refused port refused, with a sentence", async () => {
    const port = await closedPort();
    const result = await probeOne(
      { host: "127.0.0.1", port },
      { timeoutMs: 2000 },
    );
    expect(result.state).toBe("refused");
    expect(result.message).toBe(
      `Nothing is listening on 127.0.0.1:${port}: the connection was refused. Check the port and that the service runs.`,
    );
  });

  it("calls a port that never answers filtered", async (context) => {
    if (filtered === null) {
      context.skip(filteredSkip);
      return;
    }
    const result = await probeOne(
      { host: "127.0.0.1", port: filtered.port },
      { timeoutMs: 600 },
    );
    expect(result.state).toBe("filtered");
    expect(result.message).toMatch(
      /^Nothing answered on 127\.0\.0\.1:\d+ within 0\.6 s: the port is filtered/,
    );
  });

  it("reports a name that does not resolve as a DNS failure", async () => {
    const lookup = () =>
      Promise.reject(Object.assign(new Error("nope"), { code: "ENOTFOUND" }));
    const result = await probeOne(
      { host: "mes01.plant.invalid", port: 443 },
      { timeoutMs: 1000, lookup },
    );
    expect(result.state).toBe("dns-failure");
    expect(result.message).toMatch(
      /^The name mes01\.plant\.invalid could not be resolved \(ENOTFOUND\)/,
    );
  });

  it("takes a Stop during the lookup for a Stop, whatever reason the signal carries, not for a DNS failure", async () => {
    for (const reason of [undefined, new Error("The operator stopped.")]) {
      const controller = new AbortController();
      // A lookup that never answers: only the Stop can end it.
      const lookup = () => new Promise<never>(() => undefined);
      const resolving = resolveTarget(
        { host: "mes01.plant.local", port: 443 },
        { timeoutMs: 10_000, lookup, signal: controller.signal },
      );
      controller.abort(reason);
      const error: unknown = await resolving.then(
        () => null,
        (rejected: unknown) => rejected,
      );
      expect(error).not.toBeInstanceOf(ConnectError);
      expect(connectFailureOrStop(error, controller.signal)).toMatchObject({
        kind: "stopped",
      });
    }
  });

  it("resolves names through the lookup, and takes IPv6 literals with or without brackets", async () => {
    const lookup = () =>
      Promise.resolve({ address: "127.0.0.1", family: 4 as const });
    expect(
      (
        await probeOne(
          { host: "mes01.plant.local", port: echo.port },
          { timeoutMs: 1000, lookup },
        )
      ).state,
    ).toBe("open");
    const v6 = await probeOne({ host: "[::1]", port: 9 }, { timeoutMs: 1000 });
    expect(v6.address).toBe("::1");
  });

  it("asks DNS for the source address's family only", async () => {
    const asked: (4 | 6 | undefined)[] = [];
    const lookup = (_host: string, family?: 4 | 6) => {
      asked.push(family);
      return Promise.resolve({ address: "127.0.0.1", family: 4 as const });
    };
    await probeOne(
      { host: "mes01.plant.local", port: echo.port },
      { timeoutMs: 1000, lookup, localAddress: "127.0.3.10" },
    );
    await probeOne(
      { host: "mes01.plant.local", port: echo.port },
      { timeoutMs: 1000, lookup },
    );
    expect(asked).toEqual([4, undefined]);
  });

  it("connects from the vantage's source address, and says when it is not this laptop's", async () => {
    const seen: string[] = [];
    const server = await countingServer((socket) =>
      seen.push(socket.remoteAddress ?? ""),
    );
    servers.push(server);
    const ok = await probeOne(
      { host: "127.0.0.1", port: server.port },
      { timeoutMs: 1000, localAddress: "127.0.3.10" },
    );
    expect(ok.state).toBe("open");
    await server.untilAccepted(1);
    expect(seen).toContain("127.0.3.10");
    const wrongFamily = await probeOne(
      { host: "127.0.0.1", port: server.port },
      { timeoutMs: 1000, localAddress: "::1" },
    );
    expect(wrongFamily.state).toBe("unreachable");
  });

  it("maps system error codes to states", () => {
    const code = (c: string) => Object.assign(new Error(c), { code: c });
    expect(classifyConnectError(code("ECONNREFUSED"))).toBe("refused");
    expect(classifyConnectError(code("ECONNRESET"))).toBe("reset");
    expect(classifyConnectError(code("EHOSTUNREACH"))).toBe("unreachable");
    expect(classifyConnectError(code("EAI_AGAIN"))).toBe("dns-failure");
    expect(classifyConnectError(code("ETIMEDOUT"))).toBe("filtered");
  });

  it("stops at once when aborted", async (context) => {
    if (filtered === null) {
      context.skip(filteredSkip);
      return;
    }
    const controller = new AbortController();
    const attempt = connectResolved(
      { host: "127.0.0.1", port: filtered.port },
      { address: "127.0.0.1", family: 4 },
      { timeoutMs: 30_000, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 20);
    await expect(attempt).rejects.toMatchObject({ name: "AbortError" });
  });
});

describe("the host limiter", () => {
  it("never holds more than the per-host limit, as the server sees it", async () => {
    for (const limit of [1, 2]) {
      const server = await countingServer();
      servers.push(server);
      const limiter = new HostLimiter({ maxConnectionsPerHost: limit });
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withConnection(
            { host: "127.0.0.1", port: server.port },
            { limiter, timeoutMs: 2000 },
            () => sleep(15),
          ),
        ),
      );
      await server.untilAccepted(8);
      expect(server.accepted()).toBe(8);
      expect(server.peak()).toBe(limit);
    }
  });

  it("gives two names of one machine one machine's slots when probing ports", async () => {
    const server = await countingServer();
    servers.push(server);
    const limiter = new HostLimiter({ maxConnectionsPerHost: 1 });
    const lookup = () =>
      Promise.resolve({ address: "127.0.0.1", family: 4 as const });
    const ports = [server.port, server.port, server.port];
    const [a, b] = await Promise.all(
      ["mes01.plant.local", "mes01-alias.plant.local"].map((host) =>
        probePorts(host, ports, { timeoutMs: 2000, limiter, lookup }),
      ),
    );
    await server.untilAccepted(6);
    expect(
      [...(a?.ports ?? []), ...(b?.ports ?? [])].map((p) => p.state),
    ).toEqual(Array(6).fill("open"));
    expect(server.accepted()).toBe(6);
    expect(server.peak()).toBe(1);
  });

  it("caps connections overall and per host, first come first served", async () => {
    const limiter = new HostLimiter({
      maxConnectionsPerHost: 2,
      maxConnections: 3,
    });
    const order: string[] = [];
    let peak = 0;
    const task = (host: string, i: number) =>
      limiter.run(host, async () => {
        peak = Math.max(peak, limiter.active);
        expect(limiter.activeFor(host)).toBeLessThanOrEqual(2);
        await sleep(5);
        order.push(`${host}${i}`);
      });
    await Promise.all(
      [0, 1, 2, 3].flatMap((i) => [task("a", i), task("b", i)]),
    );
    expect(peak).toBe(3);
    expect(order).toHaveLength(8);
    expect(limiter.active).toBe(0);
  });

  it("takes the policy's limits but never more than DESIGN §5 allows", () => {
    expect(
      HostLimiter.fromPolicy({ maxConnectionsPerHost: 1, maxConnections: 4 }),
    ).toMatchObject({
      maxConnectionsPerHost: 1,
      maxConnections: 4,
    });
    expect(
      new HostLimiter({ maxConnectionsPerHost: 10, maxConnections: 99 }),
    ).toMatchObject({
      maxConnectionsPerHost: 2,
      maxConnections: 16,
    });
  });

  it("gives up a waiting slot when aborted", async () => {
    const limiter = new HostLimiter({ maxConnectionsPerHost: 1 });
    const release = await limiter.acquire("h");
    const controller = new AbortController();
    const waiting = limiter.acquire("h", controller.signal);
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ name: "AbortError" });
    release();
    release();
    expect(limiter.active).toBe(0);
    const again = await limiter.acquire("h");
    again();
  });
});

describe("bounded retries", () => {
  it("retries a reset, not a refusal, and never more than asked", async () => {
    const target = { host: "h", port: 1 };
    let calls = 0;
    await expect(
      withRetries(
        () => {
          calls++;
          return Promise.reject(
            new ConnectError("reset", target, "reset", "ECONNRESET"),
          );
        },
        { attempts: 3, delayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(ConnectError);
    expect(calls).toBe(3);
    calls = 0;
    await expect(
      withRetries(
        () => {
          calls++;
          return Promise.reject(
            new ConnectError("refused", target, "refused", "ECONNREFUSED"),
          );
        },
        { attempts: 3, delayMs: 1 },
      ),
    ).rejects.toBeInstanceOf(ConnectError);
    expect(calls).toBe(1);
    expect(
      await withRetries((attempt) => Promise.resolve(attempt), {
        attempts: 99,
        delayMs: 1,
      }),
    ).toBe(1);
  });
});
