// `cellcert verify FILE.pdf [--ca F]… [--json]`: is this signed certificate intact, who signed it and when,
// and what plant verdict does it state (DESIGN §8). Exit 0 valid, 1 invalid or modified, 2 unreadable file or
// bad arguments; the plant verdict is printed, never an exit code.
import { Option, type Command } from "commander";
import { basename, resolve } from "node:path";
import { TOOL_VERSION } from "../../engine/about";
import { UserError } from "../../engine/errors";
import { PLANT_VERDICT_STYLES } from "../../engine/report/verdict-styles";
import {
  MAX_CERTIFICATE_BYTES,
  UnreadableDocumentError,
  verifyCertificate,
  type VerifyResult,
} from "../../engine/signing/verify";
import type { CommandContext } from "../command-context";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { renderTable } from "../table";
import { readCaFiles, readInputFile } from "../input-files";

export const VERIFY_REPORT_SCHEMA = "cellcert.verify-report/1";

export interface VerifyReport extends VerifyResult {
  schema: typeof VERIFY_REPORT_SCHEMA;
  tool: { name: "cellcert"; version: string };
  file: string;
  /** The CA files the chain was checked against. */
  caFiles: string[];
}

export interface VerifyCommandOptions {
  ca: string[];
  json?: boolean;
}

const collect = (value: string, previous: string[]): string[] => [
  ...previous,
  value,
];

export function registerVerify(
  program: Command,
  context: CommandContext,
): void {
  program
    .command("verify")
    .description(
      "check a signed certificate: signature and integrity; prints signer, time and the plant verdict (exit 0 valid, 1 invalid or modified, 2 unreadable)",
    )
    .argument("<file>", "the certificate PDF")
    .addOption(
      new Option(
        "--ca <file>",
        "a trusted commissioning CA (PEM); repeat for several",
      )
        .argParser(collect)
        .default([] as string[], "none"),
    )
    .option("--json", `print a ${VERIFY_REPORT_SCHEMA} document`)
    .action(async (file: string, options: VerifyCommandOptions) => {
      context.setExitCode(await verifyCommand(file, options, context.io));
    });
}

export async function verifyCommand(
  file: string,
  options: VerifyCommandOptions,
  io: CliIo,
): Promise<ExitCode> {
  const path = resolve(io.cwd, file);
  let result: VerifyResult;
  let caPems: string[];
  try {
    caPems = await readCaFiles(
      options.ca,
      io.cwd,
      "the commissioning CA's certificate",
    );
    const bytes = await readInputFile({
      label: "The certificate",
      path,
      limitBytes: MAX_CERTIFICATE_BYTES,
      hint: `give the path of the certificate PDF (at most ${MAX_CERTIFICATE_BYTES / 1024 / 1024} MiB)`,
    });
    result = verifyCertificate(bytes, { caPems, fileName: basename(path) });
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
    ...result,
  };
  io.stdout(
    options.json === true
      ? JSON.stringify(report, null, 2)
      : renderVerifyReport(report),
  );
  return result.valid ? ExitCode.ok : ExitCode.failed;
}

const OUTCOME_WORD: Record<VerifyResult["checks"][number]["outcome"], string> =
  {
    pass: "✔ PASS",
    fail: "✖ FAIL",
    skipped: "– SKIPPED",
  };

export function renderVerifyReport(report: VerifyReport): string {
  const name = basename(report.file);
  const lines: string[] = [];
  lines.push(
    report.valid
      ? `${name}: VALID — signed, and unchanged since signing.`
      : `${name}: INVALID — ${report.checks.find((c) => c.outcome === "fail")?.message ?? "a check failed."}`,
  );
  if (report.practice === true)
    lines.push(
      "PRACTICE certificate: made with the practice plant; it is not a commissioning certificate.",
    );
  const verdict =
    report.plantVerdict === null
      ? "— (not stated)"
      : `${PLANT_VERDICT_STYLES[report.plantVerdict].symbol} ${PLANT_VERDICT_STYLES[report.plantVerdict].word}${report.valid ? "" : " (as the document states it; the document is not intact)"}`;
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
        ? "not checked: give the commissioning CA with --ca"
        : report.trusted
          ? "yes, the signer chains to the given CA"
          : "NO: the signer does not chain to the given CA",
    ],
    ["Evidence SHA-256", report.evidenceSha256 ?? "—"],
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
