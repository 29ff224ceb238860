// The re-audit plan's own files: the plan written beside copies of the certificate it was made from and of that
// certificate's signed evidence (certificates/, DESIGN §11), so the overview and the next certificate can show what
// changed without asking for the PDF again; and that evidence read back, held to the SHA-256 it was signed with.
import { mkdir, stat } from "node:fs/promises";
import { basename, dirname } from "node:path";
import type { Plan } from "../../../shared/model/plan";
import { serializePlan } from "../../../shared/model/serialize";
import { errorCode, UserError } from "../errors";
import { writeFileExclusive } from "../plan-store/atomic-write";
import { writePlanFile } from "../plan-store/plan-file";
import {
  addPlanFile,
  CERTIFICATE_FOLDER,
  readPlanFolderFile,
} from "../plan-store/plan-folder";
import {
  readCertificateEvidence,
  type CertificateEvidence,
} from "./evidence-adapters";
import { sha256Hex, type CheckedCertificate } from "./open-certificate";
import { reauditPlan, type ReauditPlan } from "./plan-from";

/** A certificate's evidence is at most one 16 MiB stream (the verifier's limit). */
const MAX_EVIDENCE_BYTES = 16 * 1024 * 1024;

/**
 * Writes the re-audit plan to `planPath`, its folder made when missing, with the copies in certificates/ (names
 * already taken get a number). `exclusive`: refuse when the plan file exists (the CLI's --out); otherwise it is
 * written there (a workspace folder just claimed, or the desktop's save dialog, which asked).
 */
export async function writeReauditPlan(
  planPath: string,
  checked: CheckedCertificate,
  options: { exclusive: boolean },
): Promise<ReauditPlan> {
  await mkdir(dirname(planPath), { recursive: true });
  const taken = new UserError(
    "conflict",
    `${basename(planPath)} already exists: Cellcert never writes over a plan; give another --out.`,
  );
  if (options.exclusive && (await exists(planPath))) throw taken;
  const stem = `previous-${checked.evidence.number.replace(/[^A-Za-z0-9._-]/g, "-")}`;
  const pdfFile = await addPlanFile(
    planPath,
    CERTIFICATE_FOLDER,
    `${stem}.pdf`,
    checked.pdf,
  );
  const evidenceFile = await addPlanFile(
    planPath,
    CERTIFICATE_FOLDER,
    `${stem}-evidence.json`,
    checked.evidenceJson,
  );
  const made = reauditPlan(checked, { pdfFile, evidenceFile });
  if (!options.exclusive) await writePlanFile(planPath, made.plan);
  else
    try {
      await writeFileExclusive(planPath, serializePlan(made.plan));
    } catch (error) {
      if (errorCode(error) === "EEXIST") throw taken;
      throw error;
    }
  return made;
}

/**
 * The evidence of the certificate a plan was made from, from the copy beside the plan, refused unless it hashes to
 * the SHA-256 recorded when the plan was made (the signed one). A UserError with a sentence otherwise.
 */
export async function readPreviousEvidence(
  plan: Plan,
  planPath: string,
): Promise<CertificateEvidence> {
  const previous = plan.previousCertificate;
  if (previous === undefined)
    throw new UserError(
      "not-found",
      "This plan was not started from a certificate.",
    );
  if (previous.evidenceFile === undefined)
    throw new UserError(
      "not-found",
      `The plan keeps no copy of the evidence of certificate ${previous.number}: start the re-audit from the certificate again to see what changed.`,
    );
  const bytes = await readPlanFolderFile(planPath, previous.evidenceFile, {
    maxBytes: MAX_EVIDENCE_BYTES,
    what: "evidence file",
    kind: "certificate's evidence",
  });
  if (sha256Hex(bytes) !== previous.evidenceSha256)
    throw new UserError(
      "invalid-input",
      `${previous.evidenceFile} is not the signed evidence of certificate ${previous.number} (its SHA-256 differs from the one recorded when the plan was made): it was changed, so nothing is compared with it.`,
    );
  return readCertificateEvidence(bytes, `certificate ${previous.number}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === "ENOENT") return false;
    throw error;
  }
}
