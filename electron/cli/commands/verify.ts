// `cellcert verify FILE.pdf [--ca F]… [--crl F]… [--json]`: is this signed certificate intact, who signed it and
// when (by its time-stamp, checked with the TSA's CA among the --ca files, or the signer's laptop clock), and
// what plant verdict does it state (DESIGN §2, §8). Three answers: valid (exit 0: intact, and the
// signer chains to a given CA); intact but the signer not checked (exit 2: no --ca was given — never "valid");
// invalid or modified (exit 1, with or without --ca). Exit 2 also for an unreadable file or bad arguments; the
// plant verdict is printed, never an exit code.
import { basename, resolve } from "node:path";
import {
  judgedAtWords,
  timeStampWords,
  validationDataWords,
} from "../../../shared/verify-words";
import { TOOL_VERSION } from "../../engine/about";
import { UserError } from "../../engine/errors";
import { PLANT_VERDICT_STYLES } from "../../engine/report/verdict-styles";
import {
  MAX_CERTIFICATE_BYTES,
  UnreadableDocumentError,
  verifyCertificate,
  type VerifyResult,
  type VerifyStatus,
} from "../../engine/signing/verify";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { renderTable } from "../table";
import { VERIFY_REPORT_SCHEMA } from "../report-schemas";
import { readCaFiles, readCrlFiles, readInputFile } from "../input-files";

export interface VerifyReport extends VerifyResult {
  schema: typeof VERIFY_REPORT_SCHEMA;
  tool: { name: "cellcert"; version: string };
  file: string;
  /** The CA files the chain was checked against. */
  caFiles: string[];
  /** The CRL files the signer's path was checked against. */
  crlFiles: string[];
}

export interface VerifyCommandOptions {
  ca: string[];
  crl?: string[];
  json?: boolean;
}

/** DESIGN §2: a modified document is always 1; an intact one whose signer was not judged is 2. */
export const VERIFY_EXIT_CODES: Record<VerifyStatus, ExitCode> = {
  valid: ExitCode.ok,
  invalid: ExitCode.failed,
  "signer-not-checked": ExitCode.unjudged,
};

export async function verifyCommand(
  file: string,
  options: VerifyCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const path = resolve(io.cwd, file);
  let result: VerifyResult;
  try {
    const caPems = await readCaFiles(
      options.ca,
      io.cwd,
      "the commissioning CA's certificate",
    );
    const crlPems = await readCrlFiles(options.crl ?? [], io.cwd);
    const bytes = await readInputFile({
      label: "The certificate",
      path,
      limitBytes: MAX_CERTIFICATE_BYTES,
      hint: `give the path of the certificate PDF (at most ${MAX_CERTIFICATE_BYTES / 1024 / 1024} MiB)`,
    });
    result = await verifyCertificate(bytes, {
      caPems,
      crlPems,
      fileName: basename(path),
    });
  } catch (error) {
    if (
      error instanceof UserError ||
      error instanceof UnreadableDocumentError
    ) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }
  const report: VerifyReport = {
    schema: VERIFY_REPORT_SCHEMA,
    tool: { name: "cellcert", version: TOOL_VERSION },
    file: path,
    caFiles: options.ca.map((ca) => resolve(io.cwd, ca)),
    crlFiles: (options.crl ?? []).map((crl) => resolve(io.cwd, crl)),
    ...result,
  };
  io.stdout(
    options.json === true
      ? JSON.stringify(report, null, 2)
      : renderVerifyReport(report),
  );
  return VERIFY_EXIT_CODES[result.status];
}

const OUTCOME_WORD: Record<VerifyResult["checks"][number]["outcome"], string> =
  {
    pass: "✔ PASS",
    fail: "✖ FAIL",
    skipped: "– SKIPPED",
  };

/** The first line: one of the three answers, in words that cannot be mistaken for another. */
function headline(report: VerifyReport): string[] {
  const name = basename(report.file);
  switch (report.status) {
    case "valid":
      return [`${name}: VALID — signed, and unchanged since signing.`];
    case "signer-not-checked":
      return [
        `${name}: INTACT, SIGNER NOT CHECKED — unchanged since signing, but who signed it was NOT checked, so it is not called valid.`,
        `Signed by ${report.signer?.subject ?? "—"}, SHA-256 ${report.signer?.fingerprintSha256 ?? "—"}.`,
        `To check the signer, give the commissioning CA's certificate: cellcert verify ${name} --ca COMMISSIONING-CA.pem`,
      ];
    case "invalid":
      return [
        `${name}: INVALID — ${report.checks.find((c) => c.outcome === "fail")?.message ?? "a check failed."}`,
      ];
  }
}

const VERDICT_CAVEAT: Record<VerifyStatus, string> = {
  valid: "",
  "signer-not-checked":
    " (as the document states it; who signed it was not checked)",
  invalid: " (as the document states it; the document is not intact)",
};

export function renderVerifyReport(report: VerifyReport): string {
  const lines = headline(report);
  if (report.practice === true)
    lines.push(
      "PRACTICE certificate: made with the practice plant; it is not a commissioning certificate.",
    );
  const verdict =
    report.plantVerdict === null
      ? "— (not stated)"
      : `${PLANT_VERDICT_STYLES[report.plantVerdict].symbol} ${PLANT_VERDICT_STYLES[report.plantVerdict].word}${VERDICT_CAVEAT[report.status]}`;
  const rows: [string, string][] = [
    ["Certificate", report.certificateNumber ?? "—"],
    ["Plant verdict", verdict],
    [
      "Signed by",
      report.signer === null
        ? "—"
        : `${report.signer.subject}, issued by ${report.signer.issuer}`,
    ],
    ["Signer SHA-256", report.signer?.fingerprintSha256 ?? "—"],
    [
      "Signed at",
      report.signingTime === null
        ? "—"
        : `${report.signingTime.slice(0, 16).replace("T", " ")} UTC (the signer's laptop clock)`,
    ],
    [
      "Trusted",
      report.trusted === null
        ? "NOT checked: give the commissioning CA with --ca"
        : report.trusted
          ? "yes, the signer chains to the given CA"
          : "NO: the signer does not chain to the given CA",
    ],
    ["Evidence SHA-256", report.evidenceSha256 ?? "—"],
    [
      "Time-stamped",
      timeStampWords(report, {
        caGiven: report.caFiles.length > 0,
        addCa: "give its CA with --ca",
      }),
    ],
    ["Signer judged at", judgedAtWords(report) ?? "—"],
    ["Kept for later", validationDataWords(report)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  for (const [label, value] of rows)
    lines.push(`${label.padEnd(width)}  ${value}`);
  lines.push("");
  lines.push(
    renderTable(
      ["RESULT", "CHECK", "WHAT WAS FOUND"],
      report.checks.map((c) => [OUTCOME_WORD[c.outcome], c.id, c.message]),
      { width: 150 },
    ),
  );
  return lines.join("\n");
}
