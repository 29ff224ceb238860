// Endpoints that misbehave: each gets a verdict with a clear reason within the timeout — no crash, no hang, and
// evidence of bounded size. Plus probing safely: the per-host limit as the server sees it, and Stop.
import { connect, createServer, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPracticePki, type PracticePki } from "../../electron/demo/pki";
import {
  oversizedChain,
  startHostileServer,
  startTlsServer,
  type HostileBehaviour,
  type RunningServer,
} from "../../electron/demo/tls-servers";
import { HostLimiter } from "../../electron/engine/net";
import { judgeTlsProfile } from "../../electron/engine/rules/tls-profile";
import {
  probeTls,
  type TlsProbeOptions,
} from "../../electron/engine/protocols/tls";
import { TlsEvidence } from "../../shared/evidence/tls";
import { startFilteredPort } from "../support/filtered-port";

const NAME = "mes01.plant.local";
const running: RunningServer[] = [];
let pki: PracticePki;

const options = (
  timeoutMs = 1000,
  extra: Partial<TlsProbeOptions> = {},
): TlsProbeOptions => ({
  endpointKind: "tls",
  policy: { timeoutMs, maxConnectionsPerHost: 2, maxConnections: 16 },
  ...extra,
});

async function judge(evidence: TlsEvidence) {
  return await judgeTlsProfile("APP-EXT", evidence, {
    anchorsPem: [pki.root.pem],
    publicRoots: false,
    policy: {},
    now: new Date(),
  });
}

async function hostile(behaviour: HostileBehaviour): Promise<RunningServer> {
  const server = await startHostileServer({ behaviour });
  running.push(server);
  return server;
}

beforeAll(() => {
  pki = createPracticePki();
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
});

