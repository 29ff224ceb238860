// The text page 1 shows, for the verifier to hold the visible verdict stamp against the signed evidence: the
// page's content streams, the form XObjects they draw and its annotations' appearances, read with the PDF lexer,
// every string shown decoded through its font's ToUnicode map (pdfkit embeds DejaVu subsets as Identity-H fonts
// with one). Text that cannot be mapped to Unicode is counted, not guessed: a verdict drawn in such a font is a
// verdict nobody can check. Bounded like the rest of the reader: TEXT_LIMITS here, PDF_LIMITS on every stream.
import { Lexer, PdfLimitError, PdfSyntaxError } from "./pdf-lexer";
import type { PdfFile } from "./pdf-objects";
import {
  PdfDict,
  PdfName,
  PdfRef,
  PdfString,
  nameOf,
  type PdfValue,
} from "./pdf-objects";

export const TEXT_LIMITS = {
  /** Form XObjects and appearance streams inside one another. */
  formDepth: 4,
  /** Content streams read for one page: its own, its forms', its annotations' appearances. */
  streams: 256,
  /** Fonts read for one page. */
  fonts: 64,
  /** Entries of one ToUnicode map: a two-byte code space holds 65,536 codes. */
  mappings: 65_536,
  /** Characters kept from one page; page 1 of a certificate shows about 2,000. */
  characters: 256 * 1024,
  /** Operands and operators of everything read for one page. */
  tokens: 2_000_000,
  /** Pages tree levels followed down to page 1. */
  treeDepth: 32,
} as const;

export interface PageText {
  /** Every string shown, in content order; runs separated by a space where the text position moves. */
  text: string;
  /** Characters shown in a font whose codes Cellcert could not map to Unicode (shown as U+FFFD in `text`). */
  unmapped: number;
}

/** The text of page 1, or why it cannot be had (a sentence). */
export function firstPageText(file: PdfFile): PageText | { problem: string } {
  const page = firstPage(file);
  if (page === null) return { problem: "The document has no page 1." };
  const reader = new TextReader(file);
  try {
    reader.page(page.page, page.resources);
  } catch (error) {
    if (error instanceof TextProblem) return { problem: error.message };
    if (error instanceof PdfSyntaxError)
      return {
        problem: `Page 1's content cannot be read (${error.message}).`,
      };
    // The only budget of the lexer here is TEXT_LIMITS.tokens.
    if (error instanceof PdfLimitError)
      return {
        problem: `Page 1 holds more than ${TEXT_LIMITS.tokens.toLocaleString("en")} tokens; Cellcert read no further.`,
      };
    throw error;
  }
  return reader.result();
}

/** The first leaf of the pages tree, with the resources it inherits. */
function firstPage(
  file: PdfFile,
): { page: PdfDict; resources: PdfDict | undefined } | null {
  const root = file.dict(file.trailer?.get("Root"));
  let node = file.dict(root?.get("Pages"));
  let resources: PdfDict | undefined;
  const visited = new Set<PdfDict>();
  for (let depth = 0; node !== undefined; depth++) {
    if (depth > TEXT_LIMITS.treeDepth || visited.has(node)) return null;
    visited.add(node);
    resources = file.dict(node.get("Resources")) ?? resources;
    const kids = node.get("Kids");
    if (nameOf(node.get("Type")) === "Page" || kids === undefined)
      return { page: node, resources };
    node = file.dict(file.array(kids)[0]);
  }
  return null;
}

/** A sentence on why the page's text cannot be had. */
class TextProblem extends Error {
  override readonly name = "TextProblem";
}

interface Font {
  /** For sentences: "/F3 (DejaVuSans)". */
  label: string;
  codeBytes: 1 | 2;
  toUnicode: Map<number, string>;
  /** A simple font's own encoding for codes its ToUnicode map lacks; null when none can be trusted. */
  fallback: ((code: number) => string | undefined) | null;
}

const REPLACEMENT = "\uFFFD";
/** A TJ adjustment this far right (thousandths of an em) reads as a space between words. */
const WORD_GAP = -200;

