// The pdfkit document a certificate is written into: A4 with the certificate's margins, buffered pages, and the
// DejaVu fonts registered — parsed once per set of font files and reused by every later document.
import PDFDocument from "pdfkit";
import { FONT_FILES, type FontName, type FontSet } from "./fonts";
import { currentParsedFont, type ParsedFont } from "./pdfkit-adapter";
import { PAGE } from "./page";

const FONT_NAMES = Object.keys(FONT_FILES) as FontName[];
/** The fonts as pdfkit's font engine parsed them, per set of font files. */
const PARSED_FONTS = new WeakMap<FontSet, Record<FontName, ParsedFont>>();
/** Words' widths at 1 pt, per set of font files: the same words recur in every certificate. */
const WORD_WIDTHS = new WeakMap<FontSet, Map<string, number>>();

export interface CertificateDocument {
  doc: PDFKit.PDFDocument;
  /** The fonts as pdfkit parsed them (the watermark draws their outlines). */
  fonts: Record<FontName, ParsedFont>;
  /** Words' widths at 1 pt for this set of font files, shared by every document made with it. */
  wordWidths: Map<string, number>;
}

export function openCertificateDocument(
  fonts: FontSet,
  info: Record<string, string | Date>,
): CertificateDocument {
  // Parsing DejaVu is most of the cost of a small document: pdfkit accepts an already parsed (fontkit) font
  // as a source, so the fonts parsed for the first document serve every later one.
  const parsed = PARSED_FONTS.get(fonts);
  const widths = WORD_WIDTHS.get(fonts) ?? new Map<string, number>();
  WORD_WIDTHS.set(fonts, widths);
  const doc = new PDFDocument({
    size: "A4",
    margins: {
      top: PAGE.top,
      bottom: PAGE.bottom,
      left: PAGE.left,
      right: PAGE.right,
    },
    bufferPages: true,
    autoFirstPage: false,
    pdfVersion: "1.7",
    lang: "en",
    displayTitle: true,
    // No default font: pdfkit would otherwise open (and embed) Helvetica; the DejaVu fonts follow.
    font: null as unknown as string,
    info,
  });
  for (const name of FONT_NAMES)
    doc.registerFont(
      name,
      (parsed?.[name] ?? fonts[name]) as unknown as string,
    );
  let opened = parsed;
  if (opened === undefined) {
    opened = Object.fromEntries(
      FONT_NAMES.map((name) => {
        doc.font(name);
        return [name, currentParsedFont(doc)];
      }),
    ) as Record<FontName, ParsedFont>;
    PARSED_FONTS.set(fonts, opened);
  }
  doc.font("regular");
  return { doc, fonts: opened, wordWidths: widths };
}
