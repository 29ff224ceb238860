// A plan's own folder (DESIGN §11): the plan file, identities/ with its PKCS#12 files and the CA certificates made
// with them, certificates/ with the signed certificates and each one's signer CA. Files are reached only inside
// the plan's folder, and a plan moved or saved elsewhere takes its files along.
import { copyFile, mkdir, readFile, realpath, rm } from "node:fs/promises";
import {
  basename,
  dirname,
  extname,
  join,
  posix,
  resolve,
  sep,
} from "node:path";
import type { Plan } from "../../../shared/model/plan";
import { errorCode, UserError } from "../errors";
import { NotRegularFileError, readRegularFile } from "./regular-file";
import {
  MAX_NUMBERED_NAMES,
  numberedName,
  writeFileExclusive,
  writeNewFileAtomic,
} from "./atomic-write";

/** The plan's file inside its own folder, in a workspace. */
export const PLAN_FILE_NAME = "plan.cellcert.json";
export const IDENTITY_FOLDER = "identities";
export const CERTIFICATE_FOLDER = "certificates";

/** Where a commissioning CA made with an identity is kept: beside its PKCS#12 file. */
export function commissioningCaFile(identityFile: string): string {
  return `${identityFile.slice(0, -extname(identityFile).length)}-commissioning-ca.pem`;
}

/**
 * A file of the plan's folder by its path relative to the plan, refused when it lies outside the folder (also
 * through a link), is not a regular file (a named pipe is never opened, so a run cannot hang on one), or is larger
 * than `maxBytes`. `what` names it in the sentences ("identity file"), `kind` what it must be ("PKCS#12 file").
 */
export async function readPlanFolderFile(
  planPath: string,
  file: string,
  {
    maxBytes,
    what,
    kind = what,
  }: { maxBytes: number; what: string; kind?: string },
): Promise<Buffer> {
  const folder = resolve(dirname(planPath));
  const path = resolve(folder, file);
  const outside = new UserError(
    "forbidden",
    `The ${what} ${basename(file)} must lie in the plan's folder.`,
  );
  if (!path.startsWith(folder + sep)) throw outside;
  try {
    const [realFolder, realPath] = await Promise.all([
      realpath(folder),
      realpath(path),
    ]);
    if (!realPath.startsWith(realFolder + sep)) throw outside;
    return await readRegularFile(
      realPath,
      maxBytes,
      () =>
        new UserError(
          "invalid-input",
          `${basename(path)} is not a ${kind} (too large).`,
        ),
    );
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (error instanceof NotRegularFileError)
      throw new UserError(
        "invalid-input",
        `The ${what} ${file} is ${error.what}, not a regular file: the plan must name the ${kind} itself.`,
      );
    const code = errorCode(error) || undefined;
    throw new UserError(
      code === "ENOENT" ? "not-found" : "unavailable",
      code === "ENOENT"
        ? `The ${what} ${file} is missing beside the plan.`
        : `The ${what} ${file} cannot be read (${code ?? "error"}).`,
    );
  }
}

/** Writes a new file into a folder of the plan's (identities/, certificates/), never over one: see writeNewFileAtomic. */
export async function addPlanFile(
  planPath: string,
  folder: string,
  fileName: string,
  data: string | Uint8Array,
): Promise<string> {
  const target = join(dirname(planPath), folder);
  await mkdir(target, { recursive: true });
  const extension = extname(fileName);
  const name = await writeNewFileAtomic(
    target,
    fileName.slice(0, fileName.length - extension.length),
    extension,
    data,
  );
  return posix.join(folder, name);
}

/**
 * An identity's PKCS#12 file, and the commissioning CA made with it, in identities/ under names not yet taken:
 * `<id>.p12` (and `<id>-commissioning-ca.pem`), else `<id>-2.p12`… Returns the identity file relative to the plan.
 */
