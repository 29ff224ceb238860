// "Changes since certificate <number>" (issue 20, DESIGN §10): right after the findings, only in a certificate of a
// plan started from an earlier certificate. Which certificate, how it verified when the plan was made, the one-line
// count, what could not be compared, then one row per change — direction in word and symbol, never colour alone.
import { formatTime } from "../format";
import type { CertificateContext } from "../certificate-context";
import { MUTED, type Cell, type CertificateWriter } from "../pdf-writer";

const COLUMNS = [
  { header: "Change", width: 62 },
  { header: "What and endpoint", width: 118 },
  { header: "Was", width: 78 },
  { header: "Now", width: 78 },
  { header: "What changed", width: 163 },
];

const DIRECTION_COLORS: Record<string, string> = {
  worse: "#a11d1d",
  better: "#1d6b2f",
};

/** Drawn only when the plan was started from a certificate (the section's `shown`). */
export function changesShown(context: CertificateContext): boolean {
  return context.content.changes !== null;
}

export function changesSection(
  writer: CertificateWriter,
  context: CertificateContext,
): void {
  const section = context.content.changes;
  const previous = context.plan.previousCertificate;
  if (section === null || previous === undefined) return;
  const verified =
    previous.verified === "valid"
      ? "it verified as valid when this re-audit was started from it"
      : "it was intact when this re-audit was started from it, but who signed it was not checked (no commissioning CA was given)";
  const intro = `This audit was started from certificate ${previous.number}, issued ${formatTime(previous.issuedAt)} with the plant verdict ${previous.plantVerdict.toUpperCase()}, SHA-256 ${previous.pdfSha256}; ${verified}. ${section.summary}`;
  const rows: Cell[][] = section.rows.map((row) => [
    {
      text: row.change,
      font: "bold",
      color: DIRECTION_COLORS[row.direction],
    },
    row.endpoint === "" ? row.what : `${row.what}\n${row.endpoint}`,
    row.was,
    row.now,
    row.message,
  ]);
  writer.heading(
    section.title,
    1,
    writer.paragraphHeight(intro, { size: 9 }) +
      (rows.length === 0 ? 0 : writer.tableLeadHeight(COLUMNS, rows)),
  );
  writer.paragraph(intro, { size: 9 });
  for (const note of section.notes)
    writer.paragraph(note, { size: 7.5, color: MUTED });
  if (rows.length > 0) writer.table(COLUMNS, rows, { size: 7 });
}
