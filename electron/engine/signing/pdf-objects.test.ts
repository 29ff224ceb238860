import { describe, expect, it } from "vitest";
import type { PdfString } from "./pdf-objects";
import { PdfDict, PdfFile, PdfName, PdfRef, parsePdfDate } from "./pdf-objects";

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
