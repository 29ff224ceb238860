// Desktop files: main's own open and save dialogs; the renderer never names a path.
import {
  dialog,
  shell,
  type BrowserWindow,
  type OpenDialogOptions,
  type SaveDialogOptions,
} from "electron";
import { basename } from "node:path";
import { UserError } from "../engine/errors";
import type { FilePlatform, FilePurpose } from "../engine/files";
import { writeFileAtomic } from "../engine/plan-store/atomic-write";
import {
  NotRegularFileError,
  readRegularFile,
} from "../engine/plan-store/regular-file";

const MAX_IMPORT_BYTES = 24 * 1024 * 1024;

const FILTERS: Record<FilePurpose, OpenDialogOptions["filters"]> = {
  "trust anchor": [
    {
      name: "Certificates (PEM or DER)",
      extensions: ["pem", "crt", "cer", "der"],
    },
  ],
  "revocation list": [
    {
      name: "Revocation lists (PEM or DER)",
      extensions: ["crl", "pem", "der"],
    },
  ],
  identity: [{ name: "PKCS#12 identities", extensions: ["p12", "pfx"] }],
  certificate: [
    { name: "Commissioning certificates (PDF)", extensions: ["pdf"] },
  ],
};

export function desktopFiles(
  currentWindow: () => BrowserWindow | null,
): FilePlatform {
  const open = async (options: OpenDialogOptions) => {
    const window = currentWindow();
    return window === null
      ? dialog.showOpenDialog(options)
      : dialog.showOpenDialog(window, options);
  };
  const save = async (options: SaveDialogOptions) => {
    const window = currentWindow();
    return window === null
      ? dialog.showSaveDialog(options)
      : dialog.showSaveDialog(window, options);
  };
  return {
    async chooseFile(purpose) {
      const answer = await open({
        title: `Choose the ${purpose}`,
        filters: FILTERS[purpose],
        properties: ["openFile"],
      });
      const path = answer.filePaths[0];
      if (answer.canceled || path === undefined) return null;
      try {
        const bytes = await readRegularFile(
          path,
          MAX_IMPORT_BYTES,
          (size) =>
            new UserError(
              "invalid-input",
              `${basename(path)} is ${(size / 1024 / 1024).toFixed(1)} MiB; a ${purpose} file is far smaller.`,
            ),
        );
        return { fileName: basename(path), bytes };
      } catch (error) {
        if (error instanceof NotRegularFileError)
          throw new UserError(
            "invalid-input",
            `${basename(path)} is ${error.what}, not a ${purpose} file.`,
          );
        throw error;
      }
    },
    async deliver(suggestedName, bytes) {
      const answer = await save({
        title: "Save the signed certificate",
        defaultPath: suggestedName,
        filters: FILTERS.certificate,
      });
      if (answer.canceled || answer.filePath === "") return null;
      await writeFileAtomic(answer.filePath, bytes);
      return { savedTo: answer.filePath };
    },
    reveal(path) {
      shell.showItemInFolder(path);
      return Promise.resolve();
    },
  };
}