class TextReader {
  private readonly parts: string[] = [];
  private characters = 0;
  private unmapped = 0;
  private streams = 0;
  private readonly budget: { values: number } = { values: TEXT_LIMITS.tokens };
  private readonly fonts = new Map<PdfDict, Font>();
  private readonly forms = new Set<number>();

  constructor(private readonly file: PdfFile) {}

  result(): PageText {
    return {
      text: this.parts.join("").replace(/\s+/g, " ").trim(),
      unmapped: this.unmapped,
    };
  }

  page(page: PdfDict, resources: PdfDict | undefined): void {
    const contents = page.get("Contents");
    const refs = Array.isArray(this.file.resolve(contents))
      ? this.file.array(contents)
      : [contents];
    for (const ref of refs)
      if (ref !== undefined)
        this.content(ref, "page 1's content", resources, 0);
    const annotations = this.file.array(page.get("Annots"));
    if (annotations.length > TEXT_LIMITS.streams)
      throw new TextProblem(
        `Page 1 carries ${annotations.length} annotations; Cellcert reads at most ${TEXT_LIMITS.streams}.`,
      );
    const isStream = (value: PdfValue | undefined): value is PdfRef =>
      value instanceof PdfRef &&
      this.file.objects.get(value.num)?.stream != null;
    for (const annotation of annotations) {
      const appearances = this.file.dict(this.file.dict(annotation)?.get("AP"));
      const normal = appearances?.get("N");
      // One appearance stream, or a dictionary of them by state.
      const states = isStream(normal)
        ? [normal]
        : [...(this.file.dict(normal)?.entries.values() ?? [])];
      for (const state of states)
        if (isStream(state)) this.form(state, resources, 0);
    }
  }

  /** A stream of page content (or a form's), read with the fonts and forms of `resources`. */
  private content(
    ref: PdfValue,
    what: string,
    resources: PdfDict | undefined,
    depth: number,
  ): void {
    if (++this.streams > TEXT_LIMITS.streams)
      throw new TextProblem(
        `Page 1 draws more than ${TEXT_LIMITS.streams} content streams; Cellcert read no further.`,
      );
    const data = this.file.streamData(ref);
    if ("problem" in data)
      throw new TextProblem(
        `The stream of ${what}${ref instanceof PdfRef ? ` (object ${ref.num})` : ""} ${data.problem}.`,
      );
    this.run(data.data, resources, depth);
  }

  private form(
    ref: PdfRef,
    resources: PdfDict | undefined,
    depth: number,
  ): void {
    if (this.forms.has(ref.num)) return; // its text is read already
    this.forms.add(ref.num);
    const form = this.file.objects.get(ref.num)?.value;
    if (!(form instanceof PdfDict)) return;
    if (depth >= TEXT_LIMITS.formDepth)
      throw new TextProblem(
        `Page 1 draws forms more than ${TEXT_LIMITS.formDepth} deep inside one another; Cellcert read no further.`,
      );
    this.content(
      ref,
      `form ${ref.num}`,
      this.file.dict(form.get("Resources")) ?? resources,
      depth + 1,
    );
  }

  private run(
    data: Uint8Array,
    resources: PdfDict | undefined,
    depth: number,
  ): void {
    const lexer = new Lexer(data, 0, data.length, this.budget);
    const operands: PdfValue[] = [];
    let font: Font | null = null;
    const saved: (Font | null)[] = [];
    for (;;) {
      const token = lexer.contentToken();
      if (token === null) return;
      if ("operand" in token) {
        // Operators take at most a few operands: the last ones are theirs.
        if (operands.length === 16) operands.shift();
        operands.push(token.operand);
        continue;
      }
      const last = (n: number): PdfValue | undefined =>
        operands[operands.length - n];
      switch (token.operator) {
        case "BT":
        case "ET":
        case "Td":
        case "TD":
        case "Tm":
        case "T*":
          this.append(" ");
          break;
        case "q":
          if (saved.length < 1024) saved.push(font);
          break;
        case "Q":
          if (saved.length > 0) font = saved.pop() ?? null;
          break;
        case "Tf":
          font = this.font(resources, last(2));
          break;
        case "Tj":
          this.show(font, last(1));
          break;
        case "'":
          this.append(" ");
          this.show(font, last(1));
          break;
        case '"':
          this.append(" ");
          this.show(font, last(1));
          break;
        case "TJ": {
          const items = last(1);
          if (Array.isArray(items))
            for (const item of items)
              if (typeof item === "number") {
                if (item <= WORD_GAP) this.append(" ");
              } else this.show(font, item);
          break;
        }
        case "Do": {
          const name = last(1);
          const xobjects = this.file.dict(resources?.get("XObject"));
          const ref =
            name instanceof PdfName ? xobjects?.get(name.name) : undefined;
          if (
            ref instanceof PdfRef &&
            nameOf(this.file.dict(ref)?.get("Subtype")) === "Form"
          )
            this.form(ref, resources, depth);
          break;
        }
      }
      operands.length = 0;
    }
  }

