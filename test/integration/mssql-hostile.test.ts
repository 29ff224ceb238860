// Servers that do not behave: truncated packets, wrong packet types, lengths beyond the packet, absurd option
// offsets, TLS records instead of a PRELOGIN answer, silence. Each gives a clear verdict within the timeout —
// no crash, no hang — and random answers (fast-check) never break the probe.
import fc from "fast-check";
import type { Socket } from "node:net";
import {
  createServer as createTlsServer,
  type Server as TlsServer,
} from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { judgeAppDb } from "../../electron/engine/rules/app-db";
import { encodeMessage } from "../../electron/engine/protocols/tds/packet";
import { buildPrelogin } from "../../electron/engine/protocols/tds/prelogin";
import { probeMssql } from "../../electron/engine/protocols/tds/probe";
import { MssqlEvidence } from "../../shared/evidence/mssql";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import {
  hostileServer,
  sqlCertificates,
  SQL_NAME,
  type SqlCertificates,
} from "../support/tds";

const TIMEOUT_MS = 400;
const closers: (() => Promise<void>)[] = [];
let certs: SqlCertificates;
beforeAll(() => {
  certs = sqlCertificates();
});
afterAll(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server that answers every connection's first bytes with `answer(first)`; ends the connection unless told not to. */
async function answering(
  answer: (first: Buffer) => Buffer | null,
  options: { end?: boolean } = {},
): Promise<number> {
  const server = await hostileServer((socket: Socket) => {
    socket.once("data", (first: Buffer) => {
      const bytes = answer(first);
      if (bytes !== null) socket.write(bytes);
      if (options.end ?? true) socket.end();
    });
  });
  closers.push(() => server.close());
  return server.port;
}

async function judge(
  port: number,
): Promise<{ evidence: MssqlEvidence; checks: Record<string, CheckOutcome> }> {
  const evidence = await probeMssql(
    { host: "127.0.0.1", port, serverName: SQL_NAME },
    {
      anchorsPem: [certs.anchorPem],
      publicRoots: false,
      timeoutMs: TIMEOUT_MS,
    },
  );
  expect(() => MssqlEvidence.parse(evidence)).not.toThrow();
  const outcomes = await judgeAppDb(evidence, {
    anchorsPem: [certs.anchorPem],
    publicRoots: false,
    headroomDays: 30,
    minimumTlsVersion: "TLSv1.2",
    credentialsGiven: false,
    now: new Date(),
  });
  expect(outcomes).toHaveLength(6);
  return {
    evidence,
    checks: Object.fromEntries(
      outcomes.map((o) => [o.checkId.replace("APP-DB.", ""), o]),
    ),
  };
}

const header = (type: number, length: number, status = 0x01): Buffer => {
  const b = Buffer.alloc(8);
  b.writeUInt8(type, 0);
  b.writeUInt8(status, 1);
  b.writeUInt16BE(length, 2);
  return b;
};
const validAnswer = (encryption: number): Buffer =>
  encodeMessage(
    0x04,
    buildPrelogin({
      version: { major: 16, minor: 0, build: 1000, subbuild: 0 },
      encryption,
    }),
  );
const TLS_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
const isClientHello = (first: Buffer): boolean => first[0] === 0x16;

describe("hostile SQL Servers", () => {
  it("a truncated packet: the connection closes inside it", async () => {
    const port = await answering(() =>
      Buffer.concat([header(0x04, 100), Buffer.alloc(20)]),
    );
    const { evidence, checks } = await judge(port);
    expect(evidence.prelogin).toMatchObject({
      outcome: "not-tds",
      error: { code: "truncated" },
    });
    expect(checks["tds.encryption"]).toMatchObject({
      verdict: "fail",
      message: expect.stringMatching(
        /closed inside a TDS packet \(28 of the 100 bytes/,
      ) as unknown,
    });
    expect(checks["tds.cert"]).toMatchObject({
      reason: "prerequisite failed",
      message: expect.stringMatching(
        /^Not judged: APP-DB\.tds\.encryption failed/,
      ) as unknown,
    });
  });

  it("a truncated packet and then silence: a verdict at the timeout", async () => {
    const port = await answering(
      () => Buffer.concat([header(0x04, 100), Buffer.alloc(20)]),
      { end: false },
    );
    const { evidence, checks } = await judge(port);
    expect(evidence.prelogin).toMatchObject({
      outcome: "no-answer",
      error: { kind: "timeout" },
    });
    expect(checks["tds.encryption"]?.message).toMatch(
      /28 bytes of an unfinished answer/,
    );
    expect(checks["tds.encryption"]?.verdict).toBe("fail");
  });

  it("wrong packet types: a type MS-TDS does not define, and a real type that is not a response", async () => {
    const unknown = await judge(
      await answering(() => Buffer.concat([header(0x42, 9), Buffer.from([0])])),
    );
    expect(unknown.evidence.prelogin?.error?.code).toBe("wrong-type");
    expect(unknown.checks["tds.encryption"]?.verdict).toBe("fail");
    const batch = await judge(
      await answering(() => {
        const bytes = validAnswer(3);
        bytes[0] = 0x01;
        return bytes;
      }),
    );
    expect(batch.checks["tds.encryption"]?.message).toMatch(
      /packet type 0x01 instead of 0x04/,
    );
  });

  it("lengths beyond the packet: a header over 32767, and an option running past the answer", async () => {
    const huge = await judge(await answering(() => header(0x04, 0xffff)));
    expect(huge.evidence.prelogin?.error?.code).toBe("bad-length");
    const pastEnd = await judge(
      await answering(() => {
        const payload = Buffer.from([0x01, 0x00, 0x06, 0x01, 0x00, 0xff, 0x03]);
        return encodeMessage(0x04, payload);
      }),
    );
    expect(pastEnd.checks["tds.encryption"]?.message).toMatch(
      /option ENCRYPTION points at bytes 6–261, beyond the 7 bytes/,
    );
  });

  it("absurd option offsets: into the option table, and an answer without ENCRYPTION", async () => {
    const intoTable = await judge(
      await answering(() =>
        encodeMessage(
          0x04,
          Buffer.from([0x01, 0x00, 0x00, 0x00, 0x01, 0xff, 0x03]),
        ),
      ),
    );
    expect(intoTable.checks["tds.encryption"]?.message).toMatch(
      /inside the option table/,
    );
    const noEncryption = await judge(
      await answering(() => encodeMessage(0x04, Buffer.from([0xff]))),
    );
    expect(noEncryption.checks["tds.encryption"]?.message).toMatch(
      /no ENCRYPTION option/,
    );
  });

  it("TLS records instead of a PRELOGIN answer, from a server that is no SQL Server at all", async () => {
    const { evidence, checks } = await judge(await answering(() => TLS_ALERT));
    expect(evidence.prelogin?.outcome).toBe("tls-answer");
    expect(evidence.tds8?.outcome).toBe("tls-failed");
    expect(checks["tds.encryption"]).toMatchObject({
      verdict: "fail",
      message: expect.stringMatching(
        /does not answer as a SQL Server: .*TLS record/,
      ) as unknown,
    });
  });

  it("a plain TLS server: TLS works, but nothing answers PRELOGIN inside it", async () => {
    const server: TlsServer = createTlsServer(
      { key: certs.good.key, cert: certs.good.cert },
      (socket) => {
        socket.on("error", () => undefined);
        socket.resume();
      },
    );
    server.on("tlsClientError", () => undefined);
    await new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", resolve),
    );
    closers.push(
      () => new Promise<void>((resolve) => server.close(() => resolve())),
    );
    const address = server.address();
    const port =
      typeof address === "object" && address !== null ? address.port : 0;
    const { evidence, checks } = await judge(port);
    expect(evidence.tds8?.outcome).toBe("no-tds-answer");
    expect(checks["tds.encryption"]?.verdict).toBe("fail");
  });

  it("silence: connects, never says a word", async () => {
    const port = await answering(() => null, { end: false });
    const { evidence, checks } = await judge(port);
    expect(evidence.prelogin?.outcome).toBe("no-answer");
    expect(evidence.tds8?.tls?.error?.kind).toBe("timeout");
    expect(checks["tds.encryption"]?.message).toMatch(
      /did not answer the PRELOGIN within 400 ms/,
    );
  });

  it("a good PRELOGIN answer, then a broken TLS handshake: encryption forced, but no TLS session (protocol fails once)", async () => {
    const port = await answering(
      (first) => (isClientHello(first) ? null : validAnswer(3)),
      { end: false },
    );
    // After the answer the server sends a SQL_BATCH packet where the handshake belongs.
    const server = await hostileServer((socket) => {
      let turn = 0;
      socket.on("data", () => {
        turn += 1;
        socket.write(
          turn === 1
            ? validAnswer(3)
            : Buffer.concat([header(0x01, 12), Buffer.alloc(4)]),
        );
      });
    });
    closers.push(() => server.close());
    for (const p of [port, server.port]) {
      const { evidence, checks } = await judge(p);
      expect(checks["tds.encryption"]?.verdict).toBe("pass");
      expect(evidence.prelogin?.tls?.completed).toBe(false);
      expect(checks["tds.protocol"]?.verdict).toBe("fail");
      expect(checks["tds.cert"]).toMatchObject({
        verdict: "not-tested",
        reason: "no certificate",
      });
    }
  });

  it.each([
    ["Stop", undefined],
    // A signal may carry a reason of its own (AbortSignal.timeout does): it is still a Stop, not a failure.
    ["Stop with a reason of its own", new Error("The operator stopped.")],
  ])(
    "%s: a probe waiting on a silent server ends at once, judging nothing",
    async (_name, reason) => {
      const stop = new AbortController();
      const server = await hostileServer(() => {
        // The server never answers; Stop is pressed once the probe is connected.
        stop.abort(reason);
      });
      closers.push(() => server.close());
      const evidence = await probeMssql(
        { host: "127.0.0.1", port: server.port, serverName: SQL_NAME },
        {
          anchorsPem: [],
          publicRoots: false,
          timeoutMs: 20_000,
          signal: stop.signal,
        },
      );
      expect(evidence.unreachable).toMatchObject({ kind: "stopped" });
      const outcomes = await judgeAppDb(evidence, {
        anchorsPem: [],
        publicRoots: false,
        headroomDays: 30,
        minimumTlsVersion: "TLSv1.2",
        credentialsGiven: false,
        now: new Date(),
      });
      expect(
        outcomes.every(
          (o) => o.verdict === "not-tested" && o.reason === "stopped",
        ),
      ).toBe(true);
    },
  );

  it("random answers never crash or hang the probe (property)", async () => {
    let next: Buffer = Buffer.alloc(0);
    const server = await hostileServer((socket) => {
      socket.once("data", () => {
        socket.end(next);
      });
    });
    closers.push(() => server.close());
    const answer = fc.oneof(
      fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
      fc.integer({ min: 0, max: 255 }).map((e) => validAnswer(e)),
      fc
        .tuple(
          fc.integer({ min: 0, max: 255 }),
          fc.array(fc.nat(), { maxLength: 4 }),
          fc.nat(255),
        )
        .map(([e, positions, value]) => {
          const bytes = validAnswer(e);
          for (const p of positions) bytes[p % bytes.length] = value;
          return bytes;
        }),
    );
    await fc.assert(
      fc.asyncProperty(answer, async (bytes) => {
        next = bytes;
        const { checks } = await judge(server.port);
        return ["pass", "fail", "not-tested", "warn"].includes(
          checks["tds.encryption"]?.verdict ?? "",
        );
      }),
      { numRuns: process.env.CELLCERT_THOROUGH === "1" ? 300 : 25 },
    );
  });
});
