// "Results per boundary": per boundary in scope its verdict, the required protection and the guide's words (each
// quote once), one line per passing check (id, endpoint, measured value, headroom, evidence), and a full block only
// for the checks that fail, warn, are waived, attested, not tested or out of date — with "Pass if" and "Fail if"
// stated the same way for every check.
import { GUIDE_TITLE } from "../../../../shared/catalog/catalog";
import { criteriaLines } from "../../../../shared/catalog/criteria";
import type {
  BoundaryAssessment,
  CheckAssessment,
} from "../../../../shared/verdicts/rollup";
import {
  attestationNote,
  listing,
  waiverNote,
} from "../../../../shared/wording";
import type { CertificateContext } from "../certificate-context";
import {
  criteriaOf,
  endpointLine,
  headroomOf,
  measuredFromLine,
  shownCheckVerdict,
  srList,
} from "../check-lines";
import { unbroken } from "../format";
import {
  CONTENT_WIDTH,
  MUTED,
  PAGE,
  type Cell,
  type CertificateWriter,
  type Column,
} from "../pdf-writer";
import { VERDICT_STYLES } from "../verdict-styles";

const PASS_COLUMNS: Column[] = [
  { header: "Check", width: 122 },
  { header: "Endpoint", width: 78 },
  { header: "Measured", width: 189 },
  { header: "Headroom", width: 68 },
  { header: "Evidence", width: 42 },
];

const BLOCK_OPTIONS = { size: 7.5, labelWidth: 68 };

export function resultsSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const intro =
    "Per boundary: the verdict, the protection the guide requires and its words, then one line for each check that passed — what was measured and how much room it leaves — and a full account of every check that did not simply pass. Evidence ids lead to the records under “Evidence”.";
  const inScope = context.assessment.boundaries.filter((b) => b.inScope);
  const first = inScope[0];
  writer.heading(
    "Results per boundary",
    1,
    writer.paragraphHeight(intro, { size: 8 }) +
      (first === undefined ? 20 : boundaryLead(writer, context, first).total),
  );
  writer.paragraph(intro, { size: 8, color: MUTED });
  if (inScope.length === 0) writer.paragraph("No boundary is in scope.");
  for (const boundary of inScope) boundaryResults(writer, context, boundary);
}

const TEXT_WIDTH = CONTENT_WIDTH - 104;

/** What a boundary's heading keeps with it: the verdict line, the guide's words, the first passing lines or block. */
function boundaryLead(
  writer: CertificateWriter,
  context: CertificateContext,
  boundary: BoundaryAssessment,
): {
  required: string;
  requiredHeight: number;
  quotes: string[];
  passing: CheckAssessment[];
  rest: CheckAssessment[];
  passRows: Cell[][];
  total: number;
} {
  const vantages = boundary.boundary.vantages.join(" and ");
  const required = `Required: ${boundary.boundary.protection}. Checked from the ${vantages} ${boundary.boundary.vantages.length === 1 ? "vantage" : "vantages"}.`;
  const requiredHeight = Math.max(
    14,
    writer.measure(required, "regular", 8, TEXT_WIDTH) + 3,
  );
  const quotes = guideQuotes(boundary);
  const quotesHeight = quotes.reduce(
    (sum, q) => sum + writer.paragraphHeight(q, { size: 7.5, gap: 2 }),
    0,
  );
  const passing = boundary.checks.filter(
    (c) => c.verdict === "pass" && c.outOfDate === null,
  );
  const rest = boundary.checks.filter((c) => !passing.includes(c));
  const passRows = passing.map((item) => passRow(context, item));
  const firstHeight =
    passRows.length > 0
      ? writer.tableLeadHeight(
          PASS_COLUMNS,
          passRows,
          passTable(context, passing),
        )
      : rest[0] === undefined
        ? 14
        : Math.min(blockHeight(writer, context, rest[0]), 120);
  const total =
    writer.headingHeight(
      `${boundary.boundary.id} — ${boundary.boundary.title}`,
      2,
    ) +
    requiredHeight +
    quotesHeight +
    firstHeight;
  return { required, requiredHeight, quotes, passing, rest, passRows, total };
}

/** The passing lines' caption: how many, and the runs and source addresses they were measured from. */
function passTable(
  context: CertificateContext,
  passing: readonly CheckAssessment[],
): { size: number; caption: string } {
  const runs = [
    ...new Set(passing.flatMap((c) => (c.run === null ? [] : [c.run.id]))),
  ].flatMap((id) => {
    const run = context.runs.get(id);
    return run === undefined ? [] : [run];
  });
  const from = runs
    .sort((a, b) => a.sequence - b.sequence)
    .map((run) => {
      const source = context.source(run);
      return `run ${run.sequence} from ${source.address ?? "the system's address"} ${source.text}`;
    });
  return {
    size: 7,
    caption: `✔ Passed (${passing.length})${from.length === 0 ? "" : `, measured in ${listing(from)}`}`,
  };
}

