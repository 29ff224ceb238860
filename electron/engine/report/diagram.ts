// The topology diagram: the plan's cells as boxes in the plant's layers (enterprise on top, the cells behind
// the MES below), its boundaries as lines between them. Each line carries the boundary id, a symbol and a word
// for its verdict, and a line style of its own, so the diagram reads the same in black and white.
import type { Boundary, Cell } from "../../../shared/model/plan";
import type { CellKind } from "../../../shared/plant-words";
import {
  CONTENT_WIDTH,
  INK,
  MUTED,
  PAGE,
  type CertificateWriter,
} from "./pdf-writer";
import { VERDICT_STYLES, type AnyVerdict } from "./verdict-styles";

/** Row and column (of three) of each kind of cell. */
const SLOTS: Record<CellKind, { row: number; column: number }> = {
  enterprise: { row: 0, column: 1 },
  "remote-site": { row: 1, column: 0 },
  perimeter: { row: 1, column: 1 },
  mes: { row: 2, column: 1 },
  "process-control": { row: 3, column: 0 },
  external: { row: 3, column: 1 },
  database: { row: 3, column: 2 },
};

const ROW_GAP = 98;
const BOX_HEIGHT = 34;
const BOX_WIDTH = 136;
const LABEL_HEIGHT = 13;
const LABEL_SIZE = 7;
/** The diagram's height, for the heading above it to keep it on the same page. */
export const TOPOLOGY_HEIGHT = 3 * ROW_GAP + BOX_HEIGHT + 20;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DiagramBoundary {
  boundary: Boundary;
  verdict: AnyVerdict;
}

/** Draws the diagram at the writer's position; returns its height. */
export function drawTopology(
  writer: CertificateWriter,
  cells: readonly Cell[],
  boundaries: readonly DiagramBoundary[],
): number {
  const doc = writer.doc;
  const top = writer.y + 6;
  const boxes = layoutCells(cells, top);
  const height = TOPOLOGY_HEIGHT - 6;

  // Lines first, boxes over their ends, labels over everything.
  const pairs = new Map<string, DiagramBoundary[]>();
  const selfLoops = new Map<string, DiagramBoundary[]>();
  for (const entry of boundaries) {
    const { from, to } = entry.boundary;
    if (!boxes.has(from) || !boxes.has(to)) continue;
    if (from === to) {
      selfLoops.set(from, [...(selfLoops.get(from) ?? []), entry]);
      continue;
    }
    const key = [from, to].sort().join("\u0000");
    pairs.set(key, [...(pairs.get(key) ?? []), entry]);
  }

  const labels: {
    entry: DiagramBoundary;
    x: number;
    y: number;
    width: number;
  }[] = [];
  const widthOf = (entry: DiagramBoundary): number => {
    doc.font("bold").fontSize(LABEL_SIZE);
    return doc.widthOfString(labelText(entry)) + 8;
  };
  const segments: {
    entry: DiagramBoundary;
    x1: number;
    y1: number;
    x2: number;
    y2: number;
  }[] = [];
  for (const group of pairs.values()) {
    group.forEach((entry, index) => {
      const a = boxes.get(entry.boundary.from);
      const b = boxes.get(entry.boundary.to);
      if (a === undefined || b === undefined) return;
      const [ax, ay] = centre(a);
      const [bx, by] = centre(b);
      // Parallel boundaries between the same cells sit side by side.
      const offset = (index - (group.length - 1) / 2) * 84;
      const length = Math.hypot(bx - ax, by - ay) || 1;
      const nx = (-(by - ay) / length) * offset;
      const ny = ((bx - ax) / length) * offset;
      strokeBoundary(writer, entry.verdict, ax + nx, ay + ny, bx + nx, by + ny);
      segments.push({
        entry,
        x1: ax + nx,
        y1: ay + ny,
        x2: bx + nx,
        y2: by + ny,
      });
    });
  }

  for (const [cellId, box] of boxes) {
    const cell = cells.find((c) => c.id === cellId);
    if (cell === undefined) continue;
    doc
      .roundedRect(box.x, box.y, box.width, box.height, 4)
      .lineWidth(1.2)
      .fillAndStroke("#ffffff", INK);
    const twoLines = writer.measure(cell.name, "bold", 8.5, box.width - 8) > 12;
    writer.textAt(
      cell.name,
      box.x + 4,
      box.y + (twoLines ? 6 : 5),
      box.width - 8,
      "bold",
      8.5,
      INK,
      "center",
    );
    if (!twoLines)
      writer.textAt(
        `${cell.kind} cell`,
        box.x + 4,
        box.y + box.height - 13,
        box.width - 8,
        "condensed",
        7,
        MUTED,
        "center",
      );
  }

  for (const [cellId, loops] of selfLoops) {
    const box = boxes.get(cellId);
    if (box === undefined) continue;
    loops.forEach((entry, index) => {
      const width = widthOf(entry);
      const x = box.x - width / 2 - 16;
      const y = box.y + box.height / 2 + index * (LABEL_HEIGHT + 4);
      strokeBoundary(writer, entry.verdict, x + width / 2, y, box.x, y);
      labels.push({ entry, x, y, width });
    });
  }

  // Each label where it overlaps no box and no other label: the middle of its line if free, else nearer an end.
  const taken: Box[] = [
    ...boxes.values(),
    ...labels.map((l) => labelBox(l.x, l.y, l.width)),
  ];
  // Straight lines first: they have the fewest places to put a label.
  const ordered = [...segments].sort((a, b) => slant(a) - slant(b));
  for (const segment of ordered) {
    const width = widthOf(segment.entry);
    let placed = {
      x: (segment.x1 + segment.x2) / 2,
      y: (segment.y1 + segment.y2) / 2,
    };
    for (const t of [0.5, 0.4, 0.6, 0.32, 0.68, 0.25, 0.75]) {
      const candidate = {
        x: segment.x1 + (segment.x2 - segment.x1) * t,
        y: segment.y1 + (segment.y2 - segment.y1) * t,
      };
      if (
        !taken.some((box) =>
          overlaps(box, labelBox(candidate.x, candidate.y, width)),
        )
      ) {
        placed = candidate;
        break;
      }
    }
    taken.push(labelBox(placed.x, placed.y, width));
    labels.push({ entry: segment.entry, ...placed, width });
  }
  for (const { entry, x, y, width } of labels)
    drawLabel(writer, entry, x, y, width);
  writer.y = top + height;
  return height;
}

