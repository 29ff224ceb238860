// A V8 code cache for the CLI's own files (out/cli): a command's second and later runs load its JavaScript as
// compiled code instead of compiling it again, about a tenth of `cellcert probe tls`'s whole process on these
// machines (README, Benchmarks). Node 20 has no module compile cache of its own (Node 22's
// module.enableCompileCache), so the CommonJS loader's compile step is wrapped, for the files under `root` only:
// every other file, node_modules included, is compiled by Node as before.
//
// What is kept, and why it is safe to load:
// - One file per source, named by the SHA-256 of the text V8 compiles and of the V8 version and platform: a
//   changed file is never given another's code. V8 itself refuses code from another version or other flags.
// - Each file starts with the SHA-256 of the code after it, checked before V8 sees it: V8 checks only a header, and
//   damaged code can crash it or run other code than the source. A file that fails is compiled and written again.
// - Only from a folder that is the user's own: a directory (not a link) owned by the user, that no one else may
//   write (mode 0700 when Cellcert makes it). Anything else turns the cache off for the run.
// - Written when the process ends, for the files this run compiled (so the code V8 compiled lazily while the
//   command ran is in it), through a new temporary file and a rename: a run that dies half-way, or two runs at
//   once, leave no half file.
// - In the user's own cache folder; CELLCERT_CODE_CACHE names another folder, or "off" for none.
// - Best effort: a folder that cannot be read or written costs the time saved, never the command.
// - A file that calls import() is left to Node: V8 forgets a script's import() handler when it loads the script
//   from cached code (V8 issue 10284). The build writes none (vite.cli.config.ts, dynamicImportInCjs).
import { createHash, randomBytes } from "node:crypto";
import {
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  type Stats,
} from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import vm from "node:vm";

/** The part of a CommonJS module the wrapped compile step uses (Node's Module instance). */
export interface LoadingModule {
  exports: unknown;
}

/** The loader's compile step: what Node's Module.prototype._compile is, and what the cache wraps. */
type Compile = (
  this: LoadingModule,
  content: string,
  filename: string,
) => unknown;

/** Where the cache hooks in: Node's own Module in the CLI, a stand-in in tests. */
export interface ModuleLoader {
  prototype: { _compile: Compile };
  wrap(script: string): string;
}

export interface CodeCacheOptions {
  /** Only files in this folder (the built CLI's) go through the cache. */
  root: string;
  /** The cache's folder. */
  dir: string;
  loader?: ModuleLoader;
  /** When the cache files are written; default: when the process exits. Tests call `flush` themselves. */
  writeAtExit?: boolean;
}

/** What the cache did in this process, for tests and for anyone measuring it. */
export interface CodeCacheStats {
  /** Files loaded from their cached code. */
  loaded: number;
  /** Files compiled because they had no cache file yet. */
  compiled: number;
  /** Files whose cache file was refused (damaged, or from another V8 or other flags), compiled instead. */
  refused: number;
  /** Cache files written. */
  written: number;
}

export interface CodeCache {
  stats: CodeCacheStats;
  /** Writes the cache files of what this process compiled; the exit handler calls it. */
  flush(): void;
  /** Puts the loader's compile step back as it was. */
  uninstall(): void;
}

/** Cache files kept at most; past it, the oldest written go (several builds' worth: a build has about 70 files). */
const MAX_FILES = 256;
/** A temporary file this old was left by a run that died while writing. */
const STALE_TEMPORARY_MS = 10 * 60_000;
const DIGEST_BYTES = 32;

/**
 * The cache's folder from the environment: CELLCERT_CODE_CACHE when set ("off": none; a relative folder is taken
 * from the current one), otherwise the platform's per-user cache folder; null when there is no home to put it in.
 */
export function codeCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: () => string = homedir,
): string | null {
  const chosen = env.CELLCERT_CODE_CACHE?.trim();
  if (chosen === "off") return null;
  if (chosen !== undefined && chosen !== "") return resolve(chosen);
  try {
    if (platform === "win32")
      return join(
        env.LOCALAPPDATA ?? join(home(), "AppData", "Local"),
        "Cellcert",
        "Cache",
        "code",
      );
    if (platform === "darwin")
      return join(home(), "Library", "Caches", "Cellcert", "code");
    const xdg = env.XDG_CACHE_HOME;
    return join(
      xdg !== undefined && xdg.startsWith("/") ? xdg : join(home(), ".cache"),
      "cellcert",
      "code",
    );
  } catch {
    // No home folder (HOME unset and a user the system does not know, as in some containers): no cache.
    return null;
  }
}

/**
 * Whether a folder may hold code this process runs: a directory, not a link, and on POSIX owned by the user and
 * writable by no one else. (On Windows the user's LOCALAPPDATA is private by its ACL, which Node cannot read.)
 */
export function isOwnFolder(
  stats: Pick<Stats, "isDirectory" | "isSymbolicLink" | "uid" | "mode">,
  platform: NodeJS.Platform = process.platform,
  uid: number | undefined = process.getuid?.(),
): boolean {
  if (!stats.isDirectory() || stats.isSymbolicLink()) return false;
  if (platform === "win32" || uid === undefined) return true;
  return stats.uid === uid && (stats.mode & 0o022) === 0;
}

