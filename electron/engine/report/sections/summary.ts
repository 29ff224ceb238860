// "Boundaries at a glance": the topology coloured by verdict (readable in black and white) and one row per
// boundary — required protection, endpoints, checks by verdict, the boundary's verdict.
import {
  shownBoundaryVerdict,
  type BoundaryAssessment,
} from "../../../../shared/verdicts/rollup";
import { count } from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import { drawLegend, drawTopology, TOPOLOGY_HEIGHT } from "../diagram";
import { unbroken } from "../format";
import {
  MUTED,
  type Cell,
  type CertificateWriter,
  type Column,
} from "../pdf-writer";
import {
  VERDICT_STYLES,
  verdictLabel,
  type AnyVerdict,
} from "../verdict-styles";

const CHECK_SYMBOLS = `Check symbols: ${(["pass", "warn", "fail", "not-tested", "waived", "attested"] as const).map((v) => verdictLabel(v)).join(" · ")}.`;

export function summarySection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan, assessment } = context;
  writer.heading("Boundaries at a glance", 1, TOPOLOGY_HEIGHT + 30);
  // A boundary that passes only because something was waived reads WAIVED, never pass.
  const verdictOf = (id: string): AnyVerdict => {
    const boundary = assessment.boundaries.find((b) => b.boundary.id === id);
    return boundary === undefined
      ? "out-of-scope"
      : shownBoundaryVerdict(boundary);
  };
  drawTopology(
    writer,
    plan.cells,
    plan.boundaries.map((boundary) => ({
      boundary,
      verdict: verdictOf(boundary.id),
    })),
  );
  drawLegend(writer, [
    "pass",
    "warn",
    "waived",
    "incomplete",
    "fail",
    "out-of-scope",
  ]);
  const columns: Column[] = [
    { header: "Boundary (conduit)", width: 150 },
    { header: "Required protection", width: 124 },
    { header: "Endpoints", width: 52, align: "right" },
    { header: "Checks", width: 98 },
    { header: "Verdict", width: 75 },
  ];
  const rows: Cell[][] = assessment.boundaries.map((b) => {
    const style = VERDICT_STYLES[shownBoundaryVerdict(b)];
    const endpoints = plan.endpoints.filter(
      (e) => e.boundary === b.boundary.id && e.retired !== true,
    ).length;
    return [
      { text: `${b.boundary.id} · ${b.boundary.title}`, font: "bold" },
      b.boundary.protection,
      String(endpoints),
      b.inScope ? checkCounts(b) : b.outOfScopeReason || "out of scope",
      {
        text: `${style.symbol} ${style.word}`,
        font: "bold",
        color: style.color,
        fill: style.tint,
      },
    ];
  });
  writer.table(columns, rows, {
    size: 7.5,
    caption: "Summary by boundary",
    keepTogether: true,
  });
  writer.paragraph(CHECK_SYMBOLS, { size: 7.5, color: MUTED });
}

function checkCounts(boundary: BoundaryAssessment): string {
  const counts = new Map<AnyVerdict, number>();
  for (const check of boundary.checks)
    counts.set(check.verdict, (counts.get(check.verdict) ?? 0) + 1);
  const parts = [...counts].map(([v, n]) => `${VERDICT_STYLES[v].symbol} ${n}`);
  const outOfDate = boundary.checks.filter((c) => c.outOfDate !== null).length;
  return [
    `${count(boundary.checks.length, "check")}: ${parts.join("  ") || "none"}`,
    ...(outOfDate === 0 ? [] : [unbroken(`${outOfDate} out of date`)]),
    ...boundary.gaps,
  ].join("\n");
}
