// `cellcert diff OLD.pdf NEW.pdf [--ca F]… [--crl F]… [--json]` (DESIGN §8, issue 20): what changed between two
// certificates of one plant, from their signed evidence, per endpoint and check. Both are verified first: intact
// with the signer not checked (no --ca) is compared, and that is said; modified, invalid or unreadable is exit 2.
// Exit 0 when nothing got worse, 1 when something did.
import { resolve } from "node:path";
import type { AuditChanges } from "../../../shared/reaudit/changes";
import { TOOL_VERSION } from "../../engine/about";
import { UserError } from "../../engine/errors";
import {
  changeNotes,
  changeRows,
  changesSummary,
  compareAudits,
  verificationSentence,
  type CheckedCertificate,
} from "../../engine/reaudit";
import { ExitCode } from "../exit-codes";
import { readCaFiles, readCrlFiles } from "../input-files";
import type { CliIo } from "../io";
import { DIFF_REPORT_SCHEMA } from "../report-schemas";
import { renderTable } from "../table";
import { readCertificateFile, type TrustOptions } from "./reaudit-input";

/** One certificate compared: where it is and how it verified. */
export interface DiffDocument {
  file: string;
  /** valid (the signer chains to a --ca) or signer-not-checked (intact; no --ca was given). */
  status: "valid" | "signer-not-checked";
  certificateNumber: string;
  signer: { subject: string; fingerprintSha256: string } | null;
  pdfSha256: string;
  evidenceSha256: string;
}

export interface DiffReport extends AuditChanges {
  schema: typeof DIFF_REPORT_SCHEMA;
  tool: { name: "cellcert"; version: string };
  files: { old: DiffDocument; new: DiffDocument };
  caFiles: string[];
}

export interface DiffCommandOptions extends TrustOptions {
  json?: boolean;
}

export async function diffCommand(
  oldFile: string,
  newFile: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  let report: DiffReport;
  let sentences: string[];
  try {
    const caPems = await readCaFiles(
      options.ca,
      io.cwd,
      "the commissioning CA's certificate",
    );
    const trust = {
      caPems,
      crlPems: await readCrlFiles(options.crl ?? [], io.cwd),
    };
    const old = await readCertificateFile(oldFile, io.cwd, trust);
    const next = await readCertificateFile(newFile, io.cwd, trust);
    const hint = `give the commissioning CA's certificate: cellcert diff ${oldFile} ${newFile} --ca COMMISSIONING-CA.pem`;
    sentences = [old, next].map((c) => verificationSentence(c, hint));
    const changes = compareAudits(old.evidence.record, next.evidence.record);
    const notChecked = [old, next].filter(
      (c) => c.status === "signer-not-checked",
    );
    report = {
      schema: DIFF_REPORT_SCHEMA,
      tool: { name: "cellcert", version: TOOL_VERSION },
      files: { old: documentOf(old), new: documentOf(next) },
      caFiles: options.ca.map((ca) => resolve(io.cwd, ca)),
      ...changes,
      notes: [
        ...(notChecked.length === 0
          ? []
          : [
              `Compared although who signed ${notChecked.map((c) => `certificate ${c.evidence.number}`).join(" and ")} was NOT checked (no --ca was given): both are intact, unchanged since signing.`,
            ]),
        ...changes.notes,
      ],
    };
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }
  io.stdout(
    options.json === true
      ? JSON.stringify(report, null, 2)
      : renderDiff(report, sentences),
  );
  return report.worse ? ExitCode.failed : ExitCode.ok;
}

function documentOf(
  checked: CheckedCertificate & { path: string },
): DiffDocument {
  return {
    file: checked.path,
    status: checked.status,
    certificateNumber: checked.evidence.number,
    signer:
      checked.verification.signer === null
        ? null
        : {
            subject: checked.verification.signer.subject,
            fingerprintSha256: checked.verification.signer.fingerprintSha256,
          },
    pdfSha256: checked.pdfSha256,
    evidenceSha256: checked.evidenceSha256,
  };
}

export function renderDiff(report: DiffReport, sentences: string[]): string {
  const side = (s: DiffReport["old"]): string =>
    `certificate ${s.certificateNumber ?? "—"} (${(s.issuedAt ?? "").slice(0, 10)}, ${s.plantVerdict})`;
  const lines = [
    `From ${side(report.old)} to ${side(report.new)}:`,
    ...sentences,
  ];
  const notes = changeNotes(report);
  if (notes.length > 0) {
    lines.push("", "Notes:");
    for (const note of notes) lines.push(`  - ${note}`);
  }
  lines.push("");
  const rows = changeRows(report);
  if (rows.length === 0) lines.push("Nothing changed.");
  else
    lines.push(
      renderTable(
        ["CHANGE", "WHAT", "ENDPOINT", "WHAT CHANGED"],
        rows.map((r) => [r.change, r.what, r.endpoint, r.message]),
        { width: 160 },
      ),
      "",
      changesSummary(report),
    );
  return lines.join("\n");
}