/** Whether `dir` is the user's own folder now (false when it does not exist). */
function ownFolder(dir: string): boolean {
  try {
    return isOwnFolder(lstatSync(dir));
  } catch {
    return false;
  }
}

/**
 * Whether the code may call import(): the word and a parenthesis outside block comments (JSDoc names types by an
 * import of a path, as commander's do). A line comment that says it only costs that file its cache.
 */
export function callsImport(content: string): boolean {
  return /\bimport\s*\(/.test(content.replace(/\/\*[\s\S]*?\*\//g, ""));
}

const sha256 = (data: string | Buffer): Buffer =>
  createHash("sha256").update(data).digest();

/** The cache file's name for one script: its file's name, and a digest of the text and of the V8 compiling it. */
function cacheFileName(filename: string, wrapped: string): string {
  const digest = createHash("sha256")
    .update(`${process.versions.v8} ${process.arch}\0`)
    .update(wrapped)
    .digest("hex")
    .slice(0, 32);
  return `${filename.slice(filename.lastIndexOf(sep) + 1)}-${digest}.v8`;
}

/** The cached code of a file, `null` when it fails its digest, undefined when there is none. */
function readCached(path: string): Buffer | null | undefined {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return undefined;
  }
  const code = bytes.subarray(DIGEST_BYTES);
  return bytes.length > DIGEST_BYTES &&
    sha256(code).equals(bytes.subarray(0, DIGEST_BYTES))
    ? code
    : null;
}

/** A file's leading "#!" line, blanked: inside the loader's wrapper it would not be the script's start. */
const withoutHashbang = (content: string): string =>
  content.startsWith("#!") ? `//${content.slice(2)}` : content;

/**
 * Wraps the loader's compile step so the files under `root` are compiled through the cache. Returns what it did
 * and the means to write and to undo it.
 */
export function installCodeCache(options: CodeCacheOptions): CodeCache {
  const loader = options.loader ?? (Module as unknown as ModuleLoader);
  const root = options.root.endsWith(sep) ? options.root : options.root + sep;
  const stats: CodeCacheStats = {
    loaded: 0,
    compiled: 0,
    refused: 0,
    written: 0,
  };
  /** What this process compiled, to be written: the script and its cache file's path. */
  const compiled: { script: vm.Script; path: string }[] = [];
  const original = loader.prototype._compile;
  /** Whether the folder may be read, decided at the first file (one lstat per run). */
  let readable: boolean | undefined;

  const compile: Compile = function (content, filename) {
    if (!filename.startsWith(root) || callsImport(content))
      return original.call(this, content, filename);
    const wrapped = loader.wrap(withoutHashbang(content));
    const path = join(options.dir, cacheFileName(filename, wrapped));
    readable ??= ownFolder(options.dir);
    const cached = readable ? readCached(path) : undefined;
    const script = new vm.Script(wrapped, {
      filename,
      ...(cached !== undefined && cached !== null && { cachedData: cached }),
    });
    /** Compiled here: to be written when the process ends. */
    const fresh =
      cached === undefined ||
      cached === null ||
      script.cachedDataRejected === true;
    if (cached === undefined) stats.compiled++;
    else if (fresh) stats.refused++;
    else stats.loaded++;
    if (fresh) compiled.push({ script, path });
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: NodeJS.Require,
      module: LoadingModule,
      filename: string,
      dirname: string,
    ) => unknown;
    return wrapper.call(
      this.exports,
      this.exports,
      createRequire(filename),
      this,
      filename,
      dirname(filename),
    );
  };

  const flush = (): void => {
    const pending = compiled.splice(0);
    if (pending.length === 0) return;
    try {
      mkdirSync(options.dir, { recursive: true, mode: 0o700 });
    } catch {
      return; // A folder that cannot be made: the next run compiles again, as it would without a cache.
    }
    if (!ownFolder(options.dir)) return;
    for (const { script, path } of pending) {
      const temporary = `${path}.${randomBytes(6).toString("hex")}.tmp`;
      try {
        const code = script.createCachedData();
        writeFileSync(temporary, Buffer.concat([sha256(code), code]), {
          mode: 0o600,
          flag: "wx",
        });
        renameSync(temporary, path);
        stats.written++;
      } catch {
        rmSync(temporary, { force: true });
      }
    }
    try {
      prune(options.dir);
    } catch {
      // Pruning is housekeeping: the next run that writes tries again.
    }
  };

  loader.prototype._compile = compile;
  if (options.writeAtExit ?? true) process.once("exit", flush);
  return {
    stats,
    flush,
    uninstall: () => {
      if (loader.prototype._compile === compile)
        loader.prototype._compile = original;
      process.removeListener("exit", flush);
    },
  };
}

/**
 * Past MAX_FILES, the files written longest ago go (one still in use is written again at its next run), and so do
 * temporary files a run that died left behind.
 */
function prune(dir: string): void {
  const names = readdirSync(dir);
  const now = Date.now();
  for (const name of names.filter((n) => n.endsWith(".tmp")))
    if (now - statSync(join(dir, name)).mtimeMs > STALE_TEMPORARY_MS)
      rmSync(join(dir, name), { force: true });
  const files = names.filter((name) => name.endsWith(".v8"));
  if (files.length <= MAX_FILES) return;
  const byAge = files
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime);
  for (const { name } of byAge.slice(0, files.length - MAX_FILES))
    rmSync(join(dir, name), { force: true });
}
