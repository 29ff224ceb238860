// "Findings to fix" (DESIGN §10, page 2): one row per failing check — id, endpoint, cell, vantage and source
// address, what was seen, what to do, SR — then the checks not judged because of them, the warnings to watch, the
// waivers with who approved them and until when, and what is out of date.
import type { CheckAssessment } from "../../../../shared/verdicts/rollup";
import { count, listing, waiverNote } from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import { srList } from "../check-lines";
import { formatTime, unbroken } from "../format";
import {
  MUTED,
  type Cell,
  type CertificateWriter,
  type Column,
} from "../pdf-writer";

const CHECK_COLUMN = { header: "Check", width: 122 };

export function findingsSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const checks = context.checks;
  const failing = checks.filter((c) => c.verdict === "fail");
  const columns: Column[] = [
    CHECK_COLUMN,
    { header: "Endpoint and cell", width: 80 },
    { header: "Measured from", width: 74 },
    { header: "Seen", width: 72 },
    { header: "What to do", width: 151 },
  ];
  const rows = failing.map((item) => findingRow(context, item));
  const intro =
    failing.length === 0
      ? "No check failed."
      : `${count(failing.length, "check")} failed. Each keeps the plant from being commissioned until it is fixed and measured again in a new run.`;
  writer.heading(
    "Findings to fix",
    1,
    writer.paragraphHeight(intro) +
      (rows.length === 0 ? 0 : writer.tableLeadHeight(columns, rows)),
  );
  writer.paragraph(intro, { size: 9 });
  if (rows.length > 0) writer.table(columns, rows, { size: 7 });

  const blocked = checks.filter(
    (c) =>
      c.verdict === "not-tested" &&
      c.outOfDate === null &&
      c.result?.reason === "prerequisite failed",
  );
  if (blocked.length > 0) {
    const byEndpoint = new Map<string, CheckAssessment[]>();
    for (const item of blocked)
      byEndpoint.set(item.endpoint.id, [
        ...(byEndpoint.get(item.endpoint.id) ?? []),
        item,
      ]);
    writer.paragraph(
      `Not judged, because a check they build on failed above (they are judged once it passes): ${[
        ...byEndpoint,
      ]
        .map(
          ([endpoint, items]) =>
            `${listing(items.map((i) => i.check.id))} on ${endpoint}`,
        )
        .join("; ")}.`,
      { size: 8 },
    );
  }
  const otherGaps = checks.filter(
    (c) =>
      c.check.severity === "mandatory" &&
      c.verdict === "not-tested" &&
      !blocked.includes(c),
  );
  if (otherGaps.length > 0)
    writer.table(
      [
        CHECK_COLUMN,
        { header: "Endpoint and cell", width: 130 },
        { header: "Why it was not tested", width: 247 },
      ],
      otherGaps.map((item) => [
        { text: item.check.id, font: "condensedBold", nowrap: true },
        `${item.endpoint.id}\n${context.address(item.endpoint)}, ${context.cellName(item.endpoint.cell)}`,
        unbroken(item.summary),
      ]),
      {
        size: 7,
        caption:
          "Mandatory checks not tested (the plant cannot be commissioned without them)",
      },
    );

  const warnings = checks.filter((c) => c.verdict === "warn");
  if (warnings.length > 0)
    writer.table(
      [
        CHECK_COLUMN,
        { header: "Endpoint and cell", width: 110 },
        { header: "Seen", width: 100 },
        { header: "Advice", width: 167 },
      ],
      warnings.map((item) => [
        {
          text: `${item.check.id}\n${srList(item)}`,
          font: "condensedBold",
          nowrap: true,
        },
        `${item.endpoint.id}\n${context.address(item.endpoint)}, ${context.cellName(item.endpoint.cell)}`,
        item.result?.measured || "—",
        item.summary,
      ]),
      {
        size: 7,
        caption: `▲ ${count(warnings.length, "warning")}: within limits, to watch`,
      },
    );

  writer.heading("Waivers", 2, 30);
  const waived = context.plan.waivers;
  if (waived.length === 0)
    writer.paragraph("No check is waived.", { size: 8.5 });
  else
    writer.table(
      [
        CHECK_COLUMN,
        { header: "Endpoint", width: 80 },
        { header: "Waiver", width: 297 },
      ],
      waived.map((waiver) => {
        const item = checks.find(
          (c) =>
            c.check.id === waiver.checkId &&
            c.endpoint.id === waiver.endpointId,
        );
        const expired = item?.waiverExpired ?? false;
        return [
          { text: waiver.checkId, font: "condensedBold", nowrap: true },
          waiver.endpointId,
          `${waiverNote(waiver, expired)}${waiver.notes === "" ? "" : ` Notes: ${waiver.notes}`}${item === undefined ? " (no longer applies to a check in scope)" : item.verdict === "waived" ? "" : ` (measured ${item.verdict} since: not needed)`}`,
        ];
      }),
      { size: 7 },
    );

  const outOfDate = checks.filter((c) => c.outOfDate !== null);
  writer.heading("Out of date", 2, 20);
  if (outOfDate.length === 0)
    writer.paragraph(
      "No result is out of date: every endpoint is as it was when it was measured.",
      { size: 8.5 },
    );
  else
    writer.table(
      [
        CHECK_COLUMN,
        { header: "Endpoint", width: 110 },
        { header: "Why", width: 267 },
      ],
      outOfDate.map((item) => [
        { text: item.check.id, font: "condensedBold", nowrap: true },
        item.endpoint.id,
        `The endpoint changed after run ${item.outOfDate?.afterRun ?? "?"}${item.run === null ? "" : ` (measured ${formatTime(item.run.startedAt)})`}; probe it again. Counted as not tested.`,
      ]),
      { size: 7 },
    );
  writer.paragraph(
    "Full details of every check that did not simply pass follow under “Results per boundary”; the evidence ids (R<run>-E<n>) lead to the records under “Evidence”.",
    { size: 7.5, color: MUTED },
  );
}

function findingRow(
  context: CertificateContext,
  item: CheckAssessment,
): Cell[] {
  const run = item.run === null ? undefined : context.runs.get(item.run.id);
  const source = run === undefined ? null : context.source(run);
  return [
    {
      text: `${item.check.id}\n${srList(item)}`,
      font: "condensedBold",
      nowrap: true,
    },
    `${item.endpoint.id}\n${context.address(item.endpoint)}\ncell ${context.cellName(item.endpoint.cell)}`,
    run === undefined || source === null
      ? "not measured"
      : `run ${run.sequence}, ${run.vantage}\n${source.address ?? "system's address"}\n${source.text}`,
    `${seen(item.result?.measured ?? "")}${context.refsOf(item).length === 0 ? "" : `\n(${context.refsOf(item).join(", ")})`}`,
    item.summary,
  ];
}

/**
 * What was seen, in short: the measurement's first part without fingerprints (the full measurement is in the
 * check's block, the record behind it under its evidence id).
 */
export function seen(measured: string): string {
  const first = (measured.split("; ")[0] ?? "").replace(
    / \(SHA-256 [0-9A-F:]+\)/g,
    "",
  );
  if (first === "") return "—";
  const short = first.length > 90 ? `${first.slice(0, 89)}…` : first;
  return short === measured ? short : `${short.replace(/…$/, "")} …`;
}
