// The IEC 62443-3-3 view (DESIGN §10): each boundary as a conduit between two zones (the security cells), the
// system requirements (SR) its checks evidence, and the result per SR — the worst verdict of the checks that
// cite it, by the roll-up's order (fail before not tested before warn before pass).
import {
  SYSTEM_REQUIREMENTS,
  type SystemRequirement,
} from "../../../../shared/catalog/catalog";
import type { CheckVerdict } from "../../../../shared/plant-words";
import type { BoundaryAssessment } from "../../../../shared/verdicts/rollup";
import type { CertificateContext } from "../certificate-context";
import {
  MUTED,
  type Cell,
  type CertificateWriter,
  type Column,
} from "../pdf-writer";
import { VERDICT_STYLES } from "../verdict-styles";

const SRS = Object.keys(SYSTEM_REQUIREMENTS) as SystemRequirement[];

/** Worst first: a failed check decides the SR's result, then one not tested, then a warning. */
const ORDER: readonly CheckVerdict[] = [
  "fail",
  "not-tested",
  "warn",
  "waived",
  "attested",
  "pass",
];

/** The SR's result on one conduit: its worst check, and how many checks cite it; null when none does. */
export function srResult(
  boundary: BoundaryAssessment,
  sr: SystemRequirement,
): { verdict: CheckVerdict; checks: number } | null {
  const citing = boundary.checks.filter((c) => c.check.sr.includes(sr));
  if (citing.length === 0) return null;
  const verdict =
    ORDER.find((v) => citing.some((c) => c.verdict === v)) ?? "pass";
  return { verdict, checks: citing.length };
}

export function iec62443Section(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const { plan, assessment } = context;
  const inScope = assessment.boundaries.filter((b) => b.inScope);
  const srWidth = 60;
  const columns: Column[] = [
    { header: "Conduit", width: 111 },
    { header: "Zones it joins", width: 88 },
    ...SRS.map((sr) => ({
      header: `SR ${sr}`,
      width: srWidth,
      align: "center" as const,
    })),
  ];
  const zone = (cellId: string): string => context.cellName(cellId);
  const rows: Cell[][] = inScope.map((b) => {
    const planned = plan.boundaries.find((p) => p.id === b.boundary.id);
    const zones =
      planned === undefined
        ? "—"
        : planned.from === planned.to
          ? `within the ${zone(planned.from)} zone`
          : `${zone(planned.from)} zone ↔ ${zone(planned.to)} zone`;
    return [
      { text: `${b.boundary.id}\n${b.boundary.title}`, font: "condensedBold" },
      zones,
      ...SRS.map((sr): Cell => {
        const result = srResult(b, sr);
        if (result === null) return { text: "—", color: MUTED };
        const style = VERDICT_STYLES[result.verdict];
        return {
          text: `${style.symbol} ${style.word}\n${result.checks} ${result.checks === 1 ? "check" : "checks"}`,
          font: result.verdict === "pass" ? "condensed" : "condensedBold",
          color: style.color,
          fill: style.tint,
        };
      }),
    ];
  });
  const plantRow: Cell[] = [
    { text: "All conduits in scope", font: "condensedBold" },
    "",
    ...SRS.map((sr): Cell => {
      const results = inScope.flatMap((b) => {
        const r = srResult(b, sr);
        return r === null ? [] : [r];
      });
      if (results.length === 0) return { text: "not evidenced", color: MUTED };
      const verdict =
        ORDER.find((v) => results.some((r) => r.verdict === v)) ?? "pass";
      const style = VERDICT_STYLES[verdict];
      return {
        text: `${style.symbol} ${style.word}`,
        font: "condensedBold",
        color: style.color,
      };
    }),
  ];
  const intro =
    "Each boundary of the rule catalog is a conduit between two zones — the plant's security cells. For each conduit: the IEC 62443-3-3 system requirements its checks give evidence for, and the result per SR, which is the worst verdict among the checks citing it, with the number of those checks. A dash: no check of that conduit cites the SR.";
  writer.heading(
    "IEC 62443-3-3 view: zones and conduits",
    1,
    writer.paragraphHeight(intro, { size: 8 }) +
      writer.tableLeadHeight(columns, rows),
  );
  writer.paragraph(intro, { size: 8 });
  writer.table(columns, [...rows, plantRow], { size: 7, keepTogether: true });
  writer.paragraph(Object.values(SYSTEM_REQUIREMENTS).join("; ") + ".", {
    size: 7.5,
    color: MUTED,
  });
}
