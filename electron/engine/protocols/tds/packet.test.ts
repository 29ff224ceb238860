import { describe, expect, it } from "vitest";
import {
  decodeHeader,
  encodeMessage,
  HEADER_LENGTH,
  MessageReader,
  PacketType,
  STATUS_EOM,
  TdsProtocolError,
} from "./packet";

const problemOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    if (error instanceof TdsProtocolError) return error.problem;
    throw error;
  }
  return "none";
};

describe("TDS packets", () => {
  it("frames a message as one packet with the 8-byte header and EOM", () => {
    const bytes = encodeMessage(PacketType.PRELOGIN, Buffer.from([1, 2, 3]));
    expect([...bytes.subarray(0, HEADER_LENGTH)]).toEqual([
      0x12, 0x01, 0x00, 0x0b, 0x00, 0x00, 0x01, 0x00,
    ]);
    expect(decodeHeader(bytes)).toMatchObject({
      type: 0x12,
      status: STATUS_EOM,
      length: 11,
    });
  });

  it("splits a long message at the packet size, EOM only on the last, and puts it back together byte by byte", () => {
    const payload = Buffer.alloc(1300, 7);
    const bytes = encodeMessage(PacketType.TABULAR_RESULT, payload, {
      packetSize: 512,
    });
    expect(bytes.length).toBe(1300 + 3 * HEADER_LENGTH);
    expect(bytes[1]).toBe(0);
    const reader = new MessageReader();
    const messages = [];
    for (const byte of bytes)
      messages.push(...reader.feed(Buffer.from([byte])));
    expect(messages).toHaveLength(1);
    expect(messages[0]?.payload.equals(payload)).toBe(true);
    expect(() => reader.finish()).not.toThrow();
  });

  it("reads two messages from one chunk", () => {
    const reader = new MessageReader();
    const messages = reader.feed(
      Buffer.concat([
        encodeMessage(PacketType.TABULAR_RESULT, Buffer.from("a")),
        encodeMessage(PacketType.TABULAR_RESULT, Buffer.from("b")),
      ]),
    );
    expect(messages.map((m) => m.payload.toString())).toEqual(["a", "b"]);
  });

  it("names TLS records where TDS belongs", () => {
    const alert = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);
    expect(problemOf(() => new MessageReader().feed(alert))).toBe(
      "tls-instead-of-tds",
    );
  });

  it("refuses packet types MS-TDS does not define, and lengths outside 8–32767", () => {
    const header = (type: number, length: number): Buffer => {
      const b = Buffer.alloc(8);
      b.writeUInt8(type, 0);
      b.writeUInt8(1, 1);
      b.writeUInt16BE(length, 2);
      return b;
    };
    expect(problemOf(() => new MessageReader().feed(header(0x42, 8)))).toBe(
      "wrong-type",
    );
    expect(problemOf(() => new MessageReader().feed(header(0x04, 3)))).toBe(
      "bad-length",
    );
    expect(
      problemOf(() => new MessageReader().feed(header(0x04, 0xffff))),
    ).toBe("bad-length");
  });

  it("refuses a message that changes packet type halfway", () => {
    const first = encodeMessage(PacketType.TABULAR_RESULT, Buffer.alloc(600), {
      packetSize: 512,
    }).subarray(0, 512);
    const other = encodeMessage(PacketType.PRELOGIN, Buffer.from([1]));
    expect(
      problemOf(() => new MessageReader().feed(Buffer.concat([first, other]))),
    ).toBe("wrong-type");
  });

  it("refuses a message that grows beyond the limit", () => {
    const reader = new MessageReader({ maxMessageBytes: 1000 });
    const bytes = encodeMessage(PacketType.TABULAR_RESULT, Buffer.alloc(3000), {
      packetSize: 512,
    });
    expect(problemOf(() => reader.feed(bytes))).toBe("too-large");
  });

  it("says when the stream ended inside a packet or before the last packet", () => {
    const bytes = encodeMessage(PacketType.TABULAR_RESULT, Buffer.alloc(20));
    const inPacket = new MessageReader();
    inPacket.feed(bytes.subarray(0, 12));
    expect(problemOf(() => inPacket.finish())).toBe("truncated");

    const noEom = new MessageReader();
    noEom.feed(
      encodeMessage(PacketType.TABULAR_RESULT, Buffer.alloc(600), {
        packetSize: 512,
      }).subarray(0, 512),
    );
    expect(problemOf(() => noEom.finish())).toBe("truncated");
  });
});
