import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeMessage, MessageReader, TdsProtocolError } from "./packet";
import {
  buildPrelogin,
  Encryption,
  encryptionWord,
  parsePrelogin,
  PreloginOption,
  productName,
  versionText,
} from "./prelogin";

const version = { major: 16, minor: 0, build: 1000, subbuild: 0 };

const faultOf = (payload: Buffer): string => {
  try {
    parsePrelogin(payload);
  } catch (error) {
    if (error instanceof TdsProtocolError) return error.message;
    throw error;
  }
  return "none";
};

/** A PRELOGIN with a hand-made option table: [token, offset, length], then the data bytes. */
function handMade(
  entries: [number, number, number][],
  data: number[] = [],
  terminate = true,
): Buffer {
  const table = entries.flatMap(([token, offset, length]) => [
    token,
    offset >> 8,
    offset & 0xff,
    length >> 8,
    length & 0xff,
  ]);
  return Buffer.from([...table, ...(terminate ? [0xff] : []), ...data]);
}

describe("PRELOGIN", () => {
  it("builds and parses its own payload", () => {
    const parsed = parsePrelogin(
      buildPrelogin({ version, encryption: Encryption.REQ, threadId: 42 }),
    );
    expect(parsed).toMatchObject({
      version,
      encryption: Encryption.REQ,
      instance: "",
      threadId: 42,
      mars: 0,
    });
    expect(parsed.options.map((o) => o.token)).toEqual([0, 1, 2, 3, 4]);
  });

  it("reads a SQL Server answer as the notes give it: VERSION 6 bytes, ENCRYPTION 1", () => {
    // VERSION 0x00 at 11 (6 bytes), ENCRYPTION 0x01 at 17 (1 byte), terminator, data.
    const answer = handMade(
      [
        [0x00, 11, 6],
        [0x01, 17, 1],
      ],
      [0x0f, 0x00, 0x07, 0xd0, 0x00, 0x00, 0x03],
    );
    const parsed = parsePrelogin(answer);
    expect(parsed.version).toEqual({
      major: 15,
      minor: 0,
      build: 2000,
      subbuild: 0,
    });
    expect(encryptionWord(parsed.encryption ?? -1)).toBe("required");
  });

  it("names the words of ENCRYPTION, with the client-certificate bit ignored", () => {
    expect(encryptionWord(0x00)).toBe("off");
    expect(encryptionWord(0x01)).toBe("on");
    expect(encryptionWord(0x02)).toBe("not-supported");
    expect(encryptionWord(0x03)).toBe("required");
    expect(encryptionWord(0x83)).toBe("required");
    expect(encryptionWord(0x07)).toBeNull();
  });

  it("says what is wrong with a malformed answer", () => {
    expect(faultOf(Buffer.alloc(0))).toMatch(/empty/);
    expect(faultOf(handMade([[0x00, 6, 6]], [], false))).toMatch(
      /without the 0xFF terminator/,
    );
    expect(faultOf(Buffer.from([0x00, 0x00, 0x06]))).toMatch(/cut off/);
    expect(faultOf(handMade([[0x01, 6, 40]], [0]))).toMatch(
      /beyond the 7 bytes/,
    );
    expect(faultOf(handMade([[0x01, 0, 1]], [0]))).toMatch(
      /inside the option table/,
    );
    expect(
      faultOf(
        handMade(
          [
            [0x01, 11, 1],
            [0x01, 11, 1],
          ],
          [0],
        ),
      ),
    ).toMatch(/appears twice/);
    expect(faultOf(handMade([[0x00, 6, 2]], [1, 2]))).toMatch(
      /VERSION is 2 bytes long, it needs 6/,
    );
    expect(
      faultOf(
        Buffer.from(
          Array.from({ length: 40 }, () => [0x09, 0, 0, 0, 0]).flat(),
        ),
      ),
    ).toMatch(/more than 32 entries/);
  });

  it("records a missing ENCRYPTION option as null (the probe decides what that means)", () => {
    expect(
      parsePrelogin(Buffer.from([PreloginOption.TERMINATOR])).encryption,
    ).toBeNull();
  });

  it("names versions", () => {
    expect(versionText(version)).toBe("16.0.1000");
    expect(versionText({ ...version, subbuild: 4 })).toBe("16.0.1000.4");
    expect(productName(16)).toBe("SQL Server 2022");
    expect(productName(10, 50)).toBe("SQL Server 2008 R2");
    expect(productName(99)).toBe("");
  });
});

describe("PRELOGIN and packet parsing under random answers (property)", () => {
  const runs = process.env.CELLCERT_THOROUGH === "1" ? 20_000 : 1_000;
  /** Only TdsProtocolError may come out; anything else is a crash. */
  const onlyProtocolErrors = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (error) {
      return error instanceof TdsProtocolError;
    }
  };

  it("never throws anything but TdsProtocolError on random bytes", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) =>
        onlyProtocolErrors(() => parsePrelogin(Buffer.from(bytes))),
      ),
      { numRuns: runs },
    );
  });

  it("never throws anything but TdsProtocolError on option tables with absurd offsets and lengths", () => {
    const entry = fc.tuple(
      fc.oneof(
        fc.integer({ min: 0, max: 8 }),
        fc.integer({ min: 0, max: 254 }),
      ),
      fc.integer({ min: 0, max: 0xffff }),
      fc.integer({ min: 0, max: 0xffff }),
    );
    fc.assert(
      fc.property(
        fc.array(entry, { maxLength: 12 }),
        fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 80 }),
        fc.boolean(),
        (entries, data, terminate) =>
          onlyProtocolErrors(() =>
            parsePrelogin(handMade(entries, data, terminate)),
          ),
      ),
      { numRuns: runs },
    );
  });

  it("never throws anything but TdsProtocolError when random answers arrive in random chunks", () => {
    const validAnswer = fc
      .record({
        encryption: fc.integer({ min: 0, max: 255 }),
        major: fc.integer({ min: 0, max: 255 }),
      })
      .map(({ encryption, major }) =>
        encodeMessage(
          0x04,
          buildPrelogin({
            version: { ...version, major },
            encryption,
          }),
        ),
      );
    const answer = fc.oneof(
      fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b)),
      validAnswer,
      // A valid answer with random bytes flipped.
      fc
        .tuple(validAnswer, fc.array(fc.nat(), { maxLength: 6 }), fc.nat(255))
        .map(([bytes, positions, value]) => {
          const copy = Buffer.from(bytes);
          for (const p of positions) copy[p % copy.length] = value;
          return copy;
        }),
    );
    fc.assert(
      fc.property(
        answer,
        fc.array(fc.nat(40), { maxLength: 8 }),
        (bytes, cuts) =>
          onlyProtocolErrors(() => {
            const reader = new MessageReader();
            let at = 0;
            for (const cut of [...cuts, bytes.length]) {
              const end = Math.min(bytes.length, at + cut);
              for (const message of reader.feed(bytes.subarray(at, end))) {
                parsePrelogin(message.payload);
              }
              at = end;
            }
            reader.finish();
          }),
      ),
      { numRuns: runs },
    );
  });
});
