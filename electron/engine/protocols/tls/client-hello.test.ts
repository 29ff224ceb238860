import { describe, expect, it } from "vitest";
import { buildClientHello, GROUPS } from "./client-hello";
import {
  CIPHER_SUITES,
  suitesFor,
} from "../../../../shared/evidence/cipher-suites";

const RANDOM = Buffer.alloc(32, 0x11);

/** Reads a ClientHello back (for the tests only): the fields and the extensions by type. */
function parseClientHello(bytes: Buffer) {
  let at = 0;
  const u8 = () => bytes[at++]!;
  const u16 = () => {
    const v = bytes.readUInt16BE(at);
    at += 2;
    return v;
  };
  const take = (n: number) => {
    const v = bytes.subarray(at, at + n);
    at += n;
    return v;
  };
  const recordType = u8();
  const recordVersion = u16();
  const recordLength = u16();
  expect(recordLength).toBe(bytes.length - 5);
  expect(u8()).toBe(1);
  const handshakeLength = bytes.readUIntBE(at, 3);
  at += 3;
  expect(handshakeLength).toBe(bytes.length - 9);
  const version = u16();
  const random = take(32);
  const sessionId = take(u8());
  const suiteBytes = take(u16());
  const suites = Array.from({ length: suiteBytes.length / 2 }, (_, i) =>
    suiteBytes.readUInt16BE(i * 2),
  );
  const compression = [...take(u8())];
  const extensions = new Map<number, Buffer>();
  if (at < bytes.length) {
    const end = at + u16();
    while (at < end) {
      const type = u16();
      extensions.set(type, take(u16()));
    }
  }
  expect(at).toBe(bytes.length);
  return {
    recordType,
    recordVersion,
    version,
    random,
    sessionId,
    suites,
    compression,
    extensions,
  };
}

describe("the ClientHello builder", () => {
  it("writes an SSL 3.0 hello byte for byte", () => {
    const hello = buildClientHello({
      protocol: "SSLv3",
      suites: [0x002f, 0x0035],
      random: RANDOM,
    });
    expect(hello.toString("hex")).toBe(
      "1603000031" +
        "0100002d" +
        "0300" +
        "11".repeat(32) +
        "00" +
        "0006002f003500ff" +
        "0100",
    );
  });

  it("writes an SSL 2.0 CLIENT-HELLO byte for byte", () => {
    const hello = buildClientHello({
      protocol: "SSLv2",
      suites: [0x010080],
      random: Buffer.alloc(32, 0x22),
    });
    expect(hello.toString("hex")).toBe(
      "801c" +
        "01" +
        "0002" +
        "0003" +
        "0000" +
        "0010" +
        "010080" +
        "22".repeat(16),
    );
  });

  it("offers TLS 1.0 to 1.2 as the legacy version, with SNI, groups and the renegotiation SCSV", () => {
    for (const [protocol, version] of [
      ["TLSv1", 0x0301],
      ["TLSv1.1", 0x0302],
      ["TLSv1.2", 0x0303],
    ] as const) {
      const hello = parseClientHello(
        buildClientHello({
          protocol,
          suites: suitesFor(protocol),
          serverName: "mes01.plant.local",
          random: RANDOM,
        }),
      );
      expect(hello.recordType).toBe(0x16);
      expect(hello.recordVersion).toBe(0x0301);
      expect(hello.version).toBe(version);
      expect(hello.sessionId.length).toBe(0);
      expect(hello.suites.at(-1)).toBe(0x00ff);
      expect(hello.compression).toEqual([0]);
      const sni = hello.extensions.get(0)!;
      expect(sni.toString("hex")).toBe(
        "0014" +
          "00" +
          "0011" +
          Buffer.from("mes01.plant.local").toString("hex"),
      );
      expect(hello.extensions.has(10)).toBe(true);
      expect(hello.extensions.has(43)).toBe(false);
      expect(hello.extensions.has(13)).toBe(protocol === "TLSv1.2");
    }
  });

  it("offers TLS 1.3 through supported_versions with an X25519 key share", () => {
    const hello = parseClientHello(
      buildClientHello({
        protocol: "TLSv1.3",
        suites: suitesFor("TLSv1.3"),
        serverName: "mes01.plant.local",
      }),
    );
    expect(hello.version).toBe(0x0303);
    expect(hello.sessionId.length).toBe(32);
    expect(hello.suites).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    expect(hello.extensions.get(43)!.toString("hex")).toBe("020304");
    const share = hello.extensions.get(51)!;
    expect(share.readUInt16BE(0)).toBe(share.length - 2);
    expect(share.readUInt16BE(2)).toBe(GROUPS.x25519);
    expect(share.readUInt16BE(4)).toBe(32);
    expect(hello.extensions.get(45)!.toString("hex")).toBe("0101");
  });

  it("sends no SNI for IP addresses", () => {
    for (const serverName of ["127.0.0.1", "::1"]) {
      const hello = parseClientHello(
        buildClientHello({ protocol: "TLSv1.2", suites: [0xc02f], serverName }),
      );
      expect(hello.extensions.has(0)).toBe(false);
    }
  });

  it("offers every suite a protocol can negotiate, and only those", () => {
    expect(suitesFor("TLSv1.3")).toHaveLength(5);
    expect(suitesFor("TLSv1.2").length).toBe(CIPHER_SUITES.length - 5);
    expect(suitesFor("TLSv1")).not.toContain(0xc02f);
    expect(suitesFor("TLSv1")).toContain(0xc013);
    expect(suitesFor("SSLv2")).toHaveLength(7);
  });
});
