// The code cache's compile step, driven through a stand-in for Node's Module (the seam installCodeCache takes), so
// the test process's own loader is never touched: what is loaded from cache, compiled, refused and written, and
// that a stale or unwritable cache never changes what a module does. V8 keeps what one process compiled in memory,
// so whether it takes or refuses a cache file shows only across processes: cli-startup.test.ts runs the built CLI
// for that (a damaged file, off, a folder that cannot be written).
import Module from "node:module";
import {
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
  codeCacheDir,
  installCodeCache,
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

  it("gives a module require, its paths, and import() as Node does", async () => {
    writeFileSync(join(root, "cell.js"), 'module.exports = "MES";\n');
    writeFileSync(
      join(root, "uses.js"),
      [
        "#!/usr/bin/env node",
        'const cell = require("./cell.js");',
        "module.exports = { cell, file: __filename, dir: __dirname,",
        '  load: () => import("node:path").then((path) => path.basename(__filename)) };',
      ].join("\n"),
    );
    for (const run of [1, 2]) {
      const [uses] = load("uses.js").exports as [
        { cell: string; file: string; dir: string; load(): Promise<string> },
      ];
      expect([uses.cell, uses.file, uses.dir], `run ${run}`).toEqual([
        "MES",
        join(root, "uses.js"),
        root,
      ]);
      await expect(uses.load()).resolves.toBe("uses.js");
    }
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
  it("is the platform's per-user cache folder unless CELLCERT_CODE_CACHE names one or says off", () => {
    expect(codeCacheDir({}, "linux", "/home/fe")).toBe(
      "/home/fe/.cache/cellcert/code",
    );
    expect(
      codeCacheDir({ XDG_CACHE_HOME: "/var/fe" }, "linux", "/home/fe"),
    ).toBe("/var/fe/cellcert/code");
    // A relative XDG_CACHE_HOME is to be ignored (XDG Base Directory specification).
    expect(codeCacheDir({ XDG_CACHE_HOME: "rel" }, "linux", "/home/fe")).toBe(
      "/home/fe/.cache/cellcert/code",
    );
    expect(codeCacheDir({}, "darwin", "/Users/fe")).toBe(
      "/Users/fe/Library/Caches/Cellcert/code",
    );
    expect(
      codeCacheDir({ LOCALAPPDATA: "D:\\Local" }, "win32", "C:\\Users\\fe"),
    ).toMatch(/^D:\\Local[\\/]Cellcert[\\/]Cache[\\/]code$/);
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "/tmp/cc" }, "linux", "/h"),
    ).toBe("/tmp/cc");
    expect(
      codeCacheDir({ CELLCERT_CODE_CACHE: "off" }, "linux", "/h"),
    ).toBeNull();
  });
});