describe("hostile endpoints", () => {
  const cases: { behaviour: HostileBehaviour; answer: string; says: RegExp }[] =
    [
      {
        behaviour: "garbage",
        answer: "garbage",
        says: /answered a TLS ClientHello with bytes that are not TLS \(5a/,
      },
      {
        behaviour: "silence",
        answer: "silent",
        says: /answered nothing to a TLS ClientHello within 1 s/,
      },
      {
        behaviour: "one-byte-a-second",
        answer: "slow",
        says: /sent only [1-3] bytes? in 1 s in answer to a TLS ClientHello/,
      },
      {
        behaviour: "reset-mid-handshake",
        answer: "reset",
        says: /resets the connection when it receives a TLS ClientHello/,
      },
    ];
  for (const { behaviour, answer, says } of cases) {
    it(`fails "${behaviour}" on tls.protocol with a reason, and judges nothing else`, async () => {
      const server = await hostile(behaviour);
      const evidence = await probeTls(
        { host: "127.0.0.1", port: server.port, serverName: NAME },
        options(),
      );
      expect(TlsEvidence.parse(evidence)).toEqual(evidence);
      expect(evidence.speaksTls).toMatchObject({ verdict: "no", answer });
      const outcomes = await judge(evidence);
      expect(outcomes.map((o) => o.verdict)).toEqual([
        "fail",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
      ]);
      expect(outcomes[0]?.message).toMatch(says);
      expect(outcomes[1]).toMatchObject({ reason: "prerequisite failed" });
      expect(JSON.stringify(evidence).length).toBeLessThan(20_000);
    });
  }

  it.each([
    [
      "hello-retry-loop" as const,
      /answered every TLS 1\.3 ClientHello with a HelloRetryRequest and never a ServerHello/,
    ],
    [
      "alert-storm" as const,
      /No TLS handshake with the server completed \(The TLS handshake failed: too many warn alerts\)/,
    ],
  ])(
    "never passes tls.protocol for %s, a server that never completes a handshake",
    async (behaviour, says) => {
      const server = await hostile(behaviour);
      const evidence = await probeTls(
        { host: "127.0.0.1", port: server.port, serverName: NAME },
        options(),
      );
      expect(evidence.handshake).toBeNull();
      const outcomes = await judge(evidence);
      expect(outcomes.map((o) => o.verdict)).toEqual([
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
      ]);
      expect(outcomes[0]?.message).toMatch(says);
      if (behaviour === "hello-retry-loop") {
        const tls13 = evidence.protocols.find((p) => p.protocol === "TLSv1.3");
        expect(tls13).toMatchObject({
          helloRetryOnly: true,
          detail: "HelloRetryRequest TLS 1.3",
        });
        expect(outcomes[0]?.reason).toBe("handshake not completed");
      }
    },
  );

  it("fails a 1 MB chain on cert.chain with a reason, reading none of it into memory", async () => {
    const leaf = pki.issueLeaf({ commonName: NAME });
    const server = await startTlsServer({
      chain: oversizedChain(leaf, pki.intermediate),
    });
    running.push(server);
    const evidence = await probeTls(
      { host: "127.0.0.1", port: server.port, serverName: NAME },
      options(3000),
    );
    const outcomes = await judge(evidence);
    expect(outcomes.map((o) => o.verdict)).toEqual([
      "pass",
      "pass",
      "fail",
      "not-tested",
      "not-tested",
      "not-tested",
    ]);
    expect(outcomes[2]?.message).toMatch(
      /larger than TLS clients accept|Certificate message is 1,0\d\d,\d\d\d bytes/,
    );
    expect(evidence.chain).toEqual([]);
    expect(JSON.stringify(evidence).length).toBeLessThan(20_000);
  });

  it("calls a filtered port unreachable, and judges nothing", async (context) => {
    let filtered;
    try {
      filtered = await startFilteredPort();
    } catch (error) {
      context.skip(`no filtered port on this system (${String(error)})`);
      return;
    }
    try {
      const evidence = await probeTls(
        { host: "127.0.0.1", port: filtered.port },
        options(600),
      );
      expect(evidence.unreachable?.kind).toBe("filtered");
      const outcomes = await judge(evidence);
      expect(
        outcomes.every(
          (o) => o.verdict === "not-tested" && o.reason === "unreachable",
        ),
      ).toBe(true);
      expect(outcomes[0]?.message).toMatch(
        /^Nothing answered on 127\.0\.0\.1:\d+ within 0\.6 s/,
      );
    } finally {
      await filtered.stop();
    }
  });

  it("reports a name that does not resolve as a DNS failure", async () => {
    const lookup = () =>
      Promise.reject(
        Object.assign(new Error("no such host"), { code: "ENOTFOUND" }),
      );
    const evidence = await probeTls(
      { host: "mes99.plant.invalid", port: 443 },
      options(1000, { lookup }),
    );
    expect(evidence.unreachable?.kind).toBe("dns-failure");
    expect((await judge(evidence))[0]).toMatchObject({
      verdict: "not-tested",
      reason: "unreachable",
    });
  });

  it("refuses to send legacy hellos to an endpoint that is not of a TLS kind", async () => {
    await expect(
      probeTls(
        { host: "127.0.0.1", port: 1 },
        options(1000, { endpointKind: "tcp" }),
      ),
    ).rejects.toThrow(/only for TLS endpoints/);
  });
});

describe("probing safely", () => {
  /** A TCP relay in front of a TLS server that counts how many connections are open at once. */
  async function countingRelay(upstreamPort: number) {
    let open = 0;
    let peak = 0;
    let total = 0;
    const sockets = new Set<Socket>();
    const relay = createServer((client) => {
      open++;
      total++;
      peak = Math.max(peak, open);
      const server = connect(upstreamPort, "127.0.0.1");
      sockets.add(client);
      sockets.add(server);
      client.on("error", () => undefined);
      server.on("error", () => undefined);
      client.pipe(server).pipe(client);
      client.on("close", () => {
        open--;
        server.destroy();
      });
      server.on("close", () => client.destroy());
    });
    await new Promise<void>((resolve) =>
      relay.listen(0, "127.0.0.1", () => resolve()),
    );
    const address = relay.address();
    return {
      port: typeof address === "object" && address !== null ? address.port : 0,
      peak: () => peak,
      total: () => total,
      close: () =>
        new Promise<void>((resolve) => {
          for (const s of sockets) s.destroy();
          relay.close(() => resolve());
        }),
    };
  }

  it("never holds more connections to a host than the limit, as the server sees it", async () => {
    const leaf = pki.issueLeaf({ commonName: NAME });
    const server = await startTlsServer({
      chain: pki.chainOf(leaf),
      minVersion: "TLSv1",
      securityLevel: 0,
      ciphers: "DEFAULT",
    });
    running.push(server);
    for (const limit of [1, 2]) {
      const relay = await countingRelay(server.port);
      try {
        const evidence = await probeTls(
          { host: "127.0.0.1", port: relay.port, serverName: NAME },
          {
            endpointKind: "tls",
            policy: {
              timeoutMs: 3000,
              maxConnectionsPerHost: limit,
              maxConnections: 16,
            },
          },
        );
        expect(
          evidence.protocols
            .filter((p) => p.accepted === true)
            .map((p) => p.protocol),
        ).toEqual(["TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]);
        expect(relay.total()).toBe(evidence.timings.connections);
        expect(relay.peak()).toBeLessThanOrEqual(limit);
      } finally {
        await relay.close();
      }
    }
  });

  it("shares one limiter across probes of a run", async () => {
    const leaf = pki.issueLeaf({ commonName: NAME });
    const server = await startTlsServer({ chain: pki.chainOf(leaf) });
    running.push(server);
    const relay = await countingRelay(server.port);
    try {
      const limiter = new HostLimiter({ maxConnectionsPerHost: 1 });
      await Promise.all(
        [1, 2, 3].map(() =>
          probeTls(
            { host: "127.0.0.1", port: relay.port, serverName: NAME },
            options(3000, { limiter }),
          ),
        ),
      );
      expect(relay.peak()).toBe(1);
    } finally {
      await relay.close();
    }
  });

  it.each([
    ["stopped", undefined],
    // A signal may carry a reason of its own (AbortSignal.timeout does): it is still a Stop, not a failure.
    ["stopped with a reason of its own", new Error("The operator stopped.")],
  ])(
    "stops at once when the run is %s, and records the Stop as the other probes do",
    async (_name, reason) => {
      const server = await hostile("silence");
      const controller = new AbortController();
      const probe = probeTls(
        { host: "127.0.0.1", port: server.port },
        options(15_000, { signal: controller.signal }),
      );
      setTimeout(() => controller.abort(reason), 100);
      const evidence = await probe;
      // What was seen is kept: where it connected.
      expect(evidence.target.address).toBe("127.0.0.1");
      // Ended by the Stop, not by the 15 s timeout (which would have recorded a silent server, not a stop).
      expect(evidence.unreachable).toEqual({
        stage: "first-hello",
        protocol: null,
        kind: "stopped",
        code: "ABORT_ERR",
        message:
          "The probe was stopped before it finished, so nothing was judged.",
      });
      const outcomes = await judge(evidence);
      expect(outcomes.map((o) => o.reason)).toEqual(Array(6).fill("stopped"));
    },
  );
});
