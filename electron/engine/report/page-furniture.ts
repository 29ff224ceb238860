// What every page of a certificate carries besides its content: the running footer ("Page X of Y", the
// certificate number, PRACTICE) and the watermark drawn as faint outlines under the content.
import type { FontName } from "./fonts";
import { textOutline, type ParsedFont } from "./pdfkit-adapter";
import { CONTENT_WIDTH, INK, MUTED, PAGE } from "./page";
import type { CertificateWriter } from "./pdf-writer";

const WATERMARK_GREY = "#efefef";

export interface FooterContext {
  left: string;
  /** Printed in bold in the middle of every page (PRACTICE). */
  center: string;
}

/** Footer on every page: "Page X of Y", the certificate number, and PRACTICE where it applies. */
export function drawFooters(
  writer: CertificateWriter,
  footer: FooterContext,
): void {
  const range = writer.doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    writer.doc.switchToPage(i);
    // Writing below the bottom margin must not open a new page.
    const margins = writer.doc.page.margins;
    const savedBottom = margins.bottom;
    margins.bottom = 0;
    const y = PAGE.height - PAGE.bottom + 16;
    writer.rule(y - 5, 0.5);
    writer.textAt(
      footer.left,
      PAGE.left,
      y,
      CONTENT_WIDTH * 0.7,
      "condensed",
      7,
      MUTED,
    );
    writer.textAt(
      `Page ${i - range.start + 1} of ${range.count}`,
      PAGE.left + CONTENT_WIDTH * 0.7,
      y,
      CONTENT_WIDTH * 0.3,
      "bold",
      7,
      INK,
      "right",
    );
    if (footer.center !== "")
      writer.textAt(
        footer.center,
        PAGE.left,
        y + 10,
        CONTENT_WIDTH,
        "bold",
        7.5,
        INK,
        "center",
      );
    margins.bottom = savedBottom;
  }
}

/** The word across the page in faint grey outlines (not text, so nothing reads it or prints over it). */
export function drawWatermark(
  doc: PDFKit.PDFDocument,
  fonts: Record<FontName, ParsedFont>,
  text: string,
): void {
  const size = 104;
  const outline = textOutline(fonts.bold, text, size);
  doc.save();
  doc.rotate(-38, { origin: [PAGE.width / 2, PAGE.height / 2] });
  doc.translate(
    PAGE.width / 2 - outline.width / 2,
    PAGE.height / 2 + size * 0.35,
  );
  doc.fillColor(WATERMARK_GREY);
  for (const glyph of outline.glyphs) {
    if (glyph.path === "") continue;
    doc.save();
    doc.translate(glyph.x, 0);
    doc.scale(outline.scale, -outline.scale);
    doc.path(glyph.path).fill();
    doc.restore();
  }
  doc.restore();
}
