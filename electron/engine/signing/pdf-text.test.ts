import { deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { PdfFile } from "./pdf-objects";
import { TEXT_LIMITS, firstPageText } from "./pdf-text";

/** A PDF of `objects` (1 is the catalog, 2 the pages, 3 page 1); a string body gets its stream's /Length. */
function pdf(
  objects: Record<number, string | { dict: string; stream: string | Buffer }>,
): PdfFile {
  const parts = ["%PDF-1.7\n"];
  for (const [num, body] of Object.entries(objects)) {
    if (typeof body === "string") parts.push(`${num} 0 obj\n${body}\nendobj\n`);
    else {
      const data = Buffer.from(body.stream);
      parts.push(
        `${num} 0 obj\n<< ${body.dict} /Length ${data.length} >>\nstream\n${data.toString("latin1")}\nendstream\nendobj\n`,
      );
    }
  }
  parts.push("trailer\n<< /Root 1 0 R >>\n%%EOF\n");
  return new PdfFile(new Uint8Array(Buffer.from(parts.join(""), "latin1")));
}

const catalog = {
  1: "<< /Type /Catalog /Pages 2 0 R >>",
  2: "<< /Type /Pages /Kids [3 0 R] /Count 1 /Resources << /Font << /F1 10 0 R /F2 12 0 R >> >> >>",
};
/** An Identity-H font like pdfkit's: codes 1 P, 2–3 L M (a range), 4–13 N T space C O M I S E D (a range of an array),
 * 14 ✔, 15 A. */
const identityFont = {
  10: "<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+DejaVuSans-Bold /Encoding /Identity-H /ToUnicode 11 0 R >>",
  11: {
    dict: "",
    stream:
      "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Adobe-Identity-UCS def\n1 begincodespacerange <0000> <ffff> endcodespacerange\n" +
      "3 beginbfchar <0001> <0050> <000e> <2714> <000f> <0041> endbfchar\n" +
      "2 beginbfrange <0002> <0003> <004c> <0004> <000d> [<004e> <0054> <0020> <0043> <004f> <004d> <0049> <0053> <0045> <0044>] endbfrange\n" +
      "endcmap CMapName currentdict /CMap defineresource pop end end",
  },
  12: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
};
const hex = (codes: number[]): string =>
  `<${codes.map((c) => c.toString(16).padStart(4, "0")).join("")}>`;
// "✔ COMMISSIONED", as pdfkit writes a line: a TJ array with kerning between the runs.
const stamp = `[${hex([14, 6, 7, 8, 9])} 12.5 ${hex([9, 10, 11, 11, 10, 8, 4, 12, 13])}] TJ`;

describe("the text of page 1", () => {
  it("decodes Identity-H strings through the ToUnicode map (bfchar, bfrange with a start and with an array)", () => {
    const file = pdf({
      ...catalog,
      ...identityFont,
      3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
      4: {
        dict: "/Filter /FlateDecode",
        stream: deflateSync(
          `BT /F1 8 Tf 1 0 0 1 48 700 Tm ${hex([1, 2, 15, 4, 5])} Tj ET\nq BT /F1 22 Tf 48 650 Td ${stamp} ET Q\nBT /F2 9 Tf (Plant \\(Gy) Tj ET`,
        ),
      },
    });
    expect(firstPageText(file)).toEqual({
      text: "PLANT ✔ COMMISSIONED Plant (Gy",
      unmapped: 0,
    });
  });

  it("reads the forms the page draws, each once, and its annotations' appearances", () => {
    const file = pdf({
      ...catalog,
      ...identityFont,
      3: "<< /Type /Page /Parent 2 0 R /Contents [4 0 R 5 0 R] /Resources << /Font << /F1 10 0 R >> /XObject << /X1 6 0 R >> >> /Annots [8 0 R] >>",
      4: { dict: "", stream: "/X1 Do /X1 Do" },
      5: { dict: "", stream: `BT /F1 9 Tf ${hex([1])} Tj ET` },
      6: {
        dict: "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 10 0 R >> /XObject << /X2 7 0 R >> >>",
        stream: `BT /F1 9 Tf ${hex([2])} Tj ET /X2 Do`,
      },
      7: {
        dict: "/Type /XObject /Subtype /Form /BBox [0 0 10 10]",
        stream: `BT /F1 9 Tf ${hex([15])} Tj ET`,
      },
      8: "<< /Type /Annot /Subtype /FreeText /AP << /N << /On 9 0 R >> >> >>",
      9: {
        dict: "/Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /Font << /F1 10 0 R >> >>",
        stream: `BT /F1 9 Tf ${hex([7, 8])} Tj ET`,
      },
    });
    expect(firstPageText(file)).toEqual({ text: "L A P CO", unmapped: 0 });
  });

  it("counts what no ToUnicode map or encoding says, instead of guessing it", () => {
    const file = pdf({
      ...catalog,
      3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 6 0 R >> >> >>",
      4: {
        dict: "",
        stream:
          "q BT /F1 9 Tf <00070008> Tj /F2 9 Tf (OK\\300) Tj ET Q BT (no font) Tj ET",
      },
      5: "<< /Type /Font /Subtype /Type0 /BaseFont /Hidden /Encoding /Identity-H >>",
      6: "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Differences [75 /O] >> >>",
    });
    // <0007 0008>: 2; "K" redefined by /Differences and \300 above ASCII: 2; a string shown without a font (Q
    // restores the state before any Tf): 7.
    expect(firstPageText(file)).toEqual({
      text: "\uFFFD\uFFFDO\uFFFD\uFFFD \uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD",
      unmapped: 11,
    });
  });

  it("skips inline image data, whatever bytes it holds", () => {
    const file = pdf({
      ...catalog,
      ...identityFont,
      3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
      4: {
        dict: "",
        stream: Buffer.concat([
          Buffer.from("BI /W 2 /H 2 /BPC 8 /CS /G ID "),
          Buffer.from([0x28, 0x5d, 0x45, 0x49, 0x29, 0xff]),
          Buffer.from(` EI BT /F1 9 Tf ${hex([4])} Tj ET`),
        ]),
      },
    });
    expect(firstPageText(file)).toEqual({ text: "N", unmapped: 0 });
  });

  it.each([
    [
      "forms nested deeper than the limit",
      () => {
        const objects: Record<
          number,
          string | { dict: string; stream: string }
        > = {
          ...catalog,
          3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /XObject << /X 20 0 R >> >> >>",
          4: { dict: "", stream: "/X Do" },
        };
        for (let i = 0; i <= TEXT_LIMITS.formDepth; i++)
          objects[20 + i] = {
            dict: `/Subtype /Form /Resources << /XObject << /X ${21 + i} 0 R >> >>`,
            stream: "/X Do",
          };
        return pdf(objects);
      },
      `Page 1 draws forms more than ${TEXT_LIMITS.formDepth} deep inside one another; Cellcert read no further.`,
    ],
    [
      "a ToUnicode range wider than a code space",
      () =>
        pdf({
          ...catalog,
          3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
          4: { dict: "", stream: "BT /F1 9 Tf <0001> Tj ET" },
          5: "<< /Subtype /Type0 /BaseFont /Wide /Encoding /Identity-H /ToUnicode 6 0 R >>",
          6: {
            dict: "",
            stream: "1 beginbfrange <00000000> <00ffffff> <0041> endbfrange",
          },
        }),
      "The ToUnicode map of font /F1 (Wide) on page 1 maps a range of 16777216 codes; Cellcert reads at most 65,536.",
    ],
    [
      "a ToUnicode map with more entries than a code space",
      () =>
        pdf({
          ...catalog,
          3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
          4: { dict: "", stream: "BT /F1 9 Tf <0001> Tj ET" },
          5: "<< /Subtype /Type0 /BaseFont /Many /Encoding /Identity-H /ToUnicode 6 0 R >>",
          6: {
            dict: "",
            stream:
              "2 beginbfrange <0000> <ffff> <0041> <0000> <0000> <0041> endbfrange",
          },
        }),
      "The ToUnicode map of font /F1 (Many) on page 1 holds more than 65,536 entries; Cellcert read no further.",
    ],
    [
      "content that is not PDF syntax",
      () =>
        pdf({
          ...catalog,
          3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
          4: { dict: "", stream: "BT ) Tj ET" },
        }),
      "Page 1's content cannot be read (unexpected byte at 3).",
    ],
    [
      "a content stream that inflates to nothing",
      () =>
        pdf({
          ...catalog,
          3: "<< /Type /Page /Parent 2 0 R /Contents 4 0 R >>",
          4: { dict: "/Filter /FlateDecode", stream: "not deflated" },
        }),
      /^The stream of page 1's content \(object 4\) is damaged: its compressed data cannot be inflated/,
    ],
    [
      "a pages tree that loops",
      () =>
        pdf({
          1: "<< /Type /Catalog /Pages 2 0 R >>",
          2: "<< /Type /Pages /Kids [5 0 R] >>",
          5: "<< /Type /Pages /Kids [2 0 R] >>",
        }),
      "The document has no page 1.",
    ],
  ])("says why it stops: %s", (_name, make, problem) => {
    const text = firstPageText(make());
    expect("problem" in text ? text.problem : text).toMatch(problem);
  });
});
