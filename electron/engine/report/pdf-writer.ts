// The certificate's page model on top of pdfkit: A4 pages, and blocks that are measured before they are drawn —
// headings kept with what follows, paragraphs and label/value grids moved whole to the next page, tables that
// break between rows with their header (and caption) repeated and never leave a single row behind — so no text
// is ever printed on other text. A running footer, and the PRACTICE watermark as outlines under the content.
import PDFDocument from "pdfkit";
import { visibleText } from "../../../shared/visible-text";
import { FONT_FILES, type FontName, type FontSet } from "./fonts";
import {
  currentParsedFont,
  textOutline,
  type ParsedFont,
} from "./pdfkit-adapter";
import {
  cellHeight,
  drawCell,
  drawTable,
  tableLeadHeight,
  type Cell,
  type Column,
  type TableOptions,
} from "./pdf-table";
import type { VerdictStyle } from "./verdict-styles";

export type { Cell, Column, TableOptions } from "./pdf-table";

const FONT_NAMES = Object.keys(FONT_FILES) as FontName[];
/** The fonts as pdfkit's font engine parsed them, per set of font files. */
const PARSED_FONTS = new WeakMap<FontSet, Record<FontName, ParsedFont>>();
/** Words' widths at 1 pt, per set of font files: the same words recur in every certificate. */
const WORD_WIDTHS = new WeakMap<FontSet, Map<string, number>>();

import { CONTENT_WIDTH, INK, MUTED, PAGE, RULE } from "./page";

/**
 * Every text drawn or measured passes here: controls and bidi characters from the network shown as escapes (our
 * own line breaks kept), so what a reader sees is what was measured.
 */
const shown = (text: string): string => visibleText(text, { keep: "\n" });

export { CONTENT_WIDTH, INK, MUTED, PAGE, RULE, SHADE } from "./page";
const WATERMARK_GREY = "#efefef";
const LINE_GAP = 1;

export interface FooterContext {
  left: string;
  /** Printed in bold in the middle of every page (PRACTICE). */
  center: string;
}

