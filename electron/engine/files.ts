// Files in and out, the one place desktop and browser mode differ for documents: the desktop app opens and
// saves through main's own dialogs (paths never come from the renderer); browser mode takes uploaded bytes and
// hands exports back for the page to download.
import type { FileSource } from "../../shared/contract/documents";
import { UserError } from "./errors";

export type FilePurpose =
  "trust anchor" | "revocation list" | "identity" | "certificate";

export interface ChosenFile {
  fileName: string;
  bytes: Uint8Array;
}

export type Delivery =
  { savedTo: string } | { download: { fileName: string; base64: string } };

export interface FilePlatform {
  /** Desktop: main's open dialog; null when cancelled. */
  chooseFile(purpose: FilePurpose): Promise<ChosenFile | null>;
  /** Desktop: main's save dialog, written there (null when cancelled); browser mode: handed back to download. */
  deliver(suggestedName: string, bytes: Uint8Array): Promise<Delivery | null>;
  /** Desktop: shows the file in its folder. */
  reveal(path: string): Promise<void>;
}

/** Browser mode and the tests: uploads in, downloads out. */
export const browserFiles: FilePlatform = {
  chooseFile: () =>
    Promise.reject(
      new UserError(
        "invalid-input",
        "In browser mode, choose or drop the file in the page: it is uploaded.",
      ),
    ),
  deliver: (suggestedName, bytes) =>
    Promise.resolve({
      download: {
        fileName: suggestedName,
        base64: Buffer.from(bytes).toString("base64"),
      },
    }),
  reveal: () =>
    Promise.reject(
      new UserError(
        "invalid-input",
        "Browser mode downloads exports; your browser shows where.",
      ),
    ),
};

/** The bytes a source names, or null when the user cancelled the dialog. */
export async function readSource(
  source: FileSource,
  files: FilePlatform,
  purpose: FilePurpose,
): Promise<ChosenFile | null> {
  if (source.kind === "dialog") return files.chooseFile(purpose);
  return {
    fileName: source.fileName,
    bytes: Buffer.from(source.base64, "base64"),
  };
}
