// Hostile endpoints on loopback: something that is not OPC UA, silence, a close or reset after the Hello, an OPC
// UA error, a server that acknowledges and then misbehaves, oversized chunks, a trickle, random answers, and Stop.
// Each ends in a clear verdict within the timeout — never a hang, never an exception — and the connection slot is
// freed once the connection is closed.
import fc from "fast-check";
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HostLimiter } from "../../electron/engine/net";
import { probeOpcua } from "../../electron/engine/protocols/opcua/probe";
import { judgeOpcua } from "../../electron/engine/rules/opcua";
import { OpcuaEvidence } from "../../shared/evidence/opcua";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import {
  acknowledge,
  errorMessage,
  getEndpointsResponse,
  hostileServer,
  MES_ADDRESS,
  onMessages,
  openResponse,
  OPCUA_SERVER_ADDRESS,
} from "../support/opcua";

/** The least the plan's policy allows: hostile servers are given no more time than that. */
const TIMEOUT_MS = 500;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(handle: (socket: Socket) => void) {
  const server = await hostileServer(handle);
  closers.push(() => server.close());
  return server;
}

async function probeAndJudge(
  port: number,
  options: { signal?: AbortSignal; timeoutMs?: number } = {},
) {
  const limiter = new HostLimiter({ maxConnectionsPerHost: 1 });
  const evidence = await probeOpcua(
    { host: OPCUA_SERVER_ADDRESS, port },
    {
      timeoutMs: options.timeoutMs ?? TIMEOUT_MS,
      localAddress: MES_ADDRESS,
      limiter,
      ...(options.signal !== undefined && { signal: options.signal }),
    },
  );
  expect(OpcuaEvidence.parse(evidence)).toEqual(evidence);
  expect(limiter.active).toBe(0);
  const outcomes = await judgeOpcua(evidence, {
    anchorsPem: [],
    publicRoots: false,
    headroomDays: 30,
    now: new Date(),
  });
  return { evidence, outcomes, mode: outcomes[0] as CheckOutcome };
}

/** `.mode` fails with the sentence; the other four are not-tested, naming `.mode` as the prerequisite. */
function expectNotOpcua(outcomes: readonly CheckOutcome[], sentence: RegExp) {
  const [mode, ...rest] = outcomes;
  expect(mode?.checkId).toBe("MES-PCS.opcua.mode");
  expect(mode?.verdict).toBe("fail");
  expect(mode?.message).toMatch(sentence);
  for (const other of rest) {
    expect(other.verdict).toBe("not-tested");
    expect(other.reason).toBe("prerequisite failed");
    expect(other.message).toMatch(/MES-PCS\.opcua\.mode failed/);
  }
}

/** All five not-tested with one reason: nothing could be judged. */
function expectUnjudged(outcomes: readonly CheckOutcome[], reason: string) {
  expect(outcomes.map((o) => o.verdict)).toEqual(Array(5).fill("not-tested"));
  expect(new Set(outcomes.map((o) => o.reason))).toEqual(new Set([reason]));
}