/** A pdfkit document with the certificate's page model: content between PAGE.top and the bottom margin. */
export class CertificateWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly heights = new Map<string, number>();
  private readonly wraps = new Map<string, string>();
  private readonly wordWidths: Map<string, number>;
  private readonly fonts: Record<FontName, ParsedFont>;
  private watermarkText: string | null = null;

  constructor(fonts: FontSet, info: Record<string, string | Date>) {
    // Parsing DejaVu is most of the cost of a small document: pdfkit accepts an already parsed (fontkit) font
    // as a source, so the fonts parsed for the first document serve every later one.
    const parsed = PARSED_FONTS.get(fonts);
    const widths = WORD_WIDTHS.get(fonts) ?? new Map<string, number>();
    WORD_WIDTHS.set(fonts, widths);
    this.wordWidths = widths;
    this.doc = new PDFDocument({
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
      this.doc.registerFont(
        name,
        (parsed?.[name] ?? fonts[name]) as unknown as string,
      );
    if (parsed === undefined) {
      const opened = Object.fromEntries(
        FONT_NAMES.map((name) => {
          this.doc.font(name);
          return [name, currentParsedFont(this.doc)];
        }),
      ) as Record<FontName, ParsedFont>;
      PARSED_FONTS.set(fonts, opened);
      this.fonts = opened;
    } else this.fonts = parsed;
    this.doc.font("regular");
  }

  get y(): number {
    return this.doc.y;
  }

  set y(value: number) {
    this.doc.y = value;
  }

  get bottom(): number {
    return PAGE.height - PAGE.bottom;
  }

  /** The height of a page's content area. */
  get pageHeight(): number {
    return this.bottom - PAGE.top;
  }

  /** Points left on this page. */
  get room(): number {
    return this.bottom - this.doc.y;
  }

  /** Every page from now on carries `text` as a faint watermark under its content. */
  setWatermark(text: string | null): void {
    this.watermarkText = text;
  }

  newPage(): void {
    this.doc.addPage();
    if (this.watermarkText !== null) this.watermark(this.watermarkText);
    this.doc.x = PAGE.left;
    this.doc.y = PAGE.top;
  }

  /** Starts a new page unless `height` points still fit on this one (or the page is still empty). */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom && this.doc.y > PAGE.top + 0.5)
      this.newPage();
  }

  font(name: FontName, size: number, color = INK): this {
    this.doc.font(name).fontSize(size).fillColor(color);
    return this;
  }

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
  private wrapped(
    text: string,
    font: FontName,
    size: number,
    width: number,
  ): string {
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

  /** Text at (x, y) in a box of `width`; the flow's position is the caller's to set. */
  textAt(
    text: string,
    x: number,
    y: number,
    width: number,
    font: FontName,
    size: number,
    color = INK,
    align: "left" | "right" | "center" = "left",
  ): void {
    const lines = this.wrapped(text, font, size, width);
    this.font(font, size, color);
    this.doc.text(lines, x, y, { width, align, lineGap: LINE_GAP });
  }

  /** Text on lines that never wrap: the size shrinks until the widest line fits; each line is set on its own. */
  unbrokenAt(
    text: string,
    x: number,
    y: number,
    width: number,
    font: FontName,
    size: number,
    color = INK,
    align: "left" | "right" | "center" = "left",
  ): number {
    const fitted = this.fitSize(text, font, size, width);
    const lineHeight = this.measure("X", font, fitted, width + 50);
    const lines = shown(text).split("\n");
    this.font(font, fitted, color);
    lines.forEach((line, index) =>
      this.doc.text(line, x, y + index * lineHeight, {
        width,
        align,
        lineBreak: false,
      }),
    );
    return lines.length * lineHeight;
  }

  /** The height unbrokenAt gives the same text. */
  unbrokenHeight(
    text: string,
    font: FontName,
    size: number,
    width: number,
  ): number {
    const fitted = this.fitSize(text, font, size, width);
    return (
      text.split("\n").length * this.measure("X", font, fitted, width + 50)
    );
  }

  headingHeight(text: string, level: 1 | 2 | 3): number {
    const { size, before, after } = headingGeometry(level);
    return before + this.measure(text, "bold", size, CONTENT_WIDTH) + after;
  }

  /** A heading kept on one page with at least `keepWith` points of what follows. */
  heading(text: string, level: 1 | 2 | 3 = 1, keepWith = 40): void {
    const { size, before, after } = headingGeometry(level);
    const height = this.measure(text, "bold", size, CONTENT_WIDTH);
    this.ensureSpace(before + height + after + keepWith);
    if (this.doc.y > PAGE.top + 0.5) this.doc.y += before;
    const top = this.doc.y;
    this.textAt(text, PAGE.left, top, CONTENT_WIDTH, "bold", size);
    this.doc.y = top + height + 1.5;
    if (level === 1) {
      this.doc
        .moveTo(PAGE.left, this.doc.y)
        .lineTo(PAGE.left + CONTENT_WIDTH, this.doc.y)
        .lineWidth(0.9)
        .strokeColor(INK)
        .stroke();
    }
    this.doc.y = top + height + after;
  }

  paragraphHeight(
    text: string,
    options: { font?: FontName; size?: number; gap?: number } = {},
  ): number {
    return (
      this.measure(
        text,
        options.font ?? "regular",
        options.size ?? 8.5,
        CONTENT_WIDTH,
      ) + (options.gap ?? 4)
    );
  }

  /** A paragraph, moved whole to the next page when it does not fit here. */
  paragraph(
    text: string,
    options: {
      font?: FontName;
      size?: number;
      color?: string;
      gap?: number;
      /** Points of what follows to keep on the same page. */
      keepWith?: number;
    } = {},
  ): void {
    const font = options.font ?? "regular";
    const size = options.size ?? 8.5;
    const height = this.measure(text, font, size, CONTENT_WIDTH);
    this.ensureSpace(height + (options.keepWith ?? 0));
    const top = this.doc.y;
    this.textAt(
      text,
      PAGE.left,
      top,
      CONTENT_WIDTH,
      font,
      size,
      options.color ?? INK,
    );
    this.doc.y = top + height + (options.gap ?? 4);
  }

  labelValuesHeight(
    rows: readonly (readonly [string, Cell])[],
    options: LabelValueOptions = {},
  ): number {
    const { labelWidth, valueWidth, size } = labelValueGeometry(options);
    return this.labelValueHeights(rows, labelWidth, valueWidth, size).reduce(
      (sum, h) => sum + h + ROW_GAP,
      0,
    );
  }

  /** Rows of label and value, drawn as one block: it moves to the next page whole. */
  labelValues(
    rows: readonly (readonly [string, Cell])[],
    options: LabelValueOptions = {},
  ): void {
    const { x, labelWidth, valueWidth, size } = labelValueGeometry(options);
    const heights = this.labelValueHeights(rows, labelWidth, valueWidth, size);
    this.ensureSpace(heights.reduce((sum, h) => sum + h + ROW_GAP, 0));
    rows.forEach(([label, value], index) => {
      const height = heights[index] ?? 0;
      this.ensureSpace(height);
      const top = this.doc.y;
      this.textAt(label, x, top, labelWidth, "bold", size, MUTED);
      drawCell(
        this,
        value,
        x + labelWidth + 6,
        top,
        valueWidth,
        size,
        "regular",
      );
      this.doc.y = top + height + ROW_GAP;
    });
  }

  /** The height of a table's caption, header and first rows: what a heading before it keeps with it. */
  tableLeadHeight(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    options: TableOptions = {},
  ): number {
    return tableLeadHeight(this, columns, rows, options);
  }

  /** A table (pdf-table.ts): rows never split, header and caption repeated, no row left alone on a page. */
  table(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    options: TableOptions = {},
  ): void {
    drawTable(this, columns, rows, options);
  }

  rule(y: number, width = 0.5, x = PAGE.left, length = CONTENT_WIDTH): void {
    this.doc
      .moveTo(x, y)
      .lineTo(x + length, y)
      .lineWidth(width)
      .strokeColor(RULE)
      .stroke();
  }

  /** A verdict in a tinted, outlined box: symbol and word; returns the box's width. */
  badge(
    verdict: VerdictStyle,
    x: number,
    y: number,
    size = 8,
    minWidth = 0,
  ): number {
    const label = `${verdict.symbol} ${verdict.word}`;
    const width = Math.max(minWidth, this.widthOf(label, "bold", size) + 8);
    const height = size + 5;
    this.doc
      .roundedRect(x, y, width, height, 2)
      .lineWidth(0.8)
      .fillAndStroke(verdict.tint, verdict.color);
    this.doc.fillColor(verdict.color).text(label, x, y + 2.5, {
      width,
      align: "center",
      lineBreak: false,
    });
    return width;
  }

  /** Footer on every page: "Page X of Y", the certificate number, and PRACTICE where it applies. */
  finishPages(footer: FooterContext): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Writing below the bottom margin must not open a new page.
      const margins = this.doc.page.margins;
      const savedBottom = margins.bottom;
      margins.bottom = 0;
      const y = PAGE.height - PAGE.bottom + 16;
      this.rule(y - 5, 0.5);
      this.textAt(
        footer.left,
        PAGE.left,
        y,
        CONTENT_WIDTH * 0.7,
        "condensed",
        7,
        MUTED,
      );
      this.textAt(
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
        this.textAt(
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

  private labelValueHeights(
    rows: readonly (readonly [string, Cell])[],
    labelWidth: number,
    valueWidth: number,
    size: number,
  ): number[] {
    return rows.map(([label, value]) =>
      Math.max(
        this.measure(label, "bold", size, labelWidth),
        cellHeight(this, value, "regular", size, valueWidth),
      ),
    );
  }

  /** The word across the page in faint grey outlines (not text, so nothing reads it or prints over it). */
  private watermark(text: string): void {
    const doc = this.doc;
    const size = 104;
    const outline = textOutline(this.fonts.bold, text, size);
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
}

const ROW_GAP = 2;

function headingGeometry(level: 1 | 2 | 3): {
  size: number;
  before: number;
  after: number;
} {
  return level === 1
    ? { size: 13, before: 8, after: 7 }
    : level === 2
      ? { size: 10.5, before: 7, after: 4 }
      : { size: 9, before: 5, after: 3 };
}

export interface LabelValueOptions {
  labelWidth?: number;
  size?: number;
  x?: number;
  width?: number;
}

function labelValueGeometry(options: LabelValueOptions): {
  x: number;
  labelWidth: number;
  valueWidth: number;
  size: number;
} {
  const labelWidth = options.labelWidth ?? 110;
  return {
    x: options.x ?? PAGE.left,
    labelWidth,
    valueWidth: (options.width ?? CONTENT_WIDTH) - labelWidth - 6,
    size: options.size ?? 8.5,
  };
}