/** A legend of the line styles: symbol, word, and a piece of line. */
export function drawLegend(
  writer: CertificateWriter,
  verdicts: readonly AnyVerdict[],
): void {
  const top = writer.y;
  const itemWidth = CONTENT_WIDTH / 4;
  verdicts.forEach((verdict, index) => {
    const x = PAGE.left + (index % 4) * itemWidth;
    const y = top + Math.floor(index / 4) * 14;
    strokeBoundary(writer, verdict, x, y + 5, x + 22, y + 5);
    const style = VERDICT_STYLES[verdict];
    writer.textAt(
      `${style.symbol} ${style.word}`,
      x + 27,
      y,
      itemWidth - 30,
      "bold",
      7.5,
      style.color,
    );
  });
  writer.y = top + Math.ceil(verdicts.length / 4) * 14 + 6;
}

function layoutCells(cells: readonly Cell[], top: number): Map<string, Box> {
  const bySlot = new Map<string, Cell[]>();
  for (const cell of cells) {
    const slot = SLOTS[cell.kind];
    const key = `${slot.row}:${slot.column}`;
    bySlot.set(key, [...(bySlot.get(key) ?? []), cell]);
  }
  const columnWidth = CONTENT_WIDTH / 3;
  const boxes = new Map<string, Box>();
  for (const [key, members] of bySlot) {
    const [row = 0, column = 0] = key.split(":").map(Number);
    const slotLeft = PAGE.left + column * columnWidth;
    const width = Math.min(BOX_WIDTH, columnWidth / members.length - 6);
    members.forEach((cell, index) => {
      const share = columnWidth / members.length;
      boxes.set(cell.id, {
        x: slotLeft + index * share + (share - width) / 2,
        y: top + row * ROW_GAP,
        width,
        height: BOX_HEIGHT,
      });
    });
  }
  return boxes;
}

function labelBox(cx: number, cy: number, width: number): Box {
  return {
    x: cx - width / 2 - 2,
    y: cy - LABEL_HEIGHT / 2 - 2,
    width: width + 4,
    height: LABEL_HEIGHT + 4,
  };
}

/** 0 for vertical or horizontal lines, up to 1 for diagonals. */
function slant(segment: {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}): number {
  const dx = Math.abs(segment.x2 - segment.x1);
  const dy = Math.abs(segment.y2 - segment.y1);
  return Math.min(dx, dy) / Math.max(dx, dy, 1);
}

function labelText(entry: DiagramBoundary): string {
  const style = VERDICT_STYLES[entry.verdict];
  return `${entry.boundary.id}  ${style.symbol} ${style.word}`;
}

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

function centre(box: Box): [number, number] {
  return [box.x + box.width / 2, box.y + box.height / 2];
}

function strokeBoundary(
  writer: CertificateWriter,
  verdict: AnyVerdict,
  x1: number,
  y1: number,
  x2: number,
  y2: number,
): void {
  const style = VERDICT_STYLES[verdict];
  const doc = writer.doc;
  doc.save();
  doc
    .moveTo(x1, y1)
    .lineTo(x2, y2)
    .lineWidth(style.line.width)
    .strokeColor(style.color);
  if (style.line.dash !== null)
    doc.dash(style.line.dash[0], { space: style.line.dash[1] });
  doc.stroke();
  doc.undash();
  doc.restore();
}

function drawLabel(
  writer: CertificateWriter,
  entry: DiagramBoundary,
  cx: number,
  cy: number,
  width: number,
): void {
  const style = VERDICT_STYLES[entry.verdict];
  const x = cx - width / 2;
  const y = cy - LABEL_HEIGHT / 2;
  writer.doc
    .rect(x, y, width, LABEL_HEIGHT)
    .lineWidth(0.8)
    .fillAndStroke("#ffffff", style.color);
  writer.textAt(
    labelText(entry),
    x,
    y + 3,
    width,
    "bold",
    LABEL_SIZE,
    style.color,
    "center",
  );
}
