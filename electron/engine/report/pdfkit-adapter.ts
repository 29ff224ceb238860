// The pdfkit internals the certificate relies on, in one place (pdfkit 0.20.2; pdfkit-adapter.test.ts pins
// them): the document catalog, the font engine's parsed font, the XMP metadata step of doc.end(), and glyph
// outlines for the PRACTICE watermark. The signature field (signing/placeholder.ts) keeps its own few.

/** A pdfkit indirect object: its dictionary, and end() to write it. */
export interface PdfReference {
  data: Record<string, unknown>;
  compress?: boolean;
  write(chunk: Uint8Array | string): void;
  end(chunk?: Uint8Array | string): void;
}

interface Internals {
  ref(data: object): PdfReference;
  _root: PdfReference;
  _font: { font: ParsedFont } | null;
  endMetadata: () => void;
  addNamedEmbeddedFile(name: string, ref: PdfReference): void;
}

/** The fontkit font pdfkit opened: enough of it to lay out and outline a word. */
export interface ParsedFont {
  unitsPerEm: number;
  layout(text: string): {
    glyphs: { path: { toSVG(): string } }[];
    positions: { xAdvance: number; xOffset: number; yOffset: number }[];
  };
}

const internals = (doc: PDFKit.PDFDocument): Internals =>
  doc as unknown as Internals;

/** A new indirect object. */
export function pdfReference(
  doc: PDFKit.PDFDocument,
  data: object,
): PdfReference {
  return internals(doc).ref(data);
}

/** The document catalog's dictionary (/Root), for entries pdfkit has no option for. */
export function catalogEntries(
  doc: PDFKit.PDFDocument,
): Record<string, unknown> {
  return internals(doc)._root.data;
}

/** The font engine's parsed form of the current font, to hand to later documents instead of the TTF bytes. */
export function currentParsedFont(doc: PDFKit.PDFDocument): ParsedFont {
  const font = internals(doc)._font?.font;
  if (font === undefined)
    throw new Error("pdfkit has no current font to take the parsed form of.");
  return font;
}

/**
 * Replaces pdfkit's XMP step of doc.end() (endMetadata, which writes the document information unescaped and
 * without a ModifyDate) by `write`, which receives the catalog to put its own /Metadata stream in.
 */
export function replaceMetadataStep(
  doc: PDFKit.PDFDocument,
  write: () => void,
): void {
  internals(doc).endMetadata = write;
}

/** Names the file in the document's /EmbeddedFiles name tree. */
export function nameEmbeddedFile(
  doc: PDFKit.PDFDocument,
  name: string,
  fileSpecification: PdfReference,
): void {
  internals(doc).addNamedEmbeddedFile(name, fileSpecification);
}

/** The glyph outlines of `text` in font units (y up), each at its x offset in points for `size`, and the width. */
export function textOutline(
  font: ParsedFont,
  text: string,
  size: number,
): { glyphs: { path: string; x: number }[]; width: number; scale: number } {
  const scale = size / font.unitsPerEm;
  const run = font.layout(text);
  let x = 0;
  const glyphs = run.glyphs.map((glyph, index) => {
    const position = run.positions[index];
    const placed = {
      path: glyph.path.toSVG(),
      x: x + (position?.xOffset ?? 0) * scale,
    };
    x += (position?.xAdvance ?? 0) * scale;
    return placed;
  });
  return { glyphs, width: x, scale };
}
