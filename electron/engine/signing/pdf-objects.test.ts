import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { deflateBomb } from "../../../test/support/hostile-pdfs";
import type { PdfString } from "./pdf-objects";
import {
  PDF_LIMITS,
  PdfDict,
  PdfFile,
  PdfName,
  PdfRef,
  parsePdfDate,
} from "./pdf-objects";

const file = (text: string): PdfFile =>
  new PdfFile(new Uint8Array(Buffer.from(text, "latin1")));

describe("reading PDF objects", () => {
  it("reads dictionaries, arrays, names, references, numbers and strings", () => {
    const pdf = file(
      "%PDF-1.7\n1 0 obj\n<< /Type /Sig /ByteRange [0 10 20 30] /Name (\\(Muñoz\\)\\n) /Hex <4142 43> /Ref 2 0 R /N -1.5 /On true /Off null /Odd#20Name 3 >>\nendobj\n" +
        "trailer\n<< /Root 1 0 R >>\n%%EOF\n",
    );
    const dict = pdf.objects.get(1)?.value;
    expect(dict).toBeInstanceOf(PdfDict);
    const get = (key: string) => (dict as PdfDict).get(key);
    expect(get("Type")).toEqual(new PdfName("Sig"));
    expect(get("ByteRange")).toEqual([0, 10, 20, 30]);
    expect((get("Name") as PdfString).text()).toBe("(Muñoz)\n");
    expect((get("Hex") as PdfString).bytes).toEqual(
      new Uint8Array([0x41, 0x42, 0x43]),
    );
    expect(get("Ref")).toEqual(new PdfRef(2, 0));
    expect(get("N")).toBe(-1.5);
    expect(get("On")).toBe(true);
    expect(get("Off")).toBeNull();
    expect(get("Odd Name")).toBe(3);
    expect(pdf.trailer?.get("Root")).toEqual(new PdfRef(1, 0));
  });

  it("reads UTF-16 text strings and octal escapes", () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xfe, 0xff]),
      Buffer.from("Győr", "utf16le").swap16(),
    ]);
    const pdf = file(
      `1 0 obj\n<${utf16.toString("hex")}>\nendobj\n2 0 obj\n(\\101\\102\\\nC)\nendobj\n`,
    );
    expect((pdf.objects.get(1)?.value as PdfString).text()).toBe("Győr");
    expect(
      (file("1 0 obj <FEFF004100>").objects.get(1)?.value as PdfString).text(),
    ).toBe("A");
    expect((pdf.objects.get(2)?.value as PdfString).text()).toBe("ABC");
  });

  it("reads PDF dates as UTC", () => {
    expect(parsePdfDate("D:20260302150000Z")).toBe("2026-03-02T15:00:00.000Z");
    expect(parsePdfDate("D:20260302160000+01'00'")).toBe(
      "2026-03-02T15:00:00.000Z",
    );
    expect(parsePdfDate("D:2026")).toBe("2026-01-01T00:00:00.000Z");
    expect(parsePdfDate("yesterday")).toBeUndefined();
  });

  it("skips a damaged object instead of giving up on the file", () => {
    const pdf = file(
      "1 0 obj\n<< /A [1 2 \nendobj\n2 0 obj\n<< /B 2 >>\nendobj\n",
    );
    expect(pdf.objects.has(1)).toBe(false);
    expect((pdf.objects.get(2)?.value as PdfDict).get("B")).toBe(2);
  });
});

