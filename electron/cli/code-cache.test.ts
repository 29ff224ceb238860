// The code cache's compile step, driven through a stand-in for Node's Module (the seam installCodeCache takes), so
// the test process's own loader is never touched: what is loaded from cache, compiled, refused and written, and
// that a stale, damaged, shared or unwritable cache never changes what a module does. V8 keeps what one process compiled in memory,
// so whether it takes or refuses a cache file shows only across processes: cli-startup.test.ts runs the built CLI
// for that (a damaged file, off, a folder that cannot be written).
import Module from "node:module";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  callsImport,
  codeCacheDir,
  installCodeCache,
  isOwnFolder,
  type CodeCache,
  type LoadingModule,
  type ModuleLoader,
} from "./code-cache";

let folder = "";
let root = "";
let dir = "";
/** What the stand-in's own compile step was asked to compile: files the cache left alone. */
let leftToNode: string[] = [];
let installed: CodeCache[] = [];

/** A stand-in for Node's Module: its compile step only records the file (the cache must not call it for root's). */
function standIn(): ModuleLoader {
  return {
    prototype: {
      _compile(this: LoadingModule, _content: string, filename: string) {
        leftToNode.push(filename);
        this.exports = "compiled by Node";
      },
    },
    wrap: (script) => (Module as unknown as ModuleLoader).wrap(script),
  };
}

/** Installs the cache on a fresh stand-in, loads `files` (names under root) through it, writes the cache. */
function load(...files: string[]): { cache: CodeCache; exports: unknown[] } {
  const loader = standIn();
  const cache = installCodeCache({ root, dir, loader, writeAtExit: false });
  installed.push(cache);
  const exports = files.map((name) => {
    const module: LoadingModule = { exports: {} };
    const filename = join(root, name);
    loader.prototype._compile.call(
      module,
      readFileSyncUtf8(filename),
      filename,
    );
    return module.exports;
  });
  cache.flush();
  return { cache, exports };
}

/** The loader hands the compile step the file's text. */
const readFileSyncUtf8 = (path: string): string => readFileSync(path, "utf8");

const cacheFiles = (): string[] => readdirSync(dir).sort();

beforeEach(() => {
  folder = mkdtempSync(join(tmpdir(), "cellcert-code-cache-"));
  root = join(folder, "cli");
  dir = join(folder, "cache");
  mkdirSync(root);
  leftToNode = [];
  installed = [];
});

afterEach(() => {
  for (const cache of installed) cache.uninstall();
  rmSync(folder, { recursive: true, force: true });
});

describe("the code cache", () => {
  it("compiles a file once, writes its code, and loads that code on the next run", () => {
    writeFileSync(
      join(root, "sum.js"),
      "module.exports = [1, 2, 3].reduce((a, b) => a + b, 0);\n",
    );
    const first = load("sum.js");
    expect(first.exports).toEqual([6]);
    expect(first.cache.stats).toEqual({
      loaded: 0,
      compiled: 1,
      refused: 0,
      written: 1,
    });
    expect(cacheFiles()).toEqual([
      expect.stringMatching(/^sum\.js-[0-9a-f]{32}\.v8$/),
    ]);

    const second = load("sum.js");
    expect(second.exports).toEqual([6]);
    expect(second.cache.stats).toEqual({
      loaded: 1,
      compiled: 0,
      refused: 0,
      written: 0,
    });
    expect(leftToNode).toEqual([]);
  });

  it("never gives a changed file the code of the old one, even at the same length", () => {
    writeFileSync(join(root, "answer.js"), "module.exports = 1;\n");
    expect(load("answer.js").exports).toEqual([1]);
    writeFileSync(join(root, "answer.js"), "module.exports = 2;\n");
    const changed = load("answer.js");
    expect(changed.exports).toEqual([2]);
    expect(changed.cache.stats.compiled).toBe(1);
    expect(cacheFiles()).toHaveLength(2);
  });

  it("leaves files outside its folder to Node's own compile step", () => {
    writeFileSync(join(folder, "outside.js"), "module.exports = 0;\n");
    const loader = standIn();
    installed.push(installCodeCache({ root, dir, loader, writeAtExit: false }));
    const module: LoadingModule = { exports: {} };
    loader.prototype._compile.call(
      module,
      "module.exports = 0;\n",
      join(folder, "outside.js"),
    );
    expect([module.exports, leftToNode]).toEqual([
      "compiled by Node",
      [join(folder, "outside.js")],
    ]);
  });

  it("gives a module require and its paths as Node does", () => {
    writeFileSync(join(root, "cell.js"), 'module.exports = "MES";\n');
    writeFileSync(
      join(root, "uses.js"),
      [
        "#!/usr/bin/env node",
        'const cell = require("./cell.js");',
        "module.exports = { cell, file: __filename, dir: __dirname, thisIsExports: this === module.exports };",
      ].join("\n"),
    );
    for (const run of [1, 2])
      expect(load("uses.js").exports, `run ${run}`).toEqual([
        {
          cell: "MES",
          file: join(root, "uses.js"),
          dir: root,
          thisIsExports: true,
        },
      ]);
  });

  it("leaves a file that calls import() to Node: V8 forgets the import() handler of cached code", () => {
    const calls = 'module.exports = () => import("node:path");\n';
    writeFileSync(join(root, "imports.js"), calls);
    const loader = standIn();
    installed.push(installCodeCache({ root, dir, loader, writeAtExit: false }));
    const module: LoadingModule = { exports: {} };
    loader.prototype._compile.call(module, calls, join(root, "imports.js"));
    expect(leftToNode).toEqual([join(root, "imports.js")]);
  });

  it("refuses a cache file whose code does not match its digest, compiles, and writes it again", () => {
    writeFileSync(join(root, "name.js"), 'module.exports = "cell";\n');
    load("name.js");
    const [written = ""] = cacheFiles();
    const bytes = readFileSync(join(dir, written));
    // Eight bytes in the middle of the code changed: V8's own header check would not see it.
    bytes.fill(0x5a, bytes.length >> 1, (bytes.length >> 1) + 8);
    writeFileSync(join(dir, written), bytes);
    const damaged = load("name.js");
    expect(damaged.exports).toEqual(["cell"]);
    expect(damaged.cache.stats).toEqual({
      loaded: 0,
      compiled: 0,
      refused: 1,
      written: 1,
    });
    expect(readFileSync(join(dir, written)).equals(bytes)).toBe(false);
  });

  it("neither reads nor writes a folder others may write", () => {
    writeFileSync(join(root, "sum.js"), "module.exports = 3;\n");
    load("sum.js");
    chmodSync(dir, 0o777);
    const shared = load("sum.js");
    expect(shared.exports).toEqual([3]);
    expect(shared.cache.stats).toEqual({
      loaded: 0,
      compiled: 1,
      refused: 0,
      written: 0,
    });
  });

  it("loads as usual when its folder cannot be written", () => {
    writeFileSync(join(root, "plain.js"), "module.exports = 42;\n");
    writeFileSync(dir, "a file where the folder would be");
    const run = load("plain.js");
    expect(run.exports).toEqual([42]);
    expect(run.cache.stats).toMatchObject({ compiled: 1, written: 0 });
  });

  it("puts the compile step back when uninstalled", () => {
    const loader = standIn();
    const original = loader.prototype._compile;
    const cache = installCodeCache({ root, dir, loader, writeAtExit: false });
    expect(loader.prototype._compile).not.toBe(original);
    cache.uninstall();
    expect(loader.prototype._compile).toBe(original);
  });
});

