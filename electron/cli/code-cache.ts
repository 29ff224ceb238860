// A V8 code cache for the CLI's own files (out/cli): a command's second and later runs load its JavaScript as
// compiled code instead of compiling it again, about a sixth of `cellcert probe tls`'s whole process on these
// machines (README, Benchmarks). Node 20 has no module compile cache of its own (Node 22's
// module.enableCompileCache), so the CommonJS loader's compile step is wrapped, for the files under `root` only:
// every other file, node_modules included, is compiled by Node as before.
//
// What is kept, and why it is safe to load:
// - One file per source, named by the SHA-256 of the source and of the V8 version and platform that compiled it.
//   A changed file is never given another's code; V8 itself rejects code from another version or other flags
//   (then the file is compiled as usual and its cache written again).
// - Written when the process ends, for the files this run compiled (so the code V8 compiled lazily while the
//   command ran is in it), through a temporary file and a rename: a run that dies half-way leaves no half file.
// - In the user's own cache folder (mode 0700), like the user's other programs' caches; CELLCERT_CODE_CACHE
//   names another folder, or "off" for none.
// - Best effort: a folder that cannot be read or written costs the time saved, never the command.
import { createHash } from "node:crypto";
import {
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import Module, { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join, sep } from "node:path";
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
  /** Files whose cache file V8 refused (another V8, other flags, a damaged file), compiled instead. */
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

/** Cache files kept at most; past it, the oldest go (several builds' worth: a build has about forty files). */
const MAX_FILES = 256;

/**
 * The cache's folder from the environment: CELLCERT_CODE_CACHE when set ("off": none), otherwise the platform's
 * per-user cache folder.
 */
export function codeCacheDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string | null {
  const chosen = env.CELLCERT_CODE_CACHE?.trim();
  if (chosen === "off") return null;
  if (chosen !== undefined && chosen !== "") return chosen;
  if (platform === "win32")
    return join(
      env.LOCALAPPDATA ?? join(home, "AppData", "Local"),
      "Cellcert",
      "Cache",
      "code",
    );
  if (platform === "darwin")
    return join(home, "Library", "Caches", "Cellcert", "code");
  const xdg = env.XDG_CACHE_HOME;
  return join(
    xdg !== undefined && xdg.startsWith("/") ? xdg : join(home, ".cache"),
    "cellcert",
    "code",
  );
}

/** The cache file's name for one source: its name, and a digest of the source and the V8 that compiles it. */
function cacheFileName(filename: string, content: string): string {
  const digest = createHash("sha256")
    .update(`${process.versions.v8} ${process.arch}\0`)
    .update(content)
    .digest("hex")
    .slice(0, 32);
  return `${filename.slice(filename.lastIndexOf(sep) + 1)}-${digest}.v8`;
}

function readCached(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
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

  const compile: Compile = function (content, filename) {
    if (!filename.startsWith(root))
      return original.call(this, content, filename);
    const path = join(options.dir, cacheFileName(filename, content));
    const cachedData = readCached(path);
    const script = new vm.Script(loader.wrap(withoutHashbang(content)), {
      filename,
      ...(cachedData !== undefined && { cachedData }),
      importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
    });
    if (cachedData === undefined) stats.compiled++;
    else if (script.cachedDataRejected === true) stats.refused++;
    else stats.loaded++;
    if (cachedData === undefined || script.cachedDataRejected === true)
      compiled.push({ script, path });
    const wrapper = script.runInThisContext() as (
      exports: unknown,
      require: unknown,
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
      for (const { script, path } of pending) {
        const temporary = `${path}.${process.pid}.tmp`;
        writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        renameSync(temporary, path);
        stats.written++;
      }
      prune(options.dir);
    } catch {
      // A folder that cannot be written: the next run compiles again, as it would without a cache.
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

/** Past MAX_FILES, the files written longest ago go: the folder stays a few builds' worth. */
function prune(dir: string): void {
  const files = readdirSync(dir).filter((name) => name.endsWith(".v8"));
  if (files.length <= MAX_FILES) return;
  const byAge = files
    .map((name) => ({ name, mtime: statSync(join(dir, name)).mtimeMs }))
    .sort((a, b) => a.mtime - b.mtime);
  for (const { name } of byAge.slice(0, files.length - MAX_FILES))
    rmSync(join(dir, name), { force: true });
}
