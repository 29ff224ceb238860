// `cellcert certify --plan F --identity P12 --passphrase-env V --out FILE.pdf [--tsa URL]`: the signed
// commissioning certificate from the plan's latest runs (DESIGN §8, §10), time-stamped by the plant's TSA when
// --tsa or the plan's policy.timestampAuthority names one (a TSA that fails: nothing is written, exit 2). The
// PDF is written crash-safely and the issued certificate is recorded in the plan. The passphrase comes from the
// environment, never the command line.
import { stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import {
  timeStampAuthorityUrlProblem,
  type Plan,
} from "../../../shared/model/plan";
import { runsMeasuring } from "../../../shared/model/endpoint-removal";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { UserError } from "../../engine/errors";
import { openEngineerIdentity } from "../../engine/identity/engineer";
import { writeFileAtomic } from "../../engine/plan-store/atomic-write";
import { readPlanFile, writePlanFile } from "../../engine/plan-store/plan-file";
import {
  issueCertificate,
  timeStampAuthorityOf,
} from "../../engine/report/issue";
import { authorityName } from "../../engine/signing/timestamp-authority";
import { PLANT_VERDICT_STYLES } from "../../engine/report/verdict-styles";
import { ExitCode } from "../exit-codes";
import type { CliIo } from "../io";
import { MAX_PKCS12_BYTES, readInputFile } from "../input-files";
import { outOfDateLines, outOfDateOf, retiredLines } from "../run-summary";

export interface CertifyOptions {
  plan: string;
  identity: string;
  passphraseEnv: string;
  out: string;
  /** The plant's RFC 3161 time-stamping authority, http://…; the plan's policy.timestampAuthority otherwise. */
  tsa?: string;
}

export async function certifyCommand(
  options: CertifyOptions,
  io: CliIo,
  now: () => Date = () => new Date(),
): Promise<ExitCode> {
  try {
    return await certify(options, io, now);
  } catch (error) {
    if (error instanceof UserError) {
      io.stderr(error.message);
      return ExitCode.unjudged;
    }
    throw error;
  }
}

async function certify(
  options: CertifyOptions,
  io: CliIo,
  now: () => Date,
): Promise<ExitCode> {
  const variable = options.passphraseEnv;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable))
    throw new UserError(
      "invalid-input",
      `--passphrase-env takes the NAME of an environment variable (like CELLCERT_P12_PASSPHRASE), not "${variable}": the passphrase itself never goes on the command line.`,
    );
  const identityName = basename(options.identity);
  const passphrase = io.env[variable];
  if (passphrase === undefined)
    throw new UserError(
      "invalid-input",
      `The environment variable ${variable} is not set: set it to the passphrase of ${identityName}.`,
    );

  if (options.tsa !== undefined) {
    const problem = timeStampAuthorityUrlProblem(options.tsa);
    if (problem !== null)
      throw new UserError(
        "invalid-input",
        `--tsa ${options.tsa} cannot name a time-stamping authority: ${problem}.`,
      );
  }
  const planPath = resolve(io.cwd, options.plan);
  const outPath = resolve(io.cwd, options.out);
  if (outPath === planPath)
    throw new UserError(
      "invalid-input",
      "--out names the plan itself: give the PDF its own file name.",
    );
  const before = await fileStamp(planPath);
  const { plan } = await readPlanFile(planPath);
  const identityBytes = await readInputFile({
    label: `--identity ${options.identity}`,
    path: resolve(io.cwd, options.identity),
    limitBytes: MAX_PKCS12_BYTES,
    hint: "give the path of the engineer's .p12 file",
  });
  const signingTime = now();
  const identity = await openEngineerIdentity(identityBytes, passphrase, {
    fileName: identityName,
    now: signingTime,
  });
  for (const warning of identity.warnings) io.stderr(`Note: ${warning}`);

  const timeStampAuthority = timeStampAuthorityOf(plan, {
    ...(options.tsa !== undefined && { given: options.tsa }),
  });
  if (timeStampAuthority !== null)
    io.stdout(`Asking ${authorityName(timeStampAuthority)} for a time-stamp…`);
  // A TSA that fails throws here, before anything is written: no file at --out.
  const issued = await issueCertificate(plan, identity, {
    now: signingTime,
    timeStampAuthority,
    planPath,
  });
  try {
    await writeFileAtomic(outPath, issued.pdf);
  } catch (error) {
    throw new UserError(
      "unavailable",
      `The certificate could not be written to ${outPath}: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error },
    );
  }

  // Record it in the plan, unless someone changed the plan while the certificate was being made.
  let recorded = false;
  if (sameStamp(before, await fileStamp(planPath))) {
    const updated: Plan = {
      ...plan,
      certificates: [...plan.certificates, issued.record],
    };
    await writePlanFile(planPath, updated);
    recorded = true;
  }

  const style = PLANT_VERDICT_STYLES[issued.plantVerdict];
  const lines = [
    `${issued.practice ? "PRACTICE certificate" : "Signed commissioning certificate"} ${issued.number} written to ${outPath}`,
    `Plant verdict:    ${style.symbol} ${style.word}`,
    `Signed by:        ${identity.info.subject}`,
    `Signer SHA-256:   ${identity.info.fingerprintSha256}`,
    `Signed at:        ${signingTime.toISOString().slice(0, 16).replace("T", " ")} UTC (this laptop's clock)`,
    ...(issued.timeStamp === null
      ? []
      : [
          `Time-stamped:     ${issued.timeStamp.genTime.toISOString().slice(0, 19).replace("T", " ")} UTC by ${authorityName(issued.timeStamp.authority)} (${issued.timeStamp.tsaName}; policy ${issued.timeStamp.policy})`,
        ]),
    `Evidence SHA-256: ${issued.evidenceSha256}`,
    `PDF SHA-256:      ${issued.pdfSha256}`,
  ];
  if (recorded)
    lines.push(
      `Recorded in ${basename(planPath)} (${plan.certificates.length + 1} certificate${plan.certificates.length === 0 ? "" : "s"} issued from this plan).`,
    );
  else
    io.stderr(
      `Not recorded in ${basename(planPath)}: the plan changed while the certificate was being made. The PDF is valid; run certify again to record a certificate of the current plan.`,
    );
  if (issued.practice)
    lines.push(
      "PRACTICE: made with the practice plant; this is not a commissioning certificate.",
    );
  const assessment = assessPlan(plan, { now: signingTime });
  const outOfDate = outOfDateOf(assessment);
  if (outOfDate.length > 0)
    lines.push(
      `${outOfDate.length} result${outOfDate.length === 1 ? " is" : "s are"} out of date (the endpoint changed after the run that measured it); the certificate counts ${outOfDate.length === 1 ? "it" : "them"} as not tested:`,
      ...outOfDateLines(outOfDate),
    );
  const retired = plan.endpoints.filter((e) => e.retired === true);
  if (retired.length > 0)
    lines.push(
      ...retiredLines(
        plan,
        retired.map((e) => ({
          endpointId: e.id,
          name: e.name,
          runs: runsMeasuring(plan, e.id),
        })),
      ),
    );
  io.stdout(lines.join("\n"));
  const failed = assessment.counts.fail;
  if (failed > 0) {
    io.stdout(
      `${failed} check${failed === 1 ? "" : "s"} failed: the certificate says so (exit code 1).`,
    );
    return ExitCode.failed;
  }
  return ExitCode.ok;
}

interface FileStamp {
  size: number;
  mtimeMs: number;
}

async function fileStamp(path: string): Promise<FileStamp | null> {
  try {
    const info = await stat(path);
    return { size: info.size, mtimeMs: info.mtimeMs };
  } catch {
    return null;
  }
}

function sameStamp(a: FileStamp | null, b: FileStamp | null): boolean {
  return (
    a !== null && b !== null && a.size === b.size && a.mtimeMs === b.mtimeMs
  );
}
