// Tables on the certificate's pages, measured before they are drawn: rows never split, the caption and header
// start a page only with at least two rows (or all of them) below and repeat on every page the table reaches, a
// table's last row never stands alone on a page, and a short table moves to the next page whole.
import type { FontName } from "./fonts";
import { CONTENT_WIDTH, INK, PAGE, SHADE } from "./page";
import type { CertificateWriter } from "./pdf-writer";

export interface Column {
  header: string;
  width: number;
  font?: FontName;
  size?: number;
  align?: "left" | "right" | "center";
}

export type Cell =
  | string
  | {
      text: string;
      font?: FontName;
      color?: string;
      fill?: string;
      /** Printed on one line: the size shrinks until it fits (check ids, hashes' lines). */
      nowrap?: boolean;
    };

export interface TableOptions {
  size?: number;
  /** A bold line above the table, repeated (with "continued") on every page the table reaches. */
  caption?: string;
  /** Moves the whole table to the next page when it fits on one. */
  keepTogether?: boolean;
}

const TABLE_PADDING = 2.5;
const TABLE_AFTER = 5;

/** The height of a table's caption, header and first rows: what a heading before it keeps with it. */
export function tableLeadHeight(
  writer: CertificateWriter,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): number {
  const size = options.size ?? 7.5;
  const { headerHeight, rowHeights } = measureTable(
    writer,
    columns,
    rows,
    size,
  );
  return (
    captionHeight(writer, options.caption, size) +
    headerHeight +
    leadHeight(rowHeights, 0)
  );
}

/** The rows a header keeps below it from `from` on: two, or all of them when no more than three are left. */
function leadHeight(rowHeights: readonly number[], from: number): number {
  const left = rowHeights.slice(from);
  const keep = left.length <= 3 ? left : left.slice(0, 2);
  return keep.reduce((sum, h) => sum + h, 0);
}

/**
 * A table whose rows never split. Its caption and header start a page only with at least two rows (or all of
 * them) below; they repeat on every page it reaches; and its last row never stands alone on a page.
 */
export function drawTable(
  writer: CertificateWriter,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): void {
  const size = options.size ?? 7.5;
  const { headerHeight, rowHeights } = measureTable(
    writer,
    columns,
    rows,
    size,
  );
  const total =
    captionHeight(writer, options.caption, size) +
    headerHeight +
    rowHeights.reduce((sum, h) => sum + h, 0);
  // A short table (or one asked to) moves to the next page whole rather than break.
  if (
    (options.keepTogether === true || rows.length <= 4) &&
    total < writer.pageHeight
  )
    writer.ensureSpace(total);
  let continued = false;
  const drawHeader = (from: number): void => {
    const caption = options.caption;
    const captionSpace = captionHeight(writer, caption, size);
    writer.ensureSpace(
      captionSpace + headerHeight + leadHeight(rowHeights, from),
    );
    if (caption !== undefined) {
      const top = writer.y;
      writer.textAt(
        continued ? `${caption} (continued)` : caption,
        PAGE.left,
        top,
        CONTENT_WIDTH,
        "bold",
        size + 0.5,
      );
      writer.y = top + captionSpace;
    }
    const top = writer.y;
    writer.doc
      .rect(PAGE.left, top, sumWidths(columns), headerHeight)
      .fillColor(SHADE)
      .fill();
    let x = PAGE.left;
    for (const column of columns) {
      writer.textAt(
        column.header,
        x + TABLE_PADDING,
        top + TABLE_PADDING,
        column.width - 2 * TABLE_PADDING,
        "bold",
        size,
        INK,
        column.align ?? "left",
      );
      x += column.width;
    }
    writer.y = top + headerHeight;
    writer.rule(top + headerHeight, 0.6);
    continued = true;
  };
  drawHeader(0);
  rows.forEach((row, index) => {
    const height = rowHeights[index] ?? 0;
    const lastTwo =
      index === rows.length - 2
        ? height + (rowHeights[index + 1] ?? 0)
        : height;
    if (writer.y + lastTwo > writer.bottom) {
      writer.newPage();
      drawHeader(index);
    }
    const top = writer.y;
    let x = PAGE.left;
    columns.forEach((column, i) => {
      const cell = row[i] ?? "";
      if (typeof cell !== "string" && cell.fill !== undefined)
        writer.doc
          .rect(x, top, column.width, height)
          .fillColor(cell.fill)
          .fill();
      drawCell(
        writer,
        cell,
        x + TABLE_PADDING,
        top + TABLE_PADDING,
        column.width - 2 * TABLE_PADDING,
        column.size ?? size,
        column.font ?? "condensed",
        column.align ?? "left",
      );
      x += column.width;
    });
    writer.y = top + height;
    writer.rule(top + height, 0.25);
  });
  writer.y += TABLE_AFTER;
}

export function captionHeight(
  writer: CertificateWriter,
  caption: string | undefined,
  size: number,
): number {
  return caption === undefined
    ? 0
    : writer.measure(caption, "bold", size + 0.5, CONTENT_WIDTH) + 2;
}

export function cellHeight(
  writer: CertificateWriter,
  cell: Cell,
  fallback: FontName,
  size: number,
  width: number,
): number {
  const text = cellText(cell);
  const font = cellFont(cell, fallback);
  if (typeof cell !== "string" && cell.nowrap === true)
    return writer.unbrokenHeight(text, font, size, width);
  return writer.measure(text, font, size, width);
}

export function drawCell(
  writer: CertificateWriter,
  cell: Cell,
  x: number,
  y: number,
  width: number,
  size: number,
  fallback: FontName,
  align: "left" | "right" | "center" = "left",
): void {
  const text = cellText(cell);
  const font = cellFont(cell, fallback);
  const color = typeof cell === "string" ? INK : (cell.color ?? INK);
  if (typeof cell !== "string" && cell.nowrap === true)
    writer.unbrokenAt(text, x, y, width, font, size, color, align);
  else writer.textAt(text, x, y, width, font, size, color, align);
}

function measureTable(
  writer: CertificateWriter,
  columns: readonly Column[],
  rows: readonly (readonly Cell[])[],
  size: number,
): { headerHeight: number; rowHeights: number[] } {
  const headerHeight =
    Math.max(
      ...columns.map((c) =>
        writer.measure(c.header, "bold", size, c.width - 2 * TABLE_PADDING),
      ),
    ) +
    2 * TABLE_PADDING;
  const rowHeights = rows.map(
    (row) =>
      Math.max(
        ...columns.map((column, i) =>
          cellHeight(
            writer,
            row[i] ?? "",
            column.font ?? "condensed",
            column.size ?? size,
            column.width - 2 * TABLE_PADDING,
          ),
        ),
      ) +
      2 * TABLE_PADDING,
  );
  return { headerHeight, rowHeights };
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
