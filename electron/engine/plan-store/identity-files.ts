// A plan's identity files (PKCS#12), read from inside the plan's folder only and opened with the passphrase
// from the vault. The one way the engine reaches them, so a plan can never point it at another file.
import { basename } from "node:path";
import type { Identity, SecretRef } from "../../../shared/model/plan";
import { UserError } from "../errors";
import { readPkcs12, type Pkcs12Identity } from "../identity";
import { readPlanFolderFile } from "./plan-folder";

/** Where a passphrase comes from: the secret vault, seen only by the one method the store calls, so the plan
 * store sits below secrets/ (whose keychain file the store's atomic write saves). */
export interface PassphraseSource {
  resolve(
    owner: { kind: "identity"; id: string; label: string },
    ref: SecretRef,
  ): Promise<string>;
}

/** A PKCS#12 file is a few kilobytes; anything larger is not one. */
export const MAX_IDENTITY_BYTES = 1024 * 1024;

/** The identity file's bytes, refused when it lies outside the plan's folder, is not a file, or is too large. */
export function readIdentityFile(
  planPath: string,
  file: string,
): Promise<Buffer> {
  return readPlanFolderFile(planPath, file, {
    maxBytes: MAX_IDENTITY_BYTES,
    what: "identity file",
    kind: "PKCS#12 file",
  });
}

/** The plan's identity opened, or the sentence that says why it cannot be. */
export async function openPlanIdentity(
  identity: Identity,
  planPath: string,
  vault: PassphraseSource,
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