export async function addIdentityFiles(
  planPath: string,
  id: string,
  p12: Uint8Array,
  caPem: string | null,
): Promise<string> {
  const folder = join(dirname(planPath), IDENTITY_FOLDER);
  await mkdir(folder, { recursive: true });
  for (let n = 1; n <= MAX_NUMBERED_NAMES; n++) {
    const file = posix.join(IDENTITY_FOLDER, numberedName(id, ".p12", n));
    const caFile = commissioningCaFile(file);
    try {
      await writeFileExclusive(join(dirname(planPath), file), p12);
    } catch (error) {
      if (errorCode(error) === "EEXIST") continue;
      throw error;
    }
    if (caPem === null) return file;
    try {
      await writeFileExclusive(join(dirname(planPath), caFile), caPem);
      return file;
    } catch (error) {
      await rm(join(dirname(planPath), file), { force: true });
      if (errorCode(error) !== "EEXIST") throw error;
    }
  }
  throw new UserError(
    "conflict",
    `${folder} already holds ${MAX_NUMBERED_NAMES} identities named ${id}; choose another name.`,
  );
}

/** Every file a plan names, relative to its folder: identity files (with their commissioning CAs) and certificates. */
export function filesOfPlan(plan: Plan): string[] {
  const files = plan.identities.flatMap((identity) => [
    identity.file,
    commissioningCaFile(identity.file),
  ]);
  for (const certificate of plan.certificates) {
    if (certificate.pdfFile !== undefined) files.push(certificate.pdfFile);
    if (certificate.signerCaFile !== undefined)
      files.push(certificate.signerCaFile);
  }
  // The earlier certificate a re-audit plan was made from, and its evidence (issue 20).
  const previous = plan.previousCertificate;
  if (previous?.pdfFile !== undefined) files.push(previous.pdfFile);
  if (previous?.evidenceFile !== undefined) files.push(previous.evidenceFile);
  return [...new Set(files)];
}

/**
 * Takes the plan's files along when it is written to another folder (Save as, a workspace migration): each one
 * that exists is copied to the same place in the new folder; where that name is taken by other bytes it gets a
 * number and the plan's reference is rewritten. Returns the plan as it must be written there.
 */
export async function copyPlanFiles(
  fromPlanPath: string,
  toPlanPath: string,
  plan: Plan,
): Promise<Plan> {
  const from = dirname(resolve(fromPlanPath));
  const to = dirname(resolve(toPlanPath));
  if (from === to) return plan;
  const renamed = new Map<string, string>();
  for (const file of filesOfPlan(plan)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(from, file));
    } catch (error) {
      if (errorCode(error) === "ENOENT") continue; // named but never made (a CA only some identities have)
      throw error;
    }
    const target = join(to, file);
    let existing: Buffer | null = null;
    try {
      existing = await readFile(target);
    } catch (error) {
      if (errorCode(error) !== "ENOENT") throw error;
    }
    if (existing?.equals(bytes) === true) continue;
    await mkdir(dirname(target), { recursive: true });
    if (existing === null) {
      await copyFile(join(from, file), target);
      continue;
    }
    const folder = posix.dirname(file);
    const name = await addPlanFile(
      toPlanPath,
      folder,
      posix.basename(file),
      bytes,
    );
    renamed.set(file, name);
  }
  if (renamed.size === 0) return plan;
  const moved = (file: string): string => renamed.get(file) ?? file;
  return {
    ...plan,
    identities: plan.identities.map((i) => ({ ...i, file: moved(i.file) })),
    certificates: plan.certificates.map((c) => ({
      ...c,
      ...(c.pdfFile !== undefined && { pdfFile: moved(c.pdfFile) }),
      ...(c.signerCaFile !== undefined && {
        signerCaFile: moved(c.signerCaFile),
      }),
    })),
    ...(plan.previousCertificate !== undefined && {
      previousCertificate: {
        ...plan.previousCertificate,
        ...(plan.previousCertificate.pdfFile !== undefined && {
          pdfFile: moved(plan.previousCertificate.pdfFile),
        }),
        ...(plan.previousCertificate.evidenceFile !== undefined && {
          evidenceFile: moved(plan.previousCertificate.evidenceFile),
        }),
      },
    }),
  };
}