describe("the OPC UA probe against hostile endpoints", () => {
  it("fails .mode for a web server: it answers HTTP, not OPC UA", async () => {
    const server = await serve((socket) =>
      socket.once("data", () =>
        socket.end("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n"),
      ),
    );
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.hello?.outcome).toBe("not-opcua");
    expect(evidence.hello?.error?.code).toBe("http-answer");
    expectNotOpcua(outcomes, /answers with HTTP, not OPC UA/);
  });

  it("fails .mode for a TLS port: it answers with a TLS alert", async () => {
    const server = await serve((socket) =>
      socket.once("data", () =>
        socket.end(Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28])),
      ),
    );
    const { outcomes } = await probeAndJudge(server.port);
    expectNotOpcua(outcomes, /answers with TLS/);
  });

  it("fails .mode for silence after the Hello, within the timeout", async () => {
    const server = await serve(() => undefined);
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.hello?.outcome).toBe("no-answer");
    expectNotOpcua(outcomes, /did not answer the OPC UA Hello within 0\.5 s/);
  });

  it("fails .mode for a close after the Hello", async () => {
    const server = await serve((socket) =>
      socket.once("data", () => socket.end()),
    );
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.hello?.outcome).toBe("closed");
    expectNotOpcua(outcomes, /closed the connection after the OPC UA Hello/);
  });

  it("fails .mode for a reset after the Hello", async () => {
    const server = await serve((socket) =>
      socket.once("data", () => socket.resetAndDestroy()),
    );
    const { outcomes } = await probeAndJudge(server.port);
    expectNotOpcua(outcomes, /reset the connection after the OPC UA Hello/);
  });

  it("fails .mode for a few stray bytes and silence", async () => {
    const server = await serve((socket) =>
      socket.once("data", () => socket.write("ok\n")),
    );
    const { outcomes } = await probeAndJudge(server.port);
    expectNotOpcua(
      outcomes,
      /sent 3 bytes that are not a whole OPC UA message/,
    );
  });

  it("judges nothing when an OPC UA server refuses the Hello (a wrong path), naming the status", async () => {
    const server = await serve((socket) =>
      socket.once("data", () =>
        socket.end(errorMessage(0x80830000, "no such endpoint")),
      ),
    );
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.hello?.statusCode).toBe(0x80830000);
    expectUnjudged(outcomes, "endpoints not read");
    expect(outcomes[0]?.message).toMatch(
      /BadTcpEndpointUrlInvalid .*"no such endpoint".*path/,
    );
  });

  it("judges nothing when the server acknowledges and then stays silent", async () => {
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
      }),
    );
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.secureChannel?.outcome).toBe("no-answer");
    expectUnjudged(outcomes, "endpoints not read");
    expect(outcomes[0]?.message).toMatch(
      /did not answer the OpenSecureChannel request .* within 0\.5 s/,
    );
  });

  it("judges nothing when the server refuses the secure channel with an ERR", async () => {
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
        if (type === "OPN") socket.end(errorMessage(0x80550000, ""));
      }),
    );
    const { outcomes } = await probeAndJudge(server.port);
    expectUnjudged(outcomes, "endpoints not read");
    expect(outcomes[0]?.message).toMatch(/BadSecurityPolicyRejected/);
  });

  it("judges nothing when GetEndpoints ends in a ServiceFault", async () => {
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
        if (type === "OPN") socket.write(openResponse());
        if (type === "MSG") socket.write(getEndpointsResponse("fault"));
      }),
    );
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.getEndpoints?.outcome).toBe("error");
    expectUnjudged(outcomes, "endpoints not read");
    expect(outcomes[0]?.message).toMatch(/BadServiceUnsupported/);
  });

  it("refuses a chunk larger than the buffer it announced", async () => {
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
        if (type === "OPN") {
          const huge = Buffer.alloc(70_000);
          huge.write("OPNF", 0, "latin1");
          huge.writeUInt32LE(huge.length, 4);
          socket.write(huge);
        }
      }),
    );
    const { evidence, outcomes } = await probeAndJudge(server.port);
    expect(evidence.secureChannel?.error?.code).toBe("too-large");
    expectUnjudged(outcomes, "endpoints not read");
  });

  it("reads a chunked answer from a well-behaved fake, and judges it", async () => {
    const endpoints = Array.from({ length: 4 }, (_, i) => ({
      url: `opc.tcp://${OPCUA_SERVER_ADDRESS}:4840`,
      mode: i === 0 ? 1 : 3,
      policyUri: `http://opcfoundation.org/UA/SecurityPolicy#${i === 0 ? "None" : "Basic256Sha256"}`,
      certificate: null,
      tokens: [{ policyId: "anon", type: 0, policyUri: null }],
    }));
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
        if (type === "OPN") socket.write(openResponse());
        if (type === "MSG")
          socket.write(getEndpointsResponse(endpoints, { chunkBody: 100 }));
        if (type === "CLO") socket.end();
      }),
    );
    const { evidence, outcomes } = await probeAndJudge(server.port);
    expect(evidence.getEndpoints?.chunks).toBeGreaterThan(3);
    expect(evidence.getEndpoints?.endpoints).toHaveLength(4);
    expect(outcomes.map((o) => o.verdict)).toEqual([
      "fail",
      "pass",
      "fail",
      "pass",
      "not-tested",
    ]);
    expect(outcomes[4]?.reason).toBe("no certificate");
  });

  it("fails .cert for certificate bytes that are not X.509, and judges the rest", async () => {
    const server = await serve((socket) =>
      onMessages(socket, (type) => {
        if (type === "HEL") socket.write(acknowledge());
        if (type === "OPN") socket.write(openResponse());
        if (type === "MSG")
          socket.write(
            getEndpointsResponse([
              {
                url: `opc.tcp://${OPCUA_SERVER_ADDRESS}:4840`,
                mode: 3,
                policyUri:
                  "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
                // A DER SEQUENCE holding one INTEGER: well-formed DER, not a certificate.
                certificate: Buffer.from([0x30, 0x03, 0x02, 0x01, 0x00]),
                tokens: [{ policyId: "user", type: 1, policyUri: null }],
              },
            ]),
          );
        if (type === "CLO") socket.end();
      }),
    );
    const { evidence, outcomes } = await probeAndJudge(server.port);
    expect(evidence.getEndpoints?.endpoints[0]?.serverCertificateError).toMatch(
      /cannot be read as X\.509/,
    );
    expect(outcomes.map((o) => o.verdict)).toEqual([
      "pass",
      "pass",
      "pass",
      "pass",
      "fail",
    ]);
    expect(outcomes[4]?.message).toMatch(/cannot be read/);
  });

  it("gives up on a trickle of bytes at the timeout", async () => {
    const server = await serve((socket) => {
      const answer = acknowledge();
      let sent = 0;
      const timer = setInterval(() => {
        if (socket.destroyed || sent >= answer.length) {
          clearInterval(timer);
          return;
        }
        socket.write(answer.subarray(sent, sent + 1));
        sent++;
      }, 100);
      socket.on("close", () => clearInterval(timer));
    });
    const { outcomes, evidence } = await probeAndJudge(server.port);
    expect(evidence.hello?.outcome).toBe("no-answer");
    expect(outcomes[0]?.verdict).toBe("fail");
  });

  it.each([
    ["Stop", undefined],
    // A signal may carry a reason of its own (AbortSignal.timeout does): it is still a Stop, not a failure.
    ["Stop with a reason of its own", new Error("The operator stopped.")],
  ])(
    "stops at once when %s is pressed, judging nothing",
    async (_name, reason) => {
      const server = await serve(() => undefined);
      const controller = new AbortController();
      const probing = probeAndJudge(server.port, {
        signal: controller.signal,
        // Far longer than the test's own timeout: only the abort can end it in time.
        timeoutMs: 30_000,
      });
      await new Promise((resolve) => setTimeout(resolve, 100));
      controller.abort(reason);
      const { outcomes, evidence } = await probing;
      expect(evidence.unreachable?.kind).toBe("stopped");
      expectUnjudged(outcomes, "stopped");
    },
  );

  it("records a Stop during the name lookup as stopped, whatever reason the signal carries", async () => {
    for (const reason of [undefined, new Error("The operator stopped.")]) {
      const controller = new AbortController();
      const probing = probeOpcua(
        { host: "pcs01.plant.local", port: 4840 },
        {
          timeoutMs: 30_000,
          // A lookup that never answers: only the Stop can end it (nothing is sent anywhere).
          lookup: () => new Promise<never>(() => undefined),
          signal: controller.signal,
        },
      );
      controller.abort(reason);
      const evidence = await probing;
      expect(evidence.unreachable?.kind).toBe("stopped");
    }
  });

  it("judges nothing for a port where nothing listens", async () => {
    const server = await serve(() => undefined);
    const port = server.port;
    await server.close();
    const { outcomes, evidence } = await probeAndJudge(port);
    expect(evidence.unreachable?.kind).toBe("refused");
    expectUnjudged(outcomes, "unreachable");
  });

  it("turns any answer into a verdict: random bytes after the Hello, or after a good Acknowledge", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.boolean(),
        async (afterAck, bytes, close) => {
          const server = await hostileServer((socket) =>
            onMessages(socket, (type) => {
              if (type === "HEL" && afterAck) socket.write(acknowledge());
              if ((type === "HEL" && !afterAck) || type === "OPN") {
                if (close) socket.end(Buffer.from(bytes));
                else socket.write(Buffer.from(bytes));
              }
            }),
          );
          try {
            const { outcomes } = await probeAndJudge(server.port);
            expect(outcomes).toHaveLength(5);
            if (afterAck) expectUnjudged(outcomes, "endpoints not read");
            else expect(outcomes[0]?.verdict).not.toBe("pass");
          } finally {
            await server.close();
          }
        },
      ),
      { numRuns: Number(process.env.CELLCERT_FUZZ_RUNS ?? 15) },
    );
  }, 60_000);
});