describe("the code cache's folder", () => {
  const folder = (
    facts: Partial<{ dir: boolean; link: boolean; uid: number; mode: number }>,
  ) => ({
    isDirectory: () => facts.dir ?? true,
    isSymbolicLink: () => facts.link ?? false,
    uid: facts.uid ?? 1000,
    mode: facts.mode ?? 0o40700,
  });

  it("is the user's own only as a directory, not a link, theirs, and writable by no one else", () => {
    expect(isOwnFolder(folder({}), "linux", 1000)).toBe(true);
    expect(isOwnFolder(folder({ mode: 0o40755 }), "linux", 1000)).toBe(true);
    expect(isOwnFolder(folder({ mode: 0o40770 }), "linux", 1000)).toBe(false);
    expect(isOwnFolder(folder({ mode: 0o40702 }), "linux", 1000)).toBe(false);
    expect(isOwnFolder(folder({ uid: 0 }), "linux", 1000)).toBe(false);
    expect(isOwnFolder(folder({ link: true }), "linux", 1000)).toBe(false);
    expect(isOwnFolder(folder({ dir: false }), "linux", 1000)).toBe(false);
    // Windows: Node reads no ACL, so the folder's kind alone decides.
    expect(isOwnFolder(folder({ mode: 0o40777 }), "win32", undefined)).toBe(
      true,
    );
    expect(isOwnFolder(folder({ link: true }), "win32", undefined)).toBe(false);
  });

  it("finds import() calls outside block comments only", () => {
    expect(callsImport('x = import("zod");')).toBe(true);
    expect(callsImport("x = import (name);")).toBe(true);
    expect(
      callsImport('/** @typedef { import("./command.js").Command } C */'),
    ).toBe(false);
    expect(callsImport("const important = imports(1);")).toBe(false);
  });

  it("is the platform's per-user cache folder unless CELLCERT_CODE_CACHE names one or says off", () => {
    expect(codeCacheDir({}, "linux", () => "/home/fe")).toBe(
      "/home/fe/.cache/cellcert/code",
    );
    expect(
      codeCacheDir({ XDG_CACHE_HOME: "/var/fe" }, "linux", () => "/home/fe"),
    ).toBe("/var/fe/cellcert/code");
    // A relative XDG_CACHE_HOME is to be ignored (XDG Base Directory specification).
    expect(
      codeCacheDir({ XDG_CACHE_HOME: "rel" }, "linux", () => "/home/fe"),
    ).toBe("/home/fe/.cache/cellcert/code");
    expect(codeCacheDir({}, "darwin", () => "/Users/fe")).toBe(
      "/Users/fe/Library/Caches/Cellcert/code",
    );
    expect(
      codeCacheDir(
        { LOCALAPPDATA: "D:\\Local" },
        "win32",
        () => "C:\\Users\\fe",
      ),
    ).toMatch(/^D:\\Local[\\/]Cellcert[\\/]Cache[\\/]code$/);
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "/tmp/cc" }, "linux", () => "/h"),
    ).toBe("/tmp/cc");
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "off" }, "linux", () => "/h"),
    ).toBeNull();
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "rel/cc" }, "linux", () => "/h"),
    ).toBe(join(process.cwd(), "rel/cc"));
  });

  it("is none when there is no home folder to put it in", () => {
    const noHome = (): string => {
      throw new Error("uv_os_homedir returned ENOENT");
    };
    expect(codeCacheDir({}, "linux", noHome)).toBeNull();
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "/tmp/cc" }, "linux", noHome),
    ).toBe("/tmp/cc");
  });
});
