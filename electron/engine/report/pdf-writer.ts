// Drawing helpers for the certificate on top of pdfkit: A4 pages with a running footer, headings, paragraphs,
// label/value grids and tables that break across pages with their header repeated, and verdict badges that
// read in black and white (a symbol and a word, colour only as a help).
import PDFDocument from "pdfkit";
import type {
  BoundaryVerdict,
  CheckVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import { visibleText } from "../../../shared/visible-text";
import { PLANT_VERDICT_WORDS } from "../signing/document-format";
import { FONT_FILES, type FontName, type FontSet } from "./fonts";

const FONT_NAMES = Object.keys(FONT_FILES) as FontName[];
/** The fonts as pdfkit's font engine parsed them, per set of font files. */
const PARSED_FONTS = new WeakMap<FontSet, Record<FontName, object>>();

export const PAGE = {
  width: 595.28,
  height: 841.89,
  left: 48,
  right: 48,
  top: 54,
  bottom: 64,
} as const;
export const CONTENT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

export const INK = "#1a1a1a";
export const MUTED = "#555555";
export const RULE = "#9a9a9a";
export const SHADE = "#f0f0f0";
const TABLE_PADDING = 3;

/** Every text drawn passes here: controls and bidi characters from the network shown as escapes (our own line
 * breaks kept), so what a reader sees is what was measured. */
const shown = (text: string): string => visibleText(text, { keep: "\n" });

export interface VerdictStyle {
  symbol: string;
  word: string;
  /** Dark enough to print as dark grey. */
  color: string;
  /** Light enough to print as a faint grey. */
  tint: string;
  /** How a boundary with this verdict is drawn in the diagram. */
  line: { width: number; dash: [number, number] | null };
}

export type AnyVerdict =
  CheckVerdict | BoundaryVerdict | "out-of-scope" | "out-of-date";

export const VERDICT_STYLES: Record<AnyVerdict, VerdictStyle> = {
  pass: {
    symbol: "✔",
    word: "PASS",
    color: "#1e6b34",
    tint: "#e2f0e5",
    line: { width: 1.6, dash: null },
  },
  warn: {
    symbol: "▲",
    word: "WARN",
    color: "#8a5a00",
    tint: "#faefd6",
    line: { width: 1.6, dash: [5, 3] },
  },
  fail: {
    symbol: "✖",
    word: "FAIL",
    color: "#a11d1d",
    tint: "#f7dfdf",
    line: { width: 3.2, dash: null },
  },
  "not-tested": {
    symbol: "○",
    word: "NOT TESTED",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.2, dash: [1, 2.5] },
  },
  incomplete: {
    symbol: "◐",
    word: "INCOMPLETE",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.6, dash: [1, 2.5] },
  },
  waived: {
    symbol: "⚑",
    word: "WAIVED",
    color: "#5b3f8c",
    tint: "#ebe5f4",
    line: { width: 1.6, dash: [6, 2] },
  },
  attested: {
    symbol: "✎",
    word: "ATTESTED",
    color: "#1f5f73",
    tint: "#e0eef2",
    line: { width: 1.6, dash: null },
  },
  /** A check whose latest result measured an endpoint that changed since: counted as not tested. */
  "out-of-date": {
    symbol: "○",
    word: "OUT OF DATE",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.2, dash: [1, 2.5] },
  },
  "out-of-scope": {
    symbol: "—",
    word: "OUT OF SCOPE",
    color: "#666666",
    tint: "#f2f2f2",
    line: { width: 0.8, dash: [2, 3] },
  },
};

/** The stamp's words are the verifier's too (document-format.ts): it finds them on page 1. */
export const PLANT_VERDICT_STYLES: Record<PlantVerdict, VerdictStyle> = {
  commissioned: {
    ...VERDICT_STYLES.pass,
    word: PLANT_VERDICT_WORDS.commissioned,
  },
  "commissioned with waivers": {
    ...VERDICT_STYLES.waived,
    word: PLANT_VERDICT_WORDS["commissioned with waivers"],
  },
  "not commissioned": {
    ...VERDICT_STYLES.fail,
    word: PLANT_VERDICT_WORDS["not commissioned"],
  },
};

export function verdictLabel(verdict: AnyVerdict): string {
  const style = VERDICT_STYLES[verdict];
  return `${style.symbol} ${style.word}`;
}

export interface Column {
  header: string;
  width: number;
  font?: FontName;
  size?: number;
  align?: "left" | "right" | "center";
}

export type Cell =
  string | { text: string; font?: FontName; color?: string; fill?: string };

export interface FooterContext {
  left: string;
  /** Printed in bold in the middle of every page (PRACTICE). */
  center: string;
}