function boundaryResults(
  writer: CertificateWriter,
  context: CertificateContext,
  boundary: BoundaryAssessment,
): void {
  const style = VERDICT_STYLES[boundary.verdict ?? "out-of-scope"];
  const textWidth = TEXT_WIDTH;
  const { required, requiredHeight, quotes, passing, rest, passRows, total } =
    boundaryLead(writer, context, boundary);
  writer.heading(
    `${boundary.boundary.id} — ${boundary.boundary.title}`,
    2,
    total -
      writer.headingHeight(
        `${boundary.boundary.id} — ${boundary.boundary.title}`,
        2,
      ),
  );
  const top = writer.y;
  writer.badge(style, PAGE.left, top, 8, 96);
  writer.textAt(required, PAGE.left + 104, top + 1, textWidth, "regular", 8);
  writer.y = top + requiredHeight;
  for (const quote of quotes)
    writer.paragraph(quote, { size: 7.5, color: MUTED, gap: 2 });
  for (const gap of boundary.gaps)
    writer.paragraph(`◐ ${gap}`, { size: 8, font: "bold" });
  writer.y += 2;
  if (boundary.checks.length === 0 && boundary.gaps.length === 0)
    writer.paragraph("No check applies to this boundary's endpoints.");
  if (passRows.length > 0)
    writer.table(PASS_COLUMNS, passRows, passTable(context, passing));
  for (const item of rest) checkBlock(writer, context, item);
}

/** The guide's words for the boundary and for any of its checks quoting another passage: each once. */
function guideQuotes(boundary: BoundaryAssessment): string[] {
  const guides = [
    boundary.boundary.guide,
    ...boundary.checks.map((c) => c.check.guide),
  ];
  const seen = new Set<string>();
  return guides.flatMap((guide) => {
    if (seen.has(guide.quote)) return [];
    seen.add(guide.quote);
    return [`“${guide.quote}” — ${GUIDE_TITLE}, “${guide.section}”.`];
  });
}

function passRow(context: CertificateContext, item: CheckAssessment): Cell[] {
  const refs = context.refsOf(item);
  return [
    { text: item.check.id, font: "condensedBold", nowrap: true },
    item.endpoint.id,
    item.result?.measured || "—",
    headroomOf(context, item) || "—",
    refs.length === 0 ? "—" : refs.join("\n"),
  ];
}

function blockRows(
  context: CertificateContext,
  item: CheckAssessment,
): [string, Cell][] {
  const { result } = item;
  const rows: [string, Cell][] = [
    ["Endpoint", endpointLine(context, item)],
    ["Measured from", measuredFromLine(context, item)],
  ];
  if (result !== null && result.measured !== "")
    rows.push([
      item.outOfDate === null ? "Measured" : "Measured before",
      result.measured,
    ]);
  for (const line of criteriaLines(criteriaOf(context, item)))
    rows.push([line.label, line.text]);
  const headroom = headroomOf(context, item);
  if (headroom !== "") rows.push(["Headroom", headroom]);
  // An attested or waived check without a measurement has its note below, not the roll-up's copy of it.
  if (result !== null || (item.waiver === null && item.attestation === null))
    rows.push([
      "Result",
      {
        text: unbroken(result?.message ?? item.summary),
        font: item.verdict === "fail" ? "bold" : "regular",
      },
    ]);
  if (item.outOfDate !== null)
    rows.push(["Why not tested", unbroken("out of date")]);
  else if (result !== null && result.reason !== "")
    rows.push(["Why not tested", result.reason]);
  if (item.waiver !== null)
    rows.push(["Waiver", waiverNote(item.waiver, item.waiverExpired)]);
  if (item.attestation !== null)
    rows.push(["Attestation", attestationNote(item.attestation)]);
  const refs = context.refsOf(item);
  if (refs.length > 0) rows.push(["Evidence", refs.join(", ")]);
  return rows;
}

const META_WIDTH = 130;
const TITLE_WIDTH = CONTENT_WIDTH - 88 - META_WIDTH - 6;

function titleOf(item: CheckAssessment): string {
  return `${item.check.id} — ${item.check.title}`;
}

/** "mandatory · SR 3.1, SR 4.1", "recommended, attested · SR 5.1" */
function metaOf(item: CheckAssessment): string {
  const { check } = item;
  return `${check.severity}${check.satisfiedBy === "probe" ? "" : check.satisfiedBy === "attest" ? ", attested" : ", probed or attested"} · ${srList(item)}`;
}

function titleHeight(writer: CertificateWriter, item: CheckAssessment): number {
  return Math.max(
    13,
    writer.measure(titleOf(item), "bold", 8, TITLE_WIDTH) + 3,
    writer.measure(metaOf(item), "condensed", 7, META_WIDTH) + 3,
  );
}

function blockHeight(
  writer: CertificateWriter,
  context: CertificateContext,
  item: CheckAssessment,
): number {
  return (
    titleHeight(writer, item) +
    writer.labelValuesHeight(blockRows(context, item), BLOCK_OPTIONS) +
    8
  );
}

/** One check in full: badge, id and title, severity and SRs, then its rows; kept on one page. */
function checkBlock(
  writer: CertificateWriter,
  context: CertificateContext,
  item: CheckAssessment,
): void {
  const style = VERDICT_STYLES[shownCheckVerdict(item)];
  const rows = blockRows(context, item);
  const head = titleHeight(writer, item);
  writer.ensureSpace(head + writer.labelValuesHeight(rows, BLOCK_OPTIONS) + 8);
  const top = writer.y;
  writer.badge(style, PAGE.left, top, 7, 82);
  writer.textAt(
    titleOf(item),
    PAGE.left + 88,
    top + 0.5,
    TITLE_WIDTH,
    "bold",
    8,
  );
  writer.textAt(
    metaOf(item),
    PAGE.left + CONTENT_WIDTH - META_WIDTH,
    top + 1,
    META_WIDTH,
    "condensed",
    7,
    MUTED,
    "right",
  );
  writer.y = top + head;
  writer.labelValues(rows, BLOCK_OPTIONS);
  writer.y += 2;
  writer.rule(writer.y, 0.3);
  writer.y += 5;
}