describe("reading a hostile file: one pass, bounded", () => {
  it("goes on from where a damaged object failed, and finds the object it stumbled on", () => {
    const pdf = file(
      "1 0 obj\n<zz>\nendobj\n2 0 obj\n<2 0 obj\n<< /B 2 >>\nendobj\n3 0 obj\n(never closed\n4 0 obj\n<< /D 4 >>\nendobj\n",
    );
    expect(pdf.objects.has(1)).toBe(false);
    // The hex string of object 2 runs into the header "2 0 obj" of the next definition, which is then read.
    expect((pdf.objects.get(2)?.value as PdfDict).get("B")).toBe(2);
    // An unterminated string takes the rest of the file with it: nothing after it is read again.
    expect(pdf.objects.has(3)).toBe(false);
    expect(pdf.objects.has(4)).toBe(false);
    expect(pdf.incomplete).toBeNull();
  });

  it("does not take a long run of digits for an object number", () => {
    const pdf = file(
      `${"1".repeat(5000)} 0 obj\n7\nendobj\n12 0 obj\n8\nendobj\n`,
    );
    expect([...pdf.objects.keys()]).toEqual([12]);
  });

  it("stops at PDF_LIMITS.objects and says so", () => {
    const objects = Array.from(
      { length: PDF_LIMITS.objects + 5 },
      (_, n) => `${n} 0 obj ${n} endobj\n`,
    ).join("");
    const pdf = file(objects);
    expect(pdf.objects.size).toBe(PDF_LIMITS.objects);
    expect(pdf.incomplete).toBe(
      "The document holds more than 100,000 objects; Cellcert read no further.",
    );
  });

  it("stops at PDF_LIMITS.values and says so, keeping the objects read before", () => {
    const pdf = file(
      `1 0 obj << /A 1 >> endobj\n2 0 obj [${"0 ".repeat(PDF_LIMITS.values)}] endobj\n`,
    );
    expect([...pdf.objects.keys()]).toEqual([1]);
    expect(pdf.incomplete).toBe(
      "The document holds more than 500,000 values; Cellcert read no further.",
    );
  });

  it("refuses nesting deeper than PDF_LIMITS.depth, and reads what follows", () => {
    const deep =
      "[".repeat(PDF_LIMITS.depth + 1) + "]".repeat(PDF_LIMITS.depth + 1);
    const fine = "[".repeat(PDF_LIMITS.depth) + "]".repeat(PDF_LIMITS.depth);
    const pdf = file(
      `1 0 obj ${deep} endobj\n2 0 obj ${fine} endobj\n3 0 obj 3 endobj\n`,
    );
    expect(pdf.objects.has(1)).toBe(false);
    expect(pdf.objects.has(2)).toBe(true);
    expect(pdf.objects.get(3)?.value).toBe(3);
  });

  it("takes a stream to the end of the file when its /Length is beyond it and no endstream follows", () => {
    const pdf = file("1 0 obj << /Length 99999999999 >>\nstream\nabc");
    expect(Buffer.from(pdf.objects.get(1)?.stream ?? []).toString()).toBe(
      "abc",
    );
  });

  it("keeps a revision's objects: those that end before its length, and its own trailer", () => {
    const first = "1 0 obj (first) endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    const pdf = file(
      `${first}1 0 obj (second) endobj\n2 0 obj (new) endobj\ntrailer << /Root 2 0 R >>\n%%EOF\n`,
    );
    expect((pdf.objects.get(1)?.value as PdfString).text()).toBe("second");
    const revision = pdf.revision(first.length);
    expect((revision.objects.get(1)?.value as PdfString).text()).toBe("first");
    expect(revision.objects.has(2)).toBe(false);
    expect(revision.trailer?.get("Root")).toEqual(new PdfRef(1, 0));
  });
});

describe("decoding streams, capped", () => {
  const streamFile = (streams: Uint8Array[], filter = "/FlateDecode") =>
    new PdfFile(
      Buffer.concat(
        streams.flatMap((data, n) => [
          Buffer.from(
            `${n + 1} 0 obj\n<< /Length ${data.length} /Filter ${filter} >>\nstream\n`,
          ),
          data,
          Buffer.from("\nendstream\nendobj\n"),
        ]),
      ),
    );

  it("inflates a FlateDecode stream", () => {
    const pdf = streamFile([deflateSync("evidence")]);
    expect(pdf.streamData(new PdfRef(1, 0))).toEqual({
      data: new Uint8Array(Buffer.from("evidence")),
    });
  });

  it("stops a stream that inflates past PDF_LIMITS.streamBytes, and says so", () => {
    const pdf = streamFile([deflateBomb(17)]);
    expect(pdf.streamData(new PdfRef(1, 0))).toEqual({
      problem:
        "inflates to more than 16 MiB, more than Cellcert reads of one stream",
    });
  });

  it("stops when the streams together inflate past PDF_LIMITS.inflatedBytes", () => {
    const pdf = streamFile(Array.from({ length: 5 }, () => deflateBomb(15)));
    for (const n of [1, 2, 3, 4])
      expect("data" in pdf.streamData(new PdfRef(n, 0))).toBe(true);
    expect(pdf.streamData(new PdfRef(5, 0))).toEqual({
      problem:
        "would take the document's decoded streams past 64 MiB, more than Cellcert reads of one document",
    });
  });

  it("names what it cannot decode", () => {
    const damaged = streamFile([Buffer.from("xyz")]).streamData(
      new PdfRef(1, 0),
    );
    expect("problem" in damaged && damaged.problem).toMatch(
      /^is damaged: its compressed data cannot be inflated \(/,
    );
    expect(
      streamFile([Buffer.from("xyz")], "/DCTDecode").streamData(
        new PdfRef(1, 0),
      ),
    ).toEqual({
      problem: "is encoded with /DCTDecode, which Cellcert does not decode",
    });
    expect(
      streamFile(
        [Buffer.from("xyz")],
        "[/FlateDecode /FlateDecode /FlateDecode /FlateDecode /FlateDecode]",
      ).streamData(new PdfRef(1, 0)),
    ).toEqual({
      problem: "is encoded 5 times over; Cellcert decodes at most 4",
    });
    expect(streamFile([]).streamData(new PdfRef(1, 0))).toEqual({
      problem: "is not in the document",
    });
  });
});
