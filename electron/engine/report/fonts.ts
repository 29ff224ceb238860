// The certificate's fonts: DejaVu (npm dejavu-fonts-ttf), bundled and embedded as subsets, so that Łukasz,
// Győr, Ștefan and Muñoz print as written on any machine. Read once per process.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export const FONT_FILES = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  condensed: "DejaVuSansCondensed.ttf",
  /** Check ids in tables: bold, and narrow enough to stay on one line. */
  condensedBold: "DejaVuSansCondensed-Bold.ttf",
  mono: "DejaVuSansMono.ttf",
} as const;
export type FontName = keyof typeof FONT_FILES;
export type FontSet = Record<FontName, Buffer>;

const cache = new Map<string, FontSet>();

/** The folder of the bundled TTF files: the dejavu-fonts-ttf package's, unless another is given. */
export function defaultFontDirectory(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
}

export function loadFonts(directory: string = defaultFontDirectory()): FontSet {
  const cached = cache.get(directory);
  if (cached !== undefined) return cached;
  const fonts = Object.fromEntries(
    Object.entries(FONT_FILES).map(([name, file]) => {
      try {
        return [name, readFileSync(join(directory, file))];
      } catch (error) {
        throw new Error(
          `The certificate's font ${file} is missing from ${directory}; reinstall Cellcert.`,
          { cause: error },
        );
      }
    }),
  ) as FontSet;
  cache.set(directory, fonts);
  return fonts;
}
