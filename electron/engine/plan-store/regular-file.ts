// Reading a file a plan names (the plan itself, its identities) only when it is a regular file: a named pipe
// would block the open until someone writes to it (and a libuv thread with it), a device may never end, a
// folder is not a file. Checked before the open (stat), opened without blocking (O_NONBLOCK), and checked again
// on the opened descriptor (fstat, the same file), so nothing can be swapped in between.
import { constants, type Stats } from "node:fs";
import { open, stat } from "node:fs/promises";

/** Why a path is not a regular file, in the words a sentence needs: "a folder", "a named pipe (FIFO)", … */
export class NotRegularFileError extends Error {
  override readonly name = "NotRegularFileError";
  constructor(
    readonly path: string,
    readonly what: string,
  ) {
    super(`${path} is ${what}, not a regular file.`);
  }
}

/** "a folder", "a named pipe (FIFO)", "a device", "a socket"; null for a regular file. */
function notRegular(info: Stats): string | null {
  if (info.isFile()) return null;
  if (info.isDirectory()) return "a folder";
  if (info.isFIFO()) return "a named pipe (FIFO)";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

/** O_NONBLOCK where the system has it (not on Windows, whose named pipes are not files on disk anyway). */
const NON_BLOCKING =
  constants.O_RDONLY |
  (process.platform === "win32" ? 0 : constants.O_NONBLOCK);

/**
 * The bytes of `path`, refused with NotRegularFileError when it is not a regular file, or with `tooLarge(size)`
 * (the caller's error) when it is larger than `limitBytes`. Other failures (ENOENT, EACCES) are thrown as Node
 * gives them, for the caller's sentence.
 */
export async function readRegularFile(
  path: string,
  limitBytes: number,
  tooLarge: (size: number) => Error,
): Promise<Buffer> {
  const before = await stat(path);
  const what = notRegular(before);
  if (what !== null) throw new NotRegularFileError(path, what);
  if (before.size > limitBytes) throw tooLarge(before.size);
  const handle = await open(path, NON_BLOCKING);
  try {
    const info = await handle.stat();
    const now = notRegular(info);
    if (now !== null) throw new NotRegularFileError(path, now);
    if (info.ino !== before.ino || info.dev !== before.dev)
      throw new NotRegularFileError(
        path,
        "a file that changed while it was opened",
      );
    if (info.size > limitBytes) throw tooLarge(info.size);
    // Read at most one byte past the limit: a file that grows while it is read stays bounded.
    const buffer = Buffer.alloc(Math.min(info.size, limitBytes) + 1);
    let length = 0;
    for (;;) {
      const { bytesRead } = await handle.read(
        buffer,
        length,
        buffer.length - length,
        null,
      );
      if (bytesRead === 0) break;
      length += bytesRead;
      if (length === buffer.length) {
        if (length > limitBytes) throw tooLarge(length);
        throw new NotRegularFileError(
          path,
          "a file that changed while it was read",
        );
      }
    }
    return buffer.subarray(0, length);
  } finally {
    await handle.close();
  }
}
