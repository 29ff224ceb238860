// Crash-safe file writes: a temporary file in the same folder, fsync, rename over the target, fsync the folder.
// At every instant the target holds either the old bytes or the new ones, never a mix and never nothing.
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { copyFile, link, open, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";

/** Windows: antivirus or the indexer can hold a file for a moment; rename then fails with these. */
const TRANSIENT_RENAME_ERRORS = new Set(["EPERM", "EBUSY", "EACCES"]);
const RENAME_ATTEMPTS = 8;

export interface AtomicWriteOptions {
  /** Keep the previous version as `<file>.bak` (itself written crash-safely). */
  backup?: boolean;
  /** For tests: the platform whose rules apply (directory fsync is skipped on Windows). */
  platform?: NodeJS.Platform;
  /** For tests: pause between retries. */
  retryDelayMs?: number;
}

export async function writeFileAtomic(
  file: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const platform = options.platform ?? process.platform;
  const folder = dirname(file);
  if (options.backup === true) await backupExisting(file, options);
  const temporary = await writeTemporary(file, data);
  try {
    await renameWithRetry(temporary, file, options.retryDelayMs ?? 50);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncFolder(folder, platform);
}

/** The bytes in a new temporary file beside `file`, on disk (fsynced); its path. */
async function writeTemporary(
  file: string,
  data: string | Uint8Array,
): Promise<string> {
  const temporary = temporaryName(file);
  try {
    const handle = await open(
      temporary,
      constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY,
      0o644,
    );
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return temporary;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Copies the current file to `<file>.bak` through its own temporary file, so the backup is never torn either. */
async function backupExisting(
  file: string,
  options: AtomicWriteOptions,
): Promise<void> {
  const backup = `${file}.bak`;
  const temporary = temporaryName(backup);
  try {
    await copyFile(file, temporary);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return; // nothing to keep yet
    throw error;
  }
  try {
    const handle = await open(temporary, "r+");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameWithRetry(temporary, backup, options.retryDelayMs ?? 50);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/**
 * Writes a file that must not exist yet, crash-safely: the bytes go to a temporary file that is then hard-linked
 * under the name, which fails with EEXIST when the name is taken (file systems without hard links get an
 * exclusive copy). Never replaces a file.
 */
export async function writeFileExclusive(
  file: string,
  data: string | Uint8Array,
  options: Pick<AtomicWriteOptions, "platform"> = {},
): Promise<void> {
  const temporary = await writeTemporary(file, data);
  try {
    await claim(temporary, file);
  } finally {
    await rm(temporary, { force: true });
  }
  await syncFolder(dirname(file), options.platform ?? process.platform);
}

/**
 * Writes a new file that never replaces one already there (DESIGN §11: "a name already taken is refused or given a
 * number, never overwritten"): `<stem><extension>` if free, else `<stem>-2<extension>`, `-3`… Returns the name used.
 */
export async function writeNewFileAtomic(
  folder: string,
  stem: string,
  extension: string,
  data: string | Uint8Array,
): Promise<string> {
  for (let n = 1; n <= MAX_NUMBERED_NAMES; n++) {
    const name = numberedName(stem, extension, n);
    try {
      await writeFileExclusive(join(folder, name), data);
      return name;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  throw Object.assign(
    new Error(
      `${folder} already holds ${MAX_NUMBERED_NAMES} files named ${stem}${extension}; choose another name.`,
    ),
    { code: "EEXIST" },
  );
}

export const MAX_NUMBERED_NAMES = 999;

/** `stem.ext`, then `stem-2.ext`, `stem-3.ext`… */
export function numberedName(
  stem: string,
  extension: string,
  n: number,
): string {
  return n === 1 ? `${stem}${extension}` : `${stem}-${n}${extension}`;
}

/** Puts the temporary file's bytes under `target`, failing with EEXIST when that name is taken. */
async function claim(temporary: string, target: string): Promise<void> {
  try {
    await link(temporary, target);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== "EPERM" && code !== "ENOTSUP" && code !== "ENOSYS")
      throw error;
    await copyFile(temporary, target, constants.COPYFILE_EXCL);
  }
}

function temporaryName(file: string): string {
  return join(
    dirname(file),
    `.${basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`,
  );
}

export async function renameWithRetry(
  from: string,
  to: string,
  delayMs: number,
  renameFile: (from: string, to: string) => Promise<void> = rename,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await renameFile(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (attempt >= RENAME_ATTEMPTS || !TRANSIENT_RENAME_ERRORS.has(code))
        throw error;
      await new Promise((resolve) => setTimeout(resolve, delayMs * attempt));
    }
  }
}

/** Makes a rename in `folder` durable. Windows cannot open a directory for fsync; some file systems refuse it. */
export async function syncFolder(
  folder: string,
  platform: NodeJS.Platform,
): Promise<void> {
  if (platform === "win32") return;
  let handle;
  try {
    handle = await open(folder, "r");
    await handle.sync();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (
      code !== "EISDIR" &&
      code !== "EINVAL" &&
      code !== "EPERM" &&
      code !== "EBADF"
    )
      throw error;
  } finally {
    await handle?.close();
  }
}
