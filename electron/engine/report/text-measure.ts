// Measuring text the way pdfkit sets it, cached per document: the height of wrapped text, lines broken at spaces
// only, words' widths (per font at 1 pt, shared across documents), and the size at which lines fit unbroken.
// Measuring and drawing (pdf-writer.ts) both go through `wrapped`, so heights always match what is drawn.
import { visibleText } from "../../../shared/visible-text";
import type { FontName } from "./fonts";

/**
 * Every text drawn or measured passes here: controls and bidi characters from the network shown as escapes (our
 * own line breaks kept), so what a reader sees is what was measured.
 */
export const shown = (text: string): string =>
  visibleText(text, { keep: "\n" });
export const LINE_GAP = 1;

export class TextMeasure {
  private readonly heights = new Map<string, number>();
  private readonly wraps = new Map<string, string>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly wordWidths: Map<string, number>,
  ) {}

  /** The height of wrapped text; the same text in the same box is measured once per document. */
  measure(text: string, font: FontName, size: number, width: number): number {
    const key = `${font}\u0000${size}\u0000${width}\u0000${text}`;
    const known = this.heights.get(key);
    if (known !== undefined) return known;
    const lines = this.wrapped(text, font, size, width);
    this.doc.font(font).fontSize(size);
    const height = this.doc.heightOfString(lines, {
      width,
      lineGap: LINE_GAP,
    });
    this.heights.set(key, height);
    return height;
  }

  /**
   * Text broken into lines at spaces only, each short enough that pdfkit breaks it nowhere else: a check id, a
   * host name or "sha256WithRSAEncryption" is never split at a hyphen or mid-word (a word wider than the whole
   * box is left to pdfkit). Measuring and drawing both set these lines, so heights always match.
   */
  wrapped(text: string, font: FontName, size: number, width: number): string {
    const key = `${font}\u0000${size}\u0000${width}\u0000${text}`;
    const known = this.wraps.get(key);
    if (known !== undefined) return known;
    // pdfkit counts a line's newline as part of its last word, with the glyph's advance (about 0.6 em).
    const room = width - this.wordWidth("\n", font, size) - 0.5;
    const space = this.wordWidth(" ", font, size);
    const lines = shown(text)
      .split("\n")
      .map((paragraph) => {
        const out: string[] = [];
        let line = "";
        let lineWidth = 0;
        for (const word of paragraph.split(" ")) {
          const wordWidth = this.wordWidth(word, font, size);
          if (line !== "" && lineWidth + space + wordWidth > room) {
            out.push(line);
            line = word;
            lineWidth = wordWidth;
          } else {
            line = line === "" ? word : `${line} ${word}`;
            lineWidth += (lineWidth === 0 ? 0 : space) + wordWidth;
          }
        }
        out.push(line);
        return out.join("\n");
      });
    const result = lines.join("\n");
    this.wraps.set(key, result);
    return result;
  }

  /** A word's width: laid out once per font at 1 pt (widths scale with the size), as pdfkit measures it. */
  private wordWidth(word: string, font: FontName, size: number): number {
    const key = `${font}\u0000${word}`;
    let unit = this.wordWidths.get(key);
    if (unit === undefined) {
      this.doc.font(font).fontSize(1);
      unit = this.doc.widthOfString(word);
      this.wordWidths.set(key, unit);
    }
    return unit * size;
  }

  /** The width of text set on one line. */
  widthOf(text: string, font: FontName, size: number): number {
    this.doc.font(font).fontSize(size);
    return this.doc.widthOfString(shown(text));
  }

  /** The largest size up to `size` at which every line of `text` fits `width` unbroken. */
  fitSize(text: string, font: FontName, size: number, width: number): number {
    const widest = Math.max(
      ...text.split("\n").map((line) => this.widthOf(line, font, size)),
    );
    return widest <= width ? size : Math.max(4, (size * width) / widest);
  }
}
