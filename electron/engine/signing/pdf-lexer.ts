// The tokens of PDF syntax (ISO 32000-1 §7.2–7.3), read from a file or a content stream that may be hostile: a
// lexer that reads one value at a time from where it stands, within a budget of values and a nesting depth
// (PDF_LIMITS), and strings decoded only when asked for. pdf-objects.ts reads a file's objects with it;
// pdf-text.ts reads page content and ToUnicode maps with it.
export const PDF_LIMITS = {
  /** Object definitions (whole or damaged) read from one file; a certificate of 200 checks holds about 210. */
  objects: 100_000,
  /** Values (numbers, names, strings, arrays, dictionaries…) in all its objects; such a certificate holds about 2,100. */
  values: 500_000,
  /** Arrays and dictionaries inside one another. */
  depth: 64,
  /** What one stream may inflate to; the evidence of 200 checks is about 0.4 MiB. */
  streamBytes: 16 * 1024 * 1024,
  /** What all the streams of one file may inflate to together. */
  inflatedBytes: 64 * 1024 * 1024,
  /** Filters applied to one stream. */
  filters: 4,
} as const;

export class PdfName {
  constructor(readonly name: string) {}
}

export class PdfRef {
  constructor(
    readonly num: number,
    readonly gen: number,
  ) {}
}

export class PdfString {
  #bytes: Uint8Array | undefined;

  constructor(
    private readonly source: Uint8Array,
    /** Offsets of the whole token in the file: "(" or "<" to ")" or ">" inclusive, end exclusive. */
    readonly start: number,
    readonly end: number,
    readonly hex: boolean,
  ) {}

  /** The string's bytes, decoded from the file when first asked for (most strings never are). */
  get bytes(): Uint8Array {
    this.#bytes ??= this.hex
      ? decodeHex(this.source, this.start + 1, this.end - 1)
      : decodeLiteral(this.source, this.start + 1, this.end - 1);
    return this.#bytes;
  }

  /** A PDF text string: UTF-16BE with a byte order mark (an odd last byte dropped), or PDFDocEncoding (read as
   * Latin-1). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
      return Buffer.from(b.subarray(2, b.length - (b.length % 2)))
        .swap16()
        .toString("utf16le");
    return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("latin1");
  }
}

export class PdfDict {
  constructor(
    readonly entries: Map<string, PdfValue>,
    readonly start: number,
    readonly end: number,
  ) {}

  get(key: string): PdfValue | undefined {
    return this.entries.get(key);
  }
}

export type PdfValue =
  number | boolean | null | PdfName | PdfString | PdfRef | PdfDict | PdfValue[];

/** Not thrown out of the reader: a damaged object is skipped. Made without a stack trace, which would cost more
 * than reading the object did (a hostile file may be all damaged objects). */
export class PdfSyntaxError extends Error {
  override readonly name = "PdfSyntaxError";
}

export function syntaxError(message: string): PdfSyntaxError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new PdfSyntaxError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The file holds more than the reader takes: reading stops there. */
export class PdfLimitError extends Error {
  override readonly name = "PdfLimitError";
}

// Byte classes: whitespace, delimiters, characters of numbers, hex digits.
export const WHITESPACE = 1;
export const DELIMITER = 2;
const NUMERIC = 4;
const HEX = 8;
const CLASS = new Uint8Array(256);
const classify = (chars: string | number[], kind: number): void => {
  for (const c of chars) {
    const code = typeof c === "number" ? c : c.charCodeAt(0);
    CLASS[code] = (CLASS[code] ?? 0) | kind;
  }
};
classify([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20], WHITESPACE);
classify("()<>[]{}/%", DELIMITER);
classify("0123456789+-.", NUMERIC);
classify("0123456789abcdefABCDEF", HEX);
export const is = (c: number, kind: number): boolean =>
  c >= 0 && ((CLASS[c] ?? 0) & kind) !== 0;
export const isDigit = (c: number | undefined): boolean =>
  c !== undefined && c >= 0x30 && c <= 0x39;

export function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export class Lexer {
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly limit: number,
    /** Values the whole file may still hold; shared by all its objects. */
    private readonly budget: { values: number },
  ) {
    this.position = start;
  }

