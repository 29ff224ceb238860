// How a certificate looks to independent tools: its words with their boxes (poppler's pdftotext -bbox), the
// pairs of words printed over each other, its text page by page, and its structure as qpdf writes it out.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { tool } from "./certificate-tools";

export interface WordBox {
  page: number;
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

const unescape = (text: string): string =>
  text
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&quot;", '"')
    .replaceAll("&#39;", "'")
    .replaceAll("&amp;", "&");

/** Every word pdftotext finds, with its box in points from the page's top left. */
export function wordBoxes(pdfPath: string): WordBox[] {
  const run = tool("pdftotext", ["-bbox", "-enc", "UTF-8", pdfPath, "-"]);
  if (run.status !== 0)
    throw new Error(`pdftotext -bbox failed: ${run.output}`);
  return run.stdout
    .split("<page ")
    .slice(1)
    .flatMap((page, index) =>
      [
        ...page.matchAll(
          /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
        ),
      ].map((m) => ({
        page: index + 1,
        text: unescape(m[5] ?? ""),
        xMin: Number(m[1]),
        yMin: Number(m[2]),
        xMax: Number(m[3]),
        yMax: Number(m[4]),
      })),
    );
}

/**
 * Pairs of words on the same page printed over each other: their boxes share more than half a point across and
 * more than 30 % of the smaller word's height (neighbouring lines may touch; text on text overlaps far more).
 */
export function overlappingWords(
  words: readonly WordBox[],
): [WordBox, WordBox][] {
  const pairs: [WordBox, WordBox][] = [];
  const byPage = new Map<number, WordBox[]>();
  for (const word of words)
    byPage.set(word.page, [...(byPage.get(word.page) ?? []), word]);
  for (const pageWords of byPage.values())
    for (let i = 0; i < pageWords.length; i++)
      for (let j = i + 1; j < pageWords.length; j++) {
        const a = pageWords[i];
        const b = pageWords[j];
        if (a === undefined || b === undefined) continue;
        const across = Math.min(a.xMax, b.xMax) - Math.max(a.xMin, b.xMin);
        const down = Math.min(a.yMax, b.yMax) - Math.max(a.yMin, b.yMin);
        const height = Math.min(a.yMax - a.yMin, b.yMax - b.yMin);
        if (across > 0.5 && down > 0.3 * height) pairs.push([a, b]);
      }
  return pairs;
}

/** The text of each page, as pdftotext reads it in reading order. */
export function pageTexts(pdfPath: string, layout = false): string[] {
  const run = tool("pdftotext", [
    ...(layout ? ["-layout"] : []),
    "-enc",
    "UTF-8",
    pdfPath,
    "-",
  ]);
  if (run.status !== 0) throw new Error(`pdftotext failed: ${run.output}`);
  return run.stdout.split("\f").slice(0, -1);
}

/** The document as qpdf writes it uncompressed, one object per block (qpdf --qdf --object-streams=disable). */
export function qdfText(pdfPath: string, folder: string): string {
  const out = join(folder, "structure.qdf.pdf");
  const run = tool("qpdf", ["--qdf", "--object-streams=disable", pdfPath, out]);
  if (run.status !== 0 && run.status !== 3)
    throw new Error(`qpdf --qdf failed: ${run.output}`);
  return readFileSync(out).toString("latin1");
}

/** The dictionary of object `n 0 obj` in qdf text. */
export function qdfObject(qdf: string, reference: string): string {
  const number = reference.replace(/\s*0 R$/, "").trim();
  const start = qdf.indexOf(`\n${number} 0 obj\n`);
  if (start < 0) throw new Error(`object ${reference} is not in the document`);
  const end = qdf.indexOf("endobj", start);
  return qdf.slice(start, end);
}
