// What a built file loads, read from the build's own import statements (out/cli, out/main): the files its
// static imports reach, followed through the chunks, the packages they name, and their dynamic import()s.
import { readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import { basename, dirname, resolve } from "node:path";

const STATIC_IMPORT =
  /^(?:import|export)\s+(?:[^"';]*?\s+from\s+)?["']([^"']+)["']/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*["'](\.[^"']+)["']\s*\)/g;

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
    for (const [, specifier = ""] of text.matchAll(STATIC_IMPORT)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(path), specifier));
      else if (
        !specifier.startsWith("node:") &&
        !builtinModules.includes(specifier)
      )
        packages.add(specifier);
    }
    for (const [, specifier = ""] of text.matchAll(DYNAMIC_IMPORT))
      dynamic.add(resolve(dirname(path), specifier));
  };
  visit(resolve(file));
  return {
    files: [...files].map((f) => basename(f)),
    paths: [...files],
    packages: [...packages].sort(),
    dynamic: [...dynamic],
  };
}