  private peek(offset = 0): number {
    const index = this.position + offset;
    return index < this.limit ? (this.bytes[index] ?? -1) : -1;
  }

  skipSpace(): void {
    for (;;) {
      const c = this.peek();
      if (c === 0x25) {
        // a comment runs to the end of the line
        for (
          let d = this.peek();
          d !== -1 && d !== 0x0a && d !== 0x0d;
          d = this.peek()
        )
          this.position++;
      } else if (is(c, WHITESPACE)) this.position++;
      else return;
    }
  }

  keyword(word: string): boolean {
    for (let i = 0; i < word.length; i++)
      if (this.peek(i) !== word.charCodeAt(i)) return false;
    const after = this.peek(word.length);
    if (after !== -1 && !is(after, WHITESPACE | DELIMITER)) return false;
    this.position += word.length;
    return true;
  }

  /**
   * The next token of a content stream or CMap (ISO 32000-1 §7.8.2): an operand, an operator (a bare keyword such
   * as "Tj" or "beginbfchar"), or null at the end. An inline image's data (after "ID") is skipped up to its "EI".
   */
  contentToken(): { operand: PdfValue } | { operator: string } | null {
    this.skipSpace();
    const c = this.peek();
    if (c === -1) return null;
    if (is(c, WHITESPACE | DELIMITER | NUMERIC))
      return { operand: this.value(0) };
    for (const word of ["true", "false", "null"])
      if (this.keyword(word))
        return { operand: word === "null" ? null : word === "true" };
    if (--this.budget.values < 0)
      throw new PdfLimitError(
        "The content holds more tokens than Cellcert reads of it.",
      );
    const start = this.position;
    while (this.peek() !== -1 && !is(this.peek(), WHITESPACE | DELIMITER))
      this.position++;
    const operator = view(this.bytes).toString("latin1", start, this.position);
    if (operator === "ID") this.skipInlineImage();
    return { operator };
  }

  /** From just after "ID" to just after the "EI" that ends the image data (preceded and followed by whitespace). */
  private skipInlineImage(): void {
    const buffer = view(this.bytes);
    for (let from = this.position; ;) {
      const at = buffer.indexOf("EI", from, "latin1");
      if (at < 0 || at + 2 > this.limit) {
        this.position = this.limit;
        return;
      }
      const after = this.bytes[at + 2];
      if (
        is(this.bytes[at - 1] ?? -1, WHITESPACE) &&
        (at + 2 === this.limit ||
          (after !== undefined && is(after, WHITESPACE)))
      ) {
        this.position = at + 2;
        return;
      }
      from = at + 2;
    }
  }

