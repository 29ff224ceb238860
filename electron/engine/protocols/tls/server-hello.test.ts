import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HELLO_RETRY_REQUEST_RANDOM,
  readServerFlight,
  type ServerFlight,
} from "./server-hello";

const u16 = (n: number) => Buffer.from([n >> 8, n & 0xff]);
const u24 = (n: number) => Buffer.from([n >> 16, (n >> 8) & 0xff, n & 0xff]);
const record = (type: number, version: number, payload: Buffer) =>
  Buffer.concat([
    Buffer.from([type]),
    u16(version),
    u16(payload.length),
    payload,
  ]);
const message = (type: number, body: Buffer) =>
  Buffer.concat([Buffer.from([type]), u24(body.length), body]);
const extension = (type: number, data: Buffer) =>
  Buffer.concat([u16(type), u16(data.length), data]);

function serverHelloBody(fields: {
  version?: number;
  suite: number;
  random?: Buffer;
  extensions?: Buffer[];
}): Buffer {
  const extensions = fields.extensions;
  return Buffer.concat([
    u16(fields.version ?? 0x0303),
    fields.random ?? Buffer.alloc(32, 0x33),
    Buffer.from([0]),
    u16(fields.suite),
    Buffer.from([0]),
    ...(extensions === undefined
      ? []
      : [u16(Buffer.concat(extensions).length), ...extensions]),
  ]);
}

const TLS12_HELLO = message(
  2,
  serverHelloBody({
    suite: 0xc02f,
    extensions: [extension(0xff01, Buffer.from([0]))],
  }),
);

function expectHello(flight: ServerFlight) {
  if (flight.status !== "server-hello") throw new Error(`got ${flight.status}`);
  return flight;
}