  private show(font: Font | null, value: PdfValue | undefined): void {
    if (!(value instanceof PdfString)) return;
    const bytes = value.bytes;
    if (font === null) {
      this.unmapped += bytes.length;
      this.append(REPLACEMENT.repeat(bytes.length));
      return;
    }
    let text = "";
    for (let i = 0; i < bytes.length; i += font.codeBytes) {
      const code =
        font.codeBytes === 2
          ? ((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)
          : (bytes[i] ?? 0);
      const mapped =
        (font.codeBytes === 2 && i + 1 >= bytes.length
          ? undefined
          : font.toUnicode.get(code)) ?? font.fallback?.(code);
      if (mapped === undefined) {
        this.unmapped++;
        text += REPLACEMENT;
      } else text += mapped;
    }
    this.append(text);
  }

  private append(text: string): void {
    this.characters += text.length;
    if (this.characters > TEXT_LIMITS.characters)
      throw new TextProblem(
        `Page 1 shows more than ${TEXT_LIMITS.characters.toLocaleString("en")} characters; Cellcert read no further.`,
      );
    this.parts.push(text);
  }

  private font(
    resources: PdfDict | undefined,
    name: PdfValue | undefined,
  ): Font | null {
    const fonts = this.file.dict(resources?.get("Font"));
    const dict =
      name instanceof PdfName
        ? this.file.dict(fonts?.get(name.name))
        : undefined;
    if (dict === undefined) return null;
    const known = this.fonts.get(dict);
    if (known !== undefined) return known;
    if (this.fonts.size >= TEXT_LIMITS.fonts)
      throw new TextProblem(
        `Page 1 uses more than ${TEXT_LIMITS.fonts} fonts; Cellcert read no further.`,
      );
    const font = readFont(
      this.file,
      dict,
      `/${name instanceof PdfName ? name.name : "?"}`,
      this.budget,
    );
    this.fonts.set(dict, font);
    return font;
  }
}

// ---- fonts ----------------------------------------------------------------------------------------------------

/** The encodings a simple font may name whose codes 0x20–0x7E are ASCII (ISO 32000-1 Annex D). */
const ASCII_ENCODINGS = new Set([
  "WinAnsiEncoding",
  "StandardEncoding",
  "MacRomanEncoding",
]);

function readFont(
  file: PdfFile,
  dict: PdfDict,
  resourceName: string,
  budget: { values: number },
): Font {
  const base = nameOf(file.resolve(dict.get("BaseFont")));
  const label = `${resourceName}${base === undefined ? "" : ` (${base.replace(/^[A-Z]{6}\+/, "")})`}`;
  const subtype = nameOf(file.resolve(dict.get("Subtype")));
  const toUnicodeRef = dict.get("ToUnicode");
  const toUnicode =
    toUnicodeRef === undefined
      ? new Map<number, string>()
      : readToUnicode(file, toUnicodeRef, label, budget);
  if (subtype === "Type0") {
    const encoding = nameOf(file.resolve(dict.get("Encoding")));
    // Other CMaps than Identity give codes of other lengths: their text is not read (counted as unmapped).
    if (encoding !== "Identity-H" && encoding !== "Identity-V")
      return { label, codeBytes: 2, toUnicode: new Map(), fallback: null };
    return { label, codeBytes: 2, toUnicode, fallback: null };
  }
  const encoding = file.resolve(dict.get("Encoding"));
  const encodingDict = encoding instanceof PdfDict ? encoding : undefined;
  const encodingName =
    nameOf(encoding) ?? nameOf(file.resolve(encodingDict?.get("BaseEncoding")));
  const differences = new Set<number>();
  let code = 0;
  for (const item of file.array(encodingDict?.get("Differences")))
    if (typeof item === "number") code = item;
    else if (item instanceof PdfName) differences.add(code++);
  const ascii =
    subtype !== "Type3" &&
    (encodingName === undefined || ASCII_ENCODINGS.has(encodingName));
  return {
    label,
    codeBytes: 1,
    toUnicode,
    fallback: ascii
      ? (c) =>
          c >= 0x20 && c <= 0x7e && !differences.has(c)
            ? String.fromCharCode(c)
            : undefined
      : null,
  };
}

/** A ToUnicode CMap (bfchar and bfrange entries) as code → text. */
function readToUnicode(
  file: PdfFile,
  ref: PdfValue,
  label: string,
  budget: { values: number },
): Map<number, string> {
  const data = file.streamData(ref);
  if ("problem" in data)
    throw new TextProblem(
      `The ToUnicode map of font ${label} on page 1 ${data.problem}.`,
    );
  const map = new Map<number, string>();
  let entries = 0;
  const add = (code: number, text: string): void => {
    if (++entries > TEXT_LIMITS.mappings)
      throw new TextProblem(
        `The ToUnicode map of font ${label} on page 1 holds more than ${TEXT_LIMITS.mappings.toLocaleString("en")} entries; Cellcert read no further.`,
      );
    map.set(code, text);
  };
  const lexer = new Lexer(data.data, 0, data.data.length, budget);
  let operands: PdfValue[] = [];
  for (;;) {
    const token = lexer.contentToken();
    if (token === null) return map;
    if ("operand" in token) {
      operands.push(token.operand);
      continue;
    }
    if (token.operator === "endbfchar")
      for (let i = 0; i + 1 < operands.length; i += 2) {
        const source = codeOf(operands[i]);
        const target = operands[i + 1];
        if (source !== null && target instanceof PdfString)
          add(source, utf16(target.bytes));
      }
    else if (token.operator === "endbfrange")
      for (let i = 0; i + 2 < operands.length; i += 3) {
        const low = codeOf(operands[i]);
        const high = codeOf(operands[i + 1]);
        const target = operands[i + 2];
        if (low === null || high === null || high < low) continue;
        if (high - low >= TEXT_LIMITS.mappings)
          throw new TextProblem(
            `The ToUnicode map of font ${label} on page 1 maps a range of ${high - low + 1} codes; Cellcert reads at most ${TEXT_LIMITS.mappings.toLocaleString("en")}.`,
          );
        if (Array.isArray(target)) {
          target.slice(0, high - low + 1).forEach((item, k) => {
            if (item instanceof PdfString) add(low + k, utf16(item.bytes));
          });
        } else if (target instanceof PdfString) {
          const units = utf16Units(target.bytes);
          for (let k = 0; k <= high - low; k++) {
            const shifted = [...units];
            const at = shifted.length - 1;
            if (at >= 0) shifted[at] = ((shifted[at] ?? 0) + k) & 0xffff;
            add(low + k, String.fromCharCode(...shifted));
          }
        }
      }
    operands = [];
  }
}

function codeOf(value: PdfValue | undefined): number | null {
  if (!(value instanceof PdfString) || !value.hex) return null;
  const bytes = value.bytes;
  if (bytes.length === 0 || bytes.length > 4) return null;
  let code = 0;
  for (const byte of bytes) code = code * 256 + byte;
  return code;
}

function utf16Units(bytes: Uint8Array): number[] {
  const units: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2)
    units.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return units;
}

function utf16(bytes: Uint8Array): string {
  return String.fromCharCode(...utf16Units(bytes));
}