  value(depth: number): PdfValue {
    if (--this.budget.values < 0)
      throw new PdfLimitError(
        `The document holds more than ${PDF_LIMITS.values.toLocaleString("en")} values; Cellcert read no further.`,
      );
    this.skipSpace();
    const c = this.peek();
    const start = this.position;
    if (c === -1) throw syntaxError("unexpected end of data");
    if (c === 0x2f) return new PdfName(this.name());
    if (c === 0x28) return this.literalString();
    // `depth` arrays and dictionaries hold this value
    if (
      ((c === 0x3c && this.peek(1) === 0x3c) || c === 0x5b) &&
      depth >= PDF_LIMITS.depth
    )
      throw syntaxError("nested too deeply");
    if (c === 0x3c && this.peek(1) === 0x3c) return this.dictionary(depth);
    if (c === 0x3c) return this.hexString();
    if (c === 0x5b) {
      this.position++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.peek() === 0x5d) {
          this.position++;
          return items;
        }
        items.push(this.value(depth + 1));
      }
    }
    if (this.keyword("true")) return true;
    if (this.keyword("false")) return false;
    if (this.keyword("null")) return null;
    const number = this.number();
    if (number === null) throw syntaxError(`unexpected byte at ${start}`);
    // "12 0 R" is a reference
    if (Number.isInteger(number) && number >= 0) {
      const save = this.position;
      this.skipSpace();
      const gen = this.number();
      if (gen !== null && Number.isInteger(gen)) {
        this.skipSpace();
        if (this.keyword("R")) return new PdfRef(number, gen);
      }
      this.position = save;
    }
    return number;
  }

  private number(): number | null {
    const start = this.position;
    while (is(this.peek(), NUMERIC)) this.position++;
    if (this.position === start) return null;
    const value = Number(
      view(this.bytes).toString("latin1", start, this.position),
    );
    if (Number.isNaN(value)) throw syntaxError(`bad number at ${start}`);
    return value;
  }

  private name(): string {
    this.position++; // "/"
    const start = this.position;
    for (;;) {
      const c = this.peek();
      if (c === -1 || is(c, WHITESPACE | DELIMITER)) break;
      this.position++;
    }
    const name = view(this.bytes).toString("latin1", start, this.position);
    return name.includes("#")
      ? name.replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) =>
          String.fromCharCode(parseInt(hex, 16)),
        )
      : name;
  }

  private dictionary(depth: number): PdfDict {
    const start = this.position;
    this.position += 2;
    const entries = new Map<string, PdfValue>();
    for (;;) {
      this.skipSpace();
      if (this.peek() === 0x3e && this.peek(1) === 0x3e) {
        this.position += 2;
        return new PdfDict(entries, start, this.position);
      }
      if (this.peek() !== 0x2f)
        throw syntaxError(`dictionary key expected at ${this.position}`);
      const key = this.name();
      entries.set(key, this.value(depth + 1));
    }
  }

  /** Finds the end of "<…>"; the bytes are decoded when asked for. A bad byte stops reading right there. */
  private hexString(): PdfString {
    const start = this.position;
    this.position++;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw syntaxError("unterminated hex string");
      if (c === 0x3e) break;
      if (!is(c, HEX | WHITESPACE))
        throw syntaxError(`bad hex string at ${start}`);
      this.position++;
    }
    this.position++;
    return new PdfString(this.bytes, start, this.position, true);
  }

  /** Finds the end of "(…)", balanced parentheses and escapes; the bytes are decoded when asked for. */
  private literalString(): PdfString {
    const start = this.position;
    this.position++;
    let depth = 1;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw syntaxError("unterminated string");
      this.position++;
      if (c === 0x5c) {
        if (this.peek() !== -1) this.position++;
      } else if (c === 0x28) depth++;
      else if (c === 0x29 && --depth === 0) break;
    }
    return new PdfString(this.bytes, start, this.position, false);
  }
}

/** The bytes of a hex string's contents (whitespace skipped; an odd last digit is followed by 0). */
function decodeHex(bytes: Uint8Array, from: number, to: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((to - from) / 2));
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i] ?? 0;
    if (!is(c, HEX)) continue;
    const nibble = c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10;
    const index = digits >> 1;
    out[index] = (out[index] ?? 0) | (digits % 2 === 0 ? nibble << 4 : nibble);
    digits++;
  }
  return out.subarray(0, Math.ceil(digits / 2));
}

const ESCAPES: Readonly<Record<number, number>> = {
  0x6e: 10,
  0x72: 13,
  0x74: 9,
  0x62: 8,
  0x66: 12,
  0x28: 0x28,
  0x29: 0x29,
  0x5c: 0x5c,
};

/** The bytes of a literal string's contents, escapes resolved. */
function decodeLiteral(
  bytes: Uint8Array,
  from: number,
  to: number,
): Uint8Array {
  const out = new Uint8Array(to - from);
  let size = 0;
  for (let i = from; i < to; i++) {
    const c = bytes[i] ?? 0;
    if (c !== 0x5c) {
      out[size++] = c;
      continue;
    }
    const e = bytes[++i] ?? 0;
    const simple = ESCAPES[e];
    if (simple !== undefined) out[size++] = simple;
    else if (e >= 0x30 && e <= 0x37) {
      let octal = e - 0x30;
      for (let k = 0; k < 2 && i + 1 < to; k++) {
        const d = bytes[i + 1] ?? 0;
        if (d < 0x30 || d > 0x37) break;
        octal = octal * 8 + (d - 0x30);
        i++;
      }
      out[size++] = octal & 0xff;
    } else if (e === 0x0d) {
      if (bytes[i + 1] === 0x0a) i++;
    } else if (e !== 0x0a) out[size++] = e;
  }
  return out.subarray(0, size);
}