describe("reading a server's first flight", () => {
  it("reads a TLS 1.2 ServerHello", () => {
    const flight = expectHello(
      readServerFlight(record(0x16, 0x0303, TLS12_HELLO)),
    );
    expect(flight.hello).toMatchObject({
      protocol: "TLSv1.2",
      version: 0x0303,
      suite: 0xc02f,
      helloRetryRequest: false,
      downgradeSentinel: null,
      extensions: [0xff01],
    });
    expect(flight.complete).toBe(true);
  });

  it("waits for more bytes, whatever the TCP segments", () => {
    const bytes = record(0x16, 0x0303, TLS12_HELLO);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(readServerFlight(bytes.subarray(0, cut)).status).toBe(
        "incomplete",
      );
    }
    expect(readServerFlight(bytes).status).toBe("server-hello");
  });

  it("reassembles a ServerHello split across two records", () => {
    const first = TLS12_HELLO.subarray(0, 20);
    const second = TLS12_HELLO.subarray(20);
    const bytes = Buffer.concat([
      record(0x16, 0x0303, first),
      record(0x16, 0x0303, second),
    ]);
    expect(expectHello(readServerFlight(bytes)).hello.suite).toBe(0xc02f);
  });

  it("reads several handshake messages from one record, up to ServerHelloDone", () => {
    const certificate = Buffer.from("30820001ff", "hex");
    const other = Buffer.from("3003020101", "hex");
    const list = Buffer.concat([
      u24(certificate.length),
      certificate,
      u24(other.length),
      other,
    ]);
    const flightBytes = record(
      0x16,
      0x0303,
      Buffer.concat([
        TLS12_HELLO,
        message(11, Buffer.concat([u24(list.length), list])),
        message(13, Buffer.from([1, 1, 0, 0, 0, 0])),
        message(14, Buffer.alloc(0)),
      ]),
    );
    const flight = expectHello(
      readServerFlight(flightBytes, { until: "server-hello-done" }),
    );
    expect(flight.certificates?.map((c) => c.toString("hex"))).toEqual([
      "30820001ff",
      "3003020101",
    ]);
    expect(flight.certificateRequest).toBe(true);
    expect(flight.complete).toBe(true);
    // Only the ServerHello was asked for: the rest is not read.
    expect(expectHello(readServerFlight(flightBytes)).certificates).toBeNull();
  });

  it("returns the partial flight when no more bytes will come", () => {
    const truncated = record(
      0x16,
      0x0303,
      Buffer.concat([TLS12_HELLO, message(11, Buffer.alloc(40))]).subarray(
        0,
        60,
      ),
    );
    expect(
      readServerFlight(truncated, { until: "server-hello-done" }).status,
    ).toBe("incomplete");
    const flight = expectHello(
      readServerFlight(truncated, { until: "server-hello-done", final: true }),
    );
    expect(flight.complete).toBe(false);
  });

  it("reports a Certificate message larger than allowed without reading it", () => {
    const header = Buffer.concat([Buffer.from([11]), u24(1_048_576)]);
    const bytes = Buffer.concat([
      record(0x16, 0x0303, TLS12_HELLO),
      record(0x16, 0x0303, header),
    ]);
    const flight = expectHello(
      readServerFlight(bytes, { until: "server-hello-done" }),
    );
    expect(flight.oversized).toEqual({ type: 11, bytes: 1_048_576 });
  });

  it("reads the DHE group size from ServerKeyExchange", () => {
    const hello = message(2, serverHelloBody({ suite: 0x009e }));
    const p = Buffer.concat([Buffer.from([0x80]), Buffer.alloc(127, 0xff)]);
    const ske = message(
      12,
      Buffer.concat([u16(p.length), p, u16(1), Buffer.from([2])]),
    );
    const flight = expectHello(
      readServerFlight(
        record(
          0x16,
          0x0303,
          Buffer.concat([hello, ske, message(14, Buffer.alloc(0))]),
        ),
        {
          until: "server-hello-done",
        },
      ),
    );
    expect(flight.dhBits).toBe(1024);
  });

  it("reads TLS 1.3 from supported_versions, with the key share group", () => {
    const body = serverHelloBody({
      suite: 0x1301,
      extensions: [
        extension(43, u16(0x0304)),
        extension(51, Buffer.concat([u16(0x001d), u16(32), Buffer.alloc(32)])),
      ],
    });
    const flight = expectHello(
      readServerFlight(record(0x16, 0x0303, message(2, body))),
    );
    expect(flight.hello).toMatchObject({
      protocol: "TLSv1.3",
      version: 0x0304,
      legacyVersion: 0x0303,
      group: 0x001d,
    });
  });

  it("recognises a HelloRetryRequest and the group it asks for", () => {
    const body = serverHelloBody({
      suite: 0x1302,
      random: HELLO_RETRY_REQUEST_RANDOM,
      extensions: [extension(43, u16(0x0304)), extension(51, u16(0x0017))],
    });
    const flight = expectHello(
      readServerFlight(record(0x16, 0x0303, message(2, body))),
    );
    expect(flight.hello).toMatchObject({
      helloRetryRequest: true,
      suite: 0x1302,
      group: 0x0017,
      protocol: "TLSv1.3",
    });
  });

  it("reads an SSL 3.0 ServerHello without extensions", () => {
    const body = serverHelloBody({ version: 0x0300, suite: 0x000a });
    const flight = expectHello(
      readServerFlight(record(0x16, 0x0300, message(2, body))),
    );
    expect(flight.hello).toMatchObject({
      protocol: "SSLv3",
      suite: 0x000a,
      extensions: [],
    });
  });

  it("notices the TLS 1.3 downgrade sentinel", () => {
    const random = Buffer.concat([
      Buffer.alloc(24, 1),
      Buffer.from("444f574e47524401", "hex"),
    ]);
    const flight = expectHello(
      readServerFlight(
        record(
          0x16,
          0x0303,
          message(2, serverHelloBody({ suite: 0xc02f, random })),
        ),
      ),
    );
    expect(flight.hello.downgradeSentinel).toBe("tls12");
  });

  it("reads alerts, before and after the ServerHello", () => {
    expect(
      readServerFlight(Buffer.from("150303000202 28".replace(" ", ""), "hex")),
    ).toEqual({
      status: "alert",
      alert: { level: 2, description: 40, name: "handshake_failure" },
      received: 7,
    });
    expect(
      readServerFlight(Buffer.from("15030100020246", "hex")),
    ).toMatchObject({
      alert: { name: "protocol_version" },
    });
    const after = Buffer.concat([
      record(0x16, 0x0303, TLS12_HELLO),
      Buffer.from("15030300020274", "hex"),
    ]);
    expect(
      expectHello(readServerFlight(after, { until: "server-hello-done" })).alert
        ?.name,
    ).toBe("certificate_required");
  });

  it("calls plaintext and garbage not TLS, at the first byte that proves it", () => {
    expect(
      readServerFlight(Buffer.from("HTTP/1.1 400 Bad Request\r\n")),
    ).toMatchObject({ status: "not-tls" });
    expect(readServerFlight(Buffer.from("H"))).toMatchObject({
      status: "not-tls",
    });
    expect(readServerFlight(Buffer.from("SSH-2.0-OpenSSH_9.2"))).toMatchObject({
      status: "not-tls",
    });
    expect(readServerFlight(Buffer.from("16fe", "hex"))).toMatchObject({
      status: "not-tls",
    });
    expect(readServerFlight(Buffer.from("1603030000", "hex"))).toMatchObject({
      status: "not-tls",
    });
    expect(readServerFlight(Buffer.from("170303000101", "hex"))).toMatchObject({
      status: "not-tls",
    });
    expect(
      readServerFlight(record(0x16, 0x0303, message(11, Buffer.alloc(3)))),
    ).toMatchObject({ status: "not-tls" });
  });

  it("reads an SSL 2.0 SERVER-HELLO and ERROR", () => {
    const certificate = Buffer.from("3082", "hex");
    const specs = Buffer.from("010080" + "0700c0", "hex");
    const body = Buffer.concat([
      Buffer.from([4, 0, 1]),
      u16(0x0002),
      u16(certificate.length),
      u16(specs.length),
      u16(16),
      certificate,
      specs,
      Buffer.alloc(16, 7),
    ]);
    const bytes = Buffer.concat([u16(0x8000 | body.length), body]);
    expect(readServerFlight(bytes, { sslv2: true })).toMatchObject({
      status: "sslv2-server-hello",
      ciphers: [0x010080, 0x0700c0],
    });
    expect(
      readServerFlight(bytes.subarray(0, 10), { sslv2: true }).status,
    ).toBe("incomplete");
    expect(
      readServerFlight(Buffer.from("8003000001", "hex"), { sslv2: true }),
    ).toMatchObject({
      status: "sslv2-error",
      code: 1,
    });
  });

  it("never throws, whatever bytes arrive", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 600 }),
        fc.boolean(),
        fc.boolean(),
        (bytes, sslv2, final) => {
          const flight = readServerFlight(Buffer.from(bytes), {
            sslv2,
            final,
            until: final ? "server-hello-done" : "server-hello",
          });
          expect(flight.status).toMatch(
            /^(incomplete|not-tls|alert|server-hello|sslv2-server-hello|sslv2-error)$/,
          );
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("never throws on records that look like TLS but carry random handshakes", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 300 }),
        fc.integer({ min: 0, max: 4 }),
        (payload, minor) => {
          const bytes = record(
            0x16,
            0x0300 + minor,
            Buffer.concat([
              Buffer.from([2]),
              u24(payload.length),
              Buffer.from(payload),
            ]),
          );
          expect(() =>
            readServerFlight(bytes, {
              until: "server-hello-done",
              final: true,
            }),
          ).not.toThrow();
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("gives the same answer however the bytes are cut", () => {
    const whole = Buffer.concat([
      record(0x16, 0x0303, TLS12_HELLO.subarray(0, 30)),
      record(0x16, 0x0303, TLS12_HELLO.subarray(30)),
    ]);
    const expected = readServerFlight(whole);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: whole.length }), (cut) => {
        const partial = readServerFlight(whole.subarray(0, cut));
        expect(cut === whole.length ? partial : partial.status).toEqual(
          cut === whole.length ? expected : "incomplete",
        );
      }),
    );
  });
});
