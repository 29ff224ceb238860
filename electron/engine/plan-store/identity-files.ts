// A plan's identity files (PKCS#12), read from inside the plan's folder only and opened with the passphrase
// from the vault. The one way the engine reaches them, so a plan can never point it at another file.
import { realpath } from "node:fs/promises";
import { basename, dirname, resolve, sep } from "node:path";
import type { Identity } from "../../../shared/model/plan";
import { errorCode, UserError } from "../errors";
import { readPkcs12, type Pkcs12Identity } from "../identity";
import type { SecretVault } from "../secrets/vault";
import { NotRegularFileError, readRegularFile } from "./regular-file";

/** A PKCS#12 file is a few kilobytes; anything larger is not one. */
export const MAX_IDENTITY_BYTES = 1024 * 1024;

/**
 * The identity file's bytes, refused when it lies outside the plan's folder, is not a regular file (a named pipe
 * is never opened, so a run cannot hang on one), or is too large.
 */
export async function readIdentityFile(
  planPath: string,
  file: string,
): Promise<Buffer> {
  const folder = resolve(dirname(planPath));
  const path = resolve(folder, file);
  if (!path.startsWith(folder + sep)) {
    throw new UserError(
      "forbidden",
      `The identity file ${basename(file)} must lie in the plan's folder.`,
    );
  }
  try {
    // Through links too: the file itself must lie in the plan's folder.
    const [realFolder, realPath] = await Promise.all([
      realpath(folder),
      realpath(path),
    ]);
    if (!realPath.startsWith(realFolder + sep)) {
      throw new UserError(
        "forbidden",
        `The identity file ${basename(file)} must lie in the plan's folder.`,
      );
    }
    return await readRegularFile(
      realPath,
      MAX_IDENTITY_BYTES,
      () =>
        new UserError(
          "invalid-input",
          `The identity file ${file} is not a PKCS#12 file (too large).`,
        ),
    );
  } catch (error) {
    if (error instanceof UserError) throw error;
    if (error instanceof NotRegularFileError)
      throw new UserError(
        "invalid-input",
        `The identity file ${file} is ${error.what}, not a regular file: the plan must name the .p12 file itself.`,
      );
    const code = errorCode(error) || undefined;
    throw new UserError(
      code === "ENOENT" ? "not-found" : "unavailable",
      code === "ENOENT"
        ? `The identity file ${file} is missing beside the plan.`
        : `The identity file ${file} cannot be read (${code ?? "error"}).`,
    );
  }
}

/** The plan's identity opened, or the sentence that says why it cannot be. */
export async function openPlanIdentity(
  identity: Identity,
  planPath: string,
  vault: SecretVault,
): Promise<{ material: Pkcs12Identity } | { problem: string }> {
  try {
    const passphrase = await vault.resolve(
      {
        kind: "identity",
        id: identity.id,
        label: `the ${identity.role} identity "${identity.name}"`,
      },
      identity.passphrase,
    );
    const bytes = await readIdentityFile(planPath, identity.file);
    return {
      material: readPkcs12(bytes, passphrase, {
        fileName: basename(identity.file),
      }),
    };
  } catch (error) {
    if (error instanceof UserError) return { problem: error.message };
    throw error;
  }
}