/** A pdfkit document with the certificate's page model: content between PAGE.top and PAGE.bottom. */
export class CertificateWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly heights = new Map<string, number>();

  constructor(fonts: FontSet, info: Record<string, string | Date>) {
    // Parsing DejaVu is most of the cost of a small document: pdfkit accepts an already parsed (fontkit) font
    // as a source, so the fonts parsed for the first document serve every later one.
    const parsed = PARSED_FONTS.get(fonts);
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
      const internals = this.doc as unknown as { _font: { font: object } };
      const opened = Object.fromEntries(
        FONT_NAMES.map((name) => {
          this.doc.font(name);
          return [name, internals._font.font];
        }),
      ) as Record<FontName, object>;
      PARSED_FONTS.set(fonts, opened);
    }
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

  newPage(): void {
    this.doc.addPage();
    this.doc.x = PAGE.left;
    this.doc.y = PAGE.top;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number): void {
    if (this.doc.y + height > this.bottom) this.newPage();
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
    this.doc.font(font).fontSize(size);
    const height = this.doc.heightOfString(shown(text), {
      width,
      lineGap: 1,
    });
    this.heights.set(key, height);
    return height;
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
    this.font(font, size, color);
    this.doc.text(shown(text), x, y, { width, align, lineGap: 1 });
  }

  /** A heading kept on one page with at least `keepWith` points of what follows. */
  heading(text: string, level: 1 | 2 | 3 = 1, keepWith = 60): void {
    const size = level === 1 ? 16 : level === 2 ? 12.5 : 10.5;
    const before = level === 1 ? 0 : level === 2 ? 10 : 6;
    const height = this.measure(text, "bold", size, CONTENT_WIDTH);
    this.ensureSpace(before + height + keepWith);
    if (this.doc.y > PAGE.top) this.doc.y += before;
    const top = this.doc.y;
    this.textAt(text, PAGE.left, top, CONTENT_WIDTH, "bold", size);
    this.doc.y = top + height + (level === 1 ? 4 : 2);
    if (level === 1) {
      this.doc
        .moveTo(PAGE.left, this.doc.y)
        .lineTo(PAGE.left + CONTENT_WIDTH, this.doc.y)
        .lineWidth(1)
        .strokeColor(INK)
        .stroke();
      this.doc.y += 8;
    } else this.doc.y += 3;
  }

  paragraph(
    text: string,
    options: {
      font?: FontName;
      size?: number;
      color?: string;
      gap?: number;
    } = {},
  ): void {
    const font = options.font ?? "regular";
    const size = options.size ?? 9;
    const height = this.measure(text, font, size, CONTENT_WIDTH);
    this.ensureSpace(Math.min(height, 120));
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
    this.doc.y = Math.max(this.doc.y, top + height) + (options.gap ?? 5);
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
        this.measure(cellText(value), cellFont(value), size, valueWidth),
      ),
    );
  }

  labelValuesHeight(
    rows: readonly (readonly [string, Cell])[],
    options: LabelValueOptions = {},
  ): number {
    const { labelWidth, valueWidth, size } = labelValueGeometry(options);
    return this.labelValueHeights(rows, labelWidth, valueWidth, size).reduce(
      (sum, h) => sum + h + 2.5,
      0,
    );
  }

  /** Rows of label and value; the block moves to the next page whole unless it is taller than a page. */
  labelValues(
    rows: readonly (readonly [string, Cell])[],
    options: LabelValueOptions = {},
  ): void {
    const { x, labelWidth, valueWidth, size } = labelValueGeometry(options);
    const heights = this.labelValueHeights(rows, labelWidth, valueWidth, size);
    const total = heights.reduce((sum, h) => sum + h + 2.5, 0);
    if (total < this.bottom - PAGE.top) this.ensureSpace(total);
    rows.forEach(([label, value], index) => {
      const height = heights[index] ?? 0;
      this.ensureSpace(height);
      const top = this.doc.y;
      this.textAt(label, x, top, labelWidth, "bold", size, MUTED);
      this.textAt(
        cellText(value),
        x + labelWidth + 6,
        top,
        valueWidth,
        cellFont(value),
        size,
        typeof value === "string" ? INK : (value.color ?? INK),
      );
      this.doc.y = top + height + 2.5;
    });
  }

  /** The height a table needs on one page. */
  tableHeight(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    size = 8,
  ): number {
    return this.measureTable(columns, rows, size).total;
  }

  private measureTable(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    size: number,
  ): { headerHeight: number; rowHeights: number[]; total: number } {
    const padding = TABLE_PADDING;
    const headerHeight =
      Math.max(
        ...columns.map((c) =>
          this.measure(c.header, "bold", size, c.width - 2 * padding),
        ),
      ) +
      2 * padding;
    const rowHeights = rows.map(
      (row) =>
        Math.max(
          ...columns.map((column, i) => {
            const cell = row[i] ?? "";
            return this.measure(
              cellText(cell),
              cellFont(cell, column.font ?? "condensed"),
              column.size ?? size,
              column.width - 2 * padding,
            );
          }),
        ) +
        2 * padding,
    );
    return {
      headerHeight,
      rowHeights,
      total: headerHeight + rowHeights.reduce((sum, h) => sum + h, 0),
    };
  }

  /** A table whose rows never split; the header repeats on every page the table reaches. */
  table(
    columns: readonly Column[],
    rows: readonly (readonly Cell[])[],
    size = 8,
    options: { keepTogether?: boolean } = {},
  ): void {
    const padding = TABLE_PADDING;
    const x0 = PAGE.left;
    const { headerHeight, rowHeights, total } = this.measureTable(
      columns,
      rows,
      size,
    );
    if (options.keepTogether === true && total < this.bottom - PAGE.top)
      this.ensureSpace(total);
    const drawHeader = (): void => {
      this.ensureSpace(headerHeight + (rowHeights[0] ?? 14));
      const top = this.doc.y;
      this.doc
        .rect(x0, top, sumWidths(columns), headerHeight)
        .fillColor(SHADE)
        .fill();
      let x = x0;
      for (const column of columns) {
        this.textAt(
          column.header,
          x + padding,
          top + padding,
          column.width - 2 * padding,
          "bold",
          size,
          INK,
          column.align ?? "left",
        );
        x += column.width;
      }
      this.doc.y = top + headerHeight;
      this.rule(top + headerHeight, 0.8);
    };
    drawHeader();
    rows.forEach((row, rowIndex) => {
      const height = rowHeights[rowIndex] ?? 0;
      if (this.doc.y + height > this.bottom) {
        this.newPage();
        drawHeader();
      }
      const top = this.doc.y;
      let x = x0;
      columns.forEach((column, i) => {
        const cell = row[i] ?? "";
        if (typeof cell !== "string" && cell.fill !== undefined)
          this.doc
            .rect(x, top, column.width, height)
            .fillColor(cell.fill)
            .fill();
        this.textAt(
          cellText(cell),
          x + padding,
          top + padding,
          column.width - 2 * padding,
          cellFont(cell, column.font ?? "condensed"),
          column.size ?? size,
          typeof cell === "string" ? INK : (cell.color ?? INK),
          column.align ?? "left",
        );
        x += column.width;
      });
      this.doc.y = top + height;
      this.rule(top + height, 0.3);
    });
    this.doc.y += 6;
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
    this.doc.font("bold").fontSize(size);
    const width = Math.max(minWidth, this.doc.widthOfString(label) + 8);
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

  /** Footer on every page: "page X of Y", the certificate number, and PRACTICE where it applies. */
  finishPages(footer: FooterContext, watermark: string | null): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Writing below the bottom margin must not open a new page.
      const margins = this.doc.page.margins;
      const savedBottom = margins.bottom;
      margins.bottom = 0;
      if (watermark !== null) this.watermark(watermark);
      const y = PAGE.height - PAGE.bottom + 22;
      this.rule(y - 6, 0.5);
      this.textAt(
        footer.left,
        PAGE.left,
        y,
        CONTENT_WIDTH * 0.62,
        "condensed",
        7.5,
        MUTED,
      );
      this.textAt(
        `Page ${i - range.start + 1} of ${range.count}`,
        PAGE.left + CONTENT_WIDTH * 0.62,
        y,
        CONTENT_WIDTH * 0.38,
        "bold",
        7.5,
        INK,
        "right",
      );
      if (footer.center !== "")
        this.textAt(
          footer.center,
          PAGE.left,
          y + 11,
          CONTENT_WIDTH,
          "bold",
          8,
          INK,
          "center",
        );
      margins.bottom = savedBottom;
    }
  }

  private watermark(text: string): void {
    const doc = this.doc;
    doc.save();
    doc.rotate(-38, { origin: [PAGE.width / 2, PAGE.height / 2] });
    doc.font("bold").fontSize(96).fillColor("#000000").fillOpacity(0.07);
    doc.text(text, 0, PAGE.height / 2 - 55, {
      width: PAGE.width,
      align: "center",
      lineBreak: false,
    });
    doc.restore();
    doc.fillOpacity(1);
  }
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
    size: options.size ?? 9,
  };
}

function cellText(cell: Cell): string {
  return typeof cell === "string" ? cell : cell.text;
}

function cellFont(cell: Cell, fallback: FontName = "regular"): FontName {
  return typeof cell === "string" ? fallback : (cell.font ?? fallback);
}

function sumWidths(columns: readonly Column[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0);
}
