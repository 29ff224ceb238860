// What a built file loads, read from the build's own import statements (out/main, ES modules) or require calls
// (out/cli, CommonJS): the files its static imports reach, followed through the chunks, the packages they name,
// and their dynamic imports. The CommonJS build writes a dynamic import as `Promise.resolve().then(() =>
// require("…"))`; every other require of the build runs when its file loads.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, resolve } from "node:path";

const STATIC_IMPORT =
  /^(?:import|export)\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;
/** A require call, and whether it is a dynamic import the CommonJS build wrote (the `.then(() =>` before it). */
const REQUIRE =
  /(\.then\(\s*\(\)\s*=>\s*)?\brequire\(\s*["']([^"']+)["']\s*\)/g;

export interface Closure {
  /** The build's files a static import reaches (the file itself too), by file name. */
  files: string[];
  /** The same files, as absolute paths. */
  paths: string[];
  /** The packages they import (Node's built-ins left out). */
  packages: string[];
  /** The relative targets of dynamic import() in those files. */
  dynamic: string[];
}

/** What loading `file` loads before any of its code runs: its static imports, followed through the chunks. */
export function staticClosure(file: string): Closure {
  const files = new Set<string>();
  const packages = new Set<string>();
  const dynamic = new Set<string>();
  const visit = (path: string): void => {
    if (files.has(path)) return;
    files.add(path);
    const text = readFileSync(path, "utf8");
    const loaded = (specifier: string): void => {
      if (specifier.startsWith(".")) visit(resolve(dirname(path), specifier));
      else if (
        !specifier.startsWith("node:") &&
        !builtinModules.includes(specifier)
      )
        packages.add(specifier);
    };
    for (const [, specifier = ""] of text.matchAll(STATIC_IMPORT))
      loaded(specifier);
    for (const [, specifier = ""] of text.matchAll(DYNAMIC_IMPORT))
      dynamic.add(resolve(dirname(path), specifier));
    for (const [, then, specifier = ""] of text.matchAll(REQUIRE)) {
      if (then === undefined) loaded(specifier);
      else if (specifier.startsWith("."))
        dynamic.add(resolve(dirname(path), specifier));
    }
  };
  visit(resolve(file));
  return {
    files: [...files].map((f) => basename(f)),
    paths: [...files],
    packages: [...packages].sort(),
    dynamic: [...dynamic],
  };
}
