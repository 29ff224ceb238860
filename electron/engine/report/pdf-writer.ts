// The certificate's page model on top of pdfkit: A4 pages, and blocks that are measured before they are drawn —
// headings kept with what follows, paragraphs and label/value grids moved whole to the next page, tables that
// break between rows with their header (and caption) repeated and never leave a single row behind — so no text
// is ever printed on other text. A running footer, and the PRACTICE watermark as outlines under the content.
// The pdfkit document is opened in pdf-document.ts, text measured in text-measure.ts, footer and watermark
// drawn by page-furniture.ts.
import type { FontName, FontSet } from "./fonts";
import type { ParsedFont } from "./pdfkit-adapter";
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
import { CONTENT_WIDTH, INK, MUTED, PAGE, RULE } from "./page";
import { openCertificateDocument } from "./pdf-document";
import { LINE_GAP, shown, TextMeasure } from "./text-measure";
import {
  drawFooters,
  drawWatermark,
  type FooterContext,
} from "./page-furniture";

export { CONTENT_WIDTH, INK, MUTED, PAGE, RULE, SHADE } from "./page";
export type { FooterContext } from "./page-furniture";

/** A pdfkit document with the certificate's page model: content between PAGE.top and the bottom margin. */
export class CertificateWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly metrics: TextMeasure;
  private readonly fonts: Record<FontName, ParsedFont>;
  private watermarkText: string | null = null;

  constructor(fonts: FontSet, info: Record<string, string | Date>) {
    const opened = openCertificateDocument(fonts, info);
    this.doc = opened.doc;
    this.fonts = opened.fonts;
    this.metrics = new TextMeasure(opened.doc, opened.wordWidths);
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
    return this.metrics.measure(text, font, size, width);
  }

  /** The width of text set on one line. */
  widthOf(text: string, font: FontName, size: number): number {
    return this.metrics.widthOf(text, font, size);
  }

  /** The largest size up to `size` at which every line of `text` fits `width` unbroken. */
  fitSize(text: string, font: FontName, size: number, width: number): number {
    return this.metrics.fitSize(text, font, size, width);
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
    const lines = this.metrics.wrapped(text, font, size, width);
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
    drawFooters(this, footer);
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

  private watermark(text: string): void {
    drawWatermark(this.doc, this.fonts, text);
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
