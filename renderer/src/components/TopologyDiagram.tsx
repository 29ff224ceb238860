// The plant's cells and the boundaries between them, each boundary labelled with its verdict in words and a
// symbol (never colour alone; a waived failure reads "waived", never "pass"), and a button: choosing one shows
// its checks.
import type { KeyboardEvent, ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import type { BoundaryId, CellKind } from "../../../shared/plant-words";
import {
  shownBoundaryVerdict,
  type PlantAssessment,
} from "../../../shared/verdicts/rollup";
import { lookOf } from "../lib/verdict-look";
import { Icon } from "./Icon";

const WIDTH = 1200;
const HEIGHT = 730;
const CELL_W = 230;
const CELL_H = 64;
/** The MES cell is drawn larger: MES-CELL, the boundary inside it, sits in its box. */
const MES_W = 250;
const MES_H = 130;
const LABEL_W = 180;
const LABEL_H = 54;

/** Where each kind of cell sits: enterprise at the top, the MES in the middle, what it talks to around it. */
const PLACES: Record<CellKind, { x: number; y: number }> = {
  enterprise: { x: 600, y: 50 },
  perimeter: { x: 600, y: 220 },
  mes: { x: 600, y: 440 },
  "remote-site": { x: 130, y: 440 },
  external: { x: 1070, y: 440 },
  "process-control": { x: 330, y: 680 },
  database: { x: 870, y: 680 },
};

/** Two boundaries join the perimeter and the MES: set their labels side by side. */
const LABEL_SHIFT: Partial<Record<BoundaryId, { dx: number; dy: number }>> = {
  "PER-MES": { dx: -110, dy: 0 },
  "IIS-BIND": { dx: 110, dy: 0 },
};

function boxOf(kind: CellKind): { w: number; h: number } {
  return kind === "mes" ? { w: MES_W, h: MES_H } : { w: CELL_W, h: CELL_H };
}

export function cellPositions(
  plan: Plan,
): Map<string, { x: number; y: number }> {
  const seen = new Map<CellKind, number>();
  const positions = new Map<string, { x: number; y: number }>();
  for (const cell of plan.cells) {
    const n = seen.get(cell.kind) ?? 0;
    seen.set(cell.kind, n + 1);
    const base = PLACES[cell.kind];
    positions.set(cell.id, { x: base.x + n * 40, y: base.y + n * 30 });
  }
  return positions;
}

export function TopologyDiagram({
  plan,
  assessment,
  selected,
  onSelect,
}: {
  plan: Plan;
  assessment: PlantAssessment;
  selected: BoundaryId | null;
  onSelect: (boundary: BoundaryId) => void;
}): ReactNode {
  const positions = cellPositions(plan);
  const boundaries = plan.boundaries.flatMap((boundary) => {
    const from = positions.get(boundary.from);
    const to = positions.get(boundary.to);
    const judged = assessment.boundaries.find(
      (b) => b.boundary.id === boundary.id,
    );
    if (from === undefined || to === undefined || judged === undefined)
      return [];
    const shift = LABEL_SHIFT[boundary.id] ?? { dx: 0, dy: 0 };
    const self = boundary.from === boundary.to;
    const label = self
      ? { x: from.x, y: from.y + 30 }
      : {
          x: (from.x + to.x) / 2 + shift.dx,
          y: (from.y + to.y) / 2 + shift.dy,
        };
    return [{ boundary, from, to, label, self, judged }];
  });
  const keyActivate = (id: BoundaryId) => (event: KeyboardEvent) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      onSelect(id);
    }
  };
  return (
    <svg
      className="topology"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      role="group"
      aria-label="Topology of the plant: cells and the boundaries between them"
    >
      {boundaries.map(({ boundary, from, to, label, self, judged }) => {
        const tone =
          judged.verdict === null
            ? "neutral"
            : lookOf(shownBoundaryVerdict(judged)).tone;
        return self ? null : (
          <polyline
            key={`line-${boundary.id}`}
            className={`topology-line tone-${tone}`}
            points={`${from.x},${from.y} ${label.x},${label.y} ${to.x},${to.y}`}
          />
        );
      })}
      {plan.cells.map((cell) => {
        const at = positions.get(cell.id);
        if (at === undefined) return null;
        const box = boxOf(cell.kind);
        const hasInner = plan.boundaries.some(
          (b) => b.from === cell.id && b.to === cell.id,
        );
        return (
          <g key={cell.id} className="topology-cell">
            <rect
              x={at.x - box.w / 2}
              y={at.y - box.h / 2}
              width={box.w}
              height={box.h}
              rx={10}
            />
            <text
              x={at.x}
              y={hasInner ? at.y - box.h / 2 + 34 : at.y + 7}
              textAnchor="middle"
            >
              {cell.name}
            </text>
          </g>
        );
      })}
      {boundaries.map(({ boundary, label, judged }) => {
        const look = lookOf(shownBoundaryVerdict(judged));
        const width = LABEL_W;
        const height = LABEL_H;
        return (
          <g
            key={boundary.id}
            role="button"
            tabIndex={0}
            aria-label={`${boundary.id} ${judged.boundary.title}: ${look.word}`}
            aria-pressed={selected === boundary.id}
            className={`topology-boundary tone-${look.tone}${selected === boundary.id ? " selected" : ""}`}
            onClick={() => onSelect(boundary.id)}
            onKeyDown={keyActivate(boundary.id)}
            transform={`translate(${label.x - width / 2} ${label.y - height / 2})`}
          >
            <rect width={width} height={height} rx={8} />
            <g transform="translate(8 15)">
              <Icon symbol={look.symbol} size={24} />
            </g>
            <text x={38} y={23} className="topology-boundary-id">
              {boundary.id}
            </text>
            <text x={38} y={45} className="topology-boundary-word">
              {look.word}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
