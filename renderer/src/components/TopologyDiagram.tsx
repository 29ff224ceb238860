// The plant's cells and the boundaries between them, each boundary labelled with its verdict in words and a
// symbol (never colour alone), and a button: choosing one shows its checks.
import type { KeyboardEvent, ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import type { BoundaryId, CellKind } from "../../../shared/plant-words";
import type { PlantAssessment } from "../../../shared/verdicts/rollup";
import { lookOf } from "../lib/verdict-look";
import { Icon } from "./Icon";

const WIDTH = 1000;
const HEIGHT = 640;
const CELL_W = 230;
const CELL_H = 64;

/** Where each kind of cell sits: enterprise at the top, the MES in the middle, what it talks to around it. */
const PLACES: Record<CellKind, { x: number; y: number }> = {
  enterprise: { x: 500, y: 56 },
  perimeter: { x: 500, y: 216 },
  mes: { x: 500, y: 392 },
  "remote-site": { x: 140, y: 392 },
  external: { x: 860, y: 392 },
  "process-control": { x: 300, y: 586 },
  database: { x: 700, y: 586 },
};

/** Two boundaries join the perimeter and the MES: set their labels side by side. */
const LABEL_SHIFT: Partial<Record<BoundaryId, { dx: number; dy: number }>> = {
  "PER-MES": { dx: -120, dy: 0 },
  "IIS-BIND": { dx: 120, dy: 0 },
  "MES-CELL": { dx: 0, dy: 0 },
};

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
      ? { x: from.x, y: from.y + CELL_H / 2 + 34 }
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
          judged.verdict === null ? "neutral" : lookOf(judged.verdict).tone;
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
        return (
          <g key={cell.id} className="topology-cell">
            <rect
              x={at.x - CELL_W / 2}
              y={at.y - CELL_H / 2}
              width={CELL_W}
              height={CELL_H}
              rx={10}
            />
            <text x={at.x} y={at.y + 7} textAnchor="middle">
              {cell.name}
            </text>
          </g>
        );
      })}
      {boundaries.map(({ boundary, label, judged }) => {
        const verdict = judged.verdict ?? "out-of-scope";
        const look = lookOf(verdict);
        const width = 200;
        const height = 48;
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
            <g transform="translate(8 12)">
              <Icon symbol={look.symbol} size={24} />
            </g>
            <text x={38} y={21} className="topology-boundary-id">
              {boundary.id}
            </text>
            <text x={38} y={40} className="topology-boundary-word">
              {look.word}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
