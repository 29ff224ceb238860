import { describe, expect, it } from "vitest";
import {
  Encryption,
  encryptionByte,
} from "../../engine/protocols/tds/prelogin";
import {
  parseLogin7,
  parseRpcStatement,
  parseSqlBatch,
} from "./client-messages";
import { encryptionAnswer } from "./emulator";
import { colMetadata, done, DoneStatus, row, Token } from "./tokens";

describe("the practice SQL Server's PRELOGIN answers (notes/sql-server-tds.md, the table)", () => {
  const cases: [string, number, string, string, string][] = [
    // client sends, not forced, forced, no certificate
    ["OFF", Encryption.OFF, "off", "required", "not-supported"],
    ["ON", Encryption.ON, "on", "on", "not-supported"],
    [
      "NOT_SUP",
      Encryption.NOT_SUP,
      "not-supported",
      "required",
      "not-supported",
    ],
  ];
  it.each(cases)(
    "client %s: not forced %s, forced %s, no certificate %s",
    (_name, client, notForced, forced, none) => {
      expect(encryptionAnswer("off", client)).toBe(notForced);
      expect(encryptionAnswer("required", client)).toBe(forced);
      expect(encryptionAnswer("not-supported", client)).toBe(none);
      expect(encryptionAnswer("on", client)).toBe("on");
    },
  );
  it("maps words to bytes", () => {
    expect(encryptionByte("required")).toBe(3);
  });
});

const ucs2 = (text: string): Buffer => Buffer.from(text, "utf16le");
const allHeaders = (): Buffer => {
  // Total length 22: one transaction descriptor header (18 bytes).
  const b = Buffer.alloc(22);
  b.writeUInt32LE(22, 0);
  b.writeUInt32LE(18, 4);
  b.writeUInt16LE(2, 8);
  b.writeUInt32LE(1, 18);
  return b;
};

describe("requests the practice SQL Server reads", () => {
  it("reads a SQL batch after ALL_HEADERS", () => {
    expect(
      parseSqlBatch(Buffer.concat([allHeaders(), ucs2("SELECT 1;")])),
    ).toBe("SELECT 1;");
  });

  const rpc = (statement: Buffer, maxLength: number, value: Buffer): Buffer => {
    const head = Buffer.alloc(2 + 2 + 2);
    head.writeUInt16LE(0xffff, 0);
    head.writeUInt16LE(10, 2); // sp_executesql
    head.writeUInt16LE(0, 4);
    const name = Buffer.concat([Buffer.from([10]), ucs2("@statement")]);
    const type = Buffer.alloc(1 + 1 + 2 + 5);
    type.writeUInt8(0, 0);
    type.writeUInt8(0xe7, 1);
    type.writeUInt16LE(maxLength, 2);
    return Buffer.concat([allHeaders(), head, name, type, value, statement]);
  };

  it("reads the statement of sp_executesql, NVARCHAR(n) and NVARCHAR(MAX)", () => {
    const text = ucs2("SELECT 2;");
    const length = Buffer.alloc(2);
    length.writeUInt16LE(text.length, 0);
    expect(
      parseRpcStatement(
        rpc(Buffer.alloc(0), 18, Buffer.concat([length, text])),
      ),
    ).toBe("SELECT 2;");
    const plp = Buffer.alloc(8 + 4);
    plp.writeBigUInt64LE(0xfffffffffffffffen, 0);
    plp.writeUInt32LE(text.length, 8);
    expect(
      parseRpcStatement(
        rpc(Buffer.concat([text, Buffer.alloc(4)]), 0xffff, plp),
      ),
    ).toBe("SELECT 2;");
  });

  it("refuses a cut-off request and a LOGIN7 whose fields point outside it, with an error (never a crash)", () => {
    expect(() => parseRpcStatement(Buffer.from([4, 0, 0, 0, 0xff]))).toThrow(
      /cut off/,
    );
    const login = Buffer.alloc(94);
    login.writeUInt32LE(94, 0);
    login.writeUInt16LE(90, 40); // user name at 90 …
    login.writeUInt16LE(50, 42); // … 50 characters: beyond the message
    expect(() => parseLogin7(login)).toThrow(/beyond the message/);
  });
});

describe("token streams", () => {
  it("writes DONE as status, command and a 64-bit row count", () => {
    expect([...done(Token.DONE, DoneStatus.COUNT, 0xc1, 2)]).toEqual([
      0xfd, 0x10, 0x00, 0xc1, 0x00, 2, 0, 0, 0, 0, 0, 0, 0,
    ]);
  });

  it("writes NULLs the way each type spells them", () => {
    const columns = [
      { name: "a", type: "nvarchar" as const },
      { name: "b", type: "int" as const },
    ];
    expect(colMetadata(columns)[0]).toBe(Token.COLMETADATA);
    expect([...row(columns, [null, null])]).toEqual([Token.ROW, 0xff, 0xff, 0]);
  });
});
