// The packaged desktop app (electron-builder.yml) holds what the built app loads: main's entries (the window,
// the practice plant's utility process, the verify worker) with every chunk they import, and the preload; the
// packages those import are production dependencies, which electron-builder copies from node_modules.
import { existsSync, readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { staticClosure } from "../support/built-imports";

const ENTRIES = [
  "out/main/index.js",
  "out/main/practice-plant.js",
  "out/main/verify-worker.js",
  "out/preload/index.cjs",
];
const built = ENTRIES.every((entry) => existsSync(entry));
const notBuilt = `the app is not built (${ENTRIES.join(", ")}): run "npm run build" first`;

/** The `files:` globs of electron-builder.yml, in order ("!" excludes). */
function packagedGlobs(): string[] {
  const text = readFileSync("electron-builder.yml", "utf8");
  const list = /^files:\n((?:\s+- .*\n)+)/m.exec(text)?.[1] ?? "";
  return [...list.matchAll(/^\s+- "?([^"\n]+)"?$/gm)].map((m) => m[1] ?? "");
}

/** Whether electron-builder packs `path` (relative to the project): the last glob that matches decides. */
function isPacked(path: string, globs: readonly string[]): boolean {
  const matches = (glob: string): boolean => {
    const pattern = glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*\*\/|\*\*|\*/g, (star) =>
        star === "**/" ? "(?:.*/)?" : star === "**" ? ".*" : "[^/]*",
      );
    return new RegExp(`^${pattern}$`).test(path);
  };
  let packed = false;
  for (const glob of globs)
    if (glob.startsWith("!")) {
      if (matches(glob.slice(1))) packed = false;
    } else if (matches(glob)) packed = true;
  return packed;
}

const packageOf = (specifier: string): string =>
  specifier
    .split("/")
    .slice(0, specifier.startsWith("@") ? 2 : 1)
    .join("/");

describe("the packaged app", () => {
  it("reads the files list as electron-builder does, so the check below can fail", () => {
    const globs = packagedGlobs();
    expect(globs).toContain("out/main/**");
    expect(isPacked("out/main/chunks/x-12345678.js", globs)).toBe(true);
    expect(isPacked("out/main/chunks/x-12345678.js.map", globs)).toBe(false);
    expect(isPacked("out/cli/cellcert.js", globs)).toBe(false);
  });

  it("holds every file the built main process and the preload load, chunks included", (context) => {
    context.skip(!built, notBuilt);
    const globs = packagedGlobs();
    const loaded = new Set(
      ENTRIES.flatMap((entry) => staticClosure(entry).paths),
    );
    expect(loaded.size).toBeGreaterThan(ENTRIES.length);
    const missing = [...loaded]
      .map((path) => relative(resolve("."), path))
      .filter((path) => !isPacked(path, globs));
    expect(missing).toEqual([]);
  });

  it("imports only production dependencies (and Electron)", (context) => {
    context.skip(!built, notBuilt);
    const { dependencies } = JSON.parse(
      readFileSync("package.json", "utf8"),
    ) as { dependencies: Record<string, string> };
    const imported = new Set(
      ENTRIES.flatMap((entry) => staticClosure(entry).packages).map(packageOf),
    );
    const absent = [...imported].filter(
      (name) => name !== "electron" && !(name in dependencies),
    );
    expect(absent).toEqual([]);
  });
});
