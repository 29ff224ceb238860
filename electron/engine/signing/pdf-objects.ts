// A small reader of classic PDF files (cross-reference tables, no object streams), enough for the verifier to
// find the signature dictionary, the document information and the embedded files of a certificate. Objects
// are found by scanning, not through the xref, so a damaged table does not hide what the file holds; the
// last definition of an object wins, as in an incremental update.
//
// The file may be hostile, so the reader is linear and bounded: one pass from start to end, each object read
// from where the last one ended (a damaged object is skipped from where reading it failed, never re-read from
// its start), and at most PDF_LIMITS objects, values and nesting. Streams are inflated only when asked for, each
// to a capped size and all of them to a capped total.
import { inflateSync } from "node:zlib";

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

export interface PdfObject {
  num: number;
  gen: number;
  value: PdfValue;
  /** The stream's raw bytes (still encoded), for stream objects. */
  stream: Uint8Array | null;
  /** Just after the object's value or its stream data. */
  end: number;
}

/** A stream's decoded data, or why it could not be had (a phrase that follows the stream's name). */
export type StreamData = { data: Uint8Array } | { problem: string };

/** Not thrown out of the reader: a damaged object is skipped. Made without a stack trace, which would cost more
 * than reading the object did (a hostile file may be all damaged objects). */
class PdfSyntaxError extends Error {
  override readonly name = "PdfSyntaxError";
}

function syntaxError(message: string): PdfSyntaxError {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new PdfSyntaxError(message);
  } finally {
    Error.stackTraceLimit = limit;
  }
}

/** The file holds more than the reader takes: reading stops there. */
class PdfLimitError extends Error {
  override readonly name = "PdfLimitError";
}

// Byte classes: whitespace, delimiters, characters of numbers, hex digits.
const WHITESPACE = 1;
const DELIMITER = 2;
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
const is = (c: number, kind: number): boolean =>
  c >= 0 && ((CLASS[c] ?? 0) & kind) !== 0;
const isDigit = (c: number | undefined): boolean =>
  c !== undefined && c >= 0x30 && c <= 0x39;

const MiB = 1024 * 1024;

/** What one pass over a file found, shared by the file and its revisions. */
export interface PdfReading {
  definitions: PdfObject[];
  /** Why reading stopped early, and where; null when the whole file was read. */
  stopped: { reason: string; at: number } | null;
}

export class PdfFile {
  readonly objects = new Map<number, PdfObject>();
  readonly trailer: PdfDict | null;
  private readonly reading: PdfReading;
  /** Bytes inflated so far, against PDF_LIMITS.inflatedBytes (shared with the file's revisions). */
  private readonly inflated: { bytes: number };

  /** Reads `bytes[0, length)`: the whole file, or only its signed revision. */
  constructor(
    readonly bytes: Uint8Array,
    readonly length = bytes.length,
    /** A revision of a file read already (see `revision`). */
    from?: { reading: PdfReading; inflated: { bytes: number } },
  ) {
    this.reading = from?.reading ?? readObjects(bytes, length);
    this.inflated = from?.inflated ?? { bytes: 0 };
    for (const object of this.reading.definitions)
      if (object.end <= length) this.objects.set(object.num, object);
    this.trailer = readTrailer(bytes, length);
  }

  /** The file as it was at `length` (its signed revision), from what was read already: objects that end there. */
  revision(length: number): PdfFile {
    if (length >= this.length) return this;
    const stopped = this.reading.stopped;
    return new PdfFile(this.bytes, length, {
      reading: {
        definitions: this.reading.definitions,
        stopped: stopped !== null && stopped.at < length ? stopped : null,
      },
      inflated: this.inflated,
    });
  }

  /** Why the reader stopped before the end of the file, as a sentence; null when it read it all. */
  get incomplete(): string | null {
    return this.reading.stopped?.reason ?? null;
  }

  resolve(value: PdfValue | undefined, depth = 0): PdfValue | undefined {
    if (value instanceof PdfRef) {
      if (depth > 16) return undefined;
      return this.resolve(this.objects.get(value.num)?.value, depth + 1);
    }
    return value;
  }

  dict(value: PdfValue | undefined): PdfDict | undefined {
    const resolved = this.resolve(value);
    return resolved instanceof PdfDict ? resolved : undefined;
  }

  array(value: PdfValue | undefined): PdfValue[] {
    const resolved = this.resolve(value);
    return Array.isArray(resolved) ? resolved : [];
  }

  /** The decoded data of a stream object (FlateDecode or none), each inflation capped by PDF_LIMITS. */
  streamData(value: PdfValue | undefined): StreamData {
    const object =
      value instanceof PdfRef ? this.objects.get(value.num) : undefined;
    if (object?.stream == null || !(object.value instanceof PdfDict))
      return { problem: "is not in the document" };
    const filter = this.resolve(object.value.get("Filter"));
    const filters = Array.isArray(filter)
      ? filter
      : filter === undefined
        ? []
        : [filter];
    if (filters.length > PDF_LIMITS.filters)
      return {
        problem: `is encoded ${filters.length} times over; Cellcert decodes at most ${PDF_LIMITS.filters}`,
      };
    let data = object.stream;
    for (const f of filters) {
      const name = f instanceof PdfName ? f.name : undefined;
      if (name !== "FlateDecode")
        return {
          problem: `is encoded with ${name === undefined ? "a filter that is not a name" : `/${name}`}, which Cellcert does not decode`,
        };
      const room = PDF_LIMITS.inflatedBytes - this.inflated.bytes;
      const cap = Math.min(PDF_LIMITS.streamBytes, room);
      try {
        // One byte more than the cap tells "exactly the cap" from "more".
        const inflated = inflateSync(data, { maxOutputLength: cap + 1 });
        if (inflated.length > cap) throw new RangeError("over the cap");
        this.inflated.bytes += inflated.length;
        data = new Uint8Array(
          inflated.buffer,
          inflated.byteOffset,
          inflated.byteLength,
        );
      } catch (error) {
        if (error instanceof RangeError)
          return {
            problem:
              cap < PDF_LIMITS.streamBytes
                ? `would take the document's decoded streams past ${PDF_LIMITS.inflatedBytes / MiB} MiB, more than Cellcert reads of one document`
                : `inflates to more than ${PDF_LIMITS.streamBytes / MiB} MiB, more than Cellcert reads of one stream`,
          };
        return {
          problem: `is damaged: its compressed data cannot be inflated (${error instanceof Error ? error.message : String(error)})`,
        };
      }
    }
    return { data };
  }
}

export function nameOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfName ? value.name : undefined;
}

export function textOf(value: PdfValue | undefined): string | undefined {
  return value instanceof PdfString ? value.text() : undefined;
}

/** "D:20260302150000Z", "D:20260302150000+01'00'" → ISO 8601 UTC, or undefined. */
export function parsePdfDate(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m =
    /^D:(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?/.exec(
      text,
    );
  if (m === null) return undefined;
  const [, y, mo = "01", d = "01", h = "00", mi = "00", s = "00", zone = "Z"] =
    m;
  const offset = /^[Zz]$/.test(zone)
    ? "Z"
    : `${zone.slice(0, 3)}:${zone.replace(/'/g, "").slice(3, 5)}`;
  const date = new Date(`${y ?? "0000"}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

// ---- one pass over the file ---------------------------------------------------------------------------------

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function readObjects(bytes: Uint8Array, length: number): PdfReading {
  const buffer = view(bytes);
  const definitions: PdfObject[] = [];
  const budget = { values: PDF_LIMITS.values };
  // The next "obj" is looked for from `cursor`; its "N G" may begin as far back as `floor`.
  let cursor = 0;
  let floor = 0;
  let headers = 0;
  for (;;) {
    const header = nextObjectHeader(buffer, cursor, floor, length);
    if (header === null) return { definitions, stopped: null };
    if (++headers > PDF_LIMITS.objects)
      return {
        definitions,
        stopped: {
          reason: `The document holds more than ${PDF_LIMITS.objects.toLocaleString("en")} objects; Cellcert read no further.`,
          at: header.start,
        },
      };
    const lexer = new Lexer(bytes, header.end, length, budget);
    try {
      const value = lexer.value(0);
      let stream: Uint8Array | null = null;
      lexer.skipSpace();
      if (value instanceof PdfDict && lexer.keyword("stream")) {
        let start = lexer.position;
        if (bytes[start] === 0x0d) start += 1;
        if (bytes[start] === 0x0a) start += 1;
        const declared = value.get("Length");
        let end =
          typeof declared === "number" &&
          Number.isInteger(declared) &&
          declared >= 0 &&
          start + declared <= length
            ? start + declared
            : buffer.indexOf("endstream", start, "latin1");
        if (end < 0 || end > length) end = length;
        stream = bytes.subarray(start, end);
        lexer.position = end;
      }
      definitions.push({
        num: header.num,
        gen: header.gen,
        value,
        stream,
        end: lexer.position,
      });
      cursor = floor = lexer.position;
    } catch (error) {
      if (error instanceof PdfLimitError)
        return {
          definitions,
          stopped: { reason: error.message, at: header.start },
        };
      if (!(error instanceof PdfSyntaxError)) throw error;
      // A damaged object is skipped from where reading it failed (the header of the next one may be what it
      // stumbled on); what depends on it is reported missing.
      cursor = Math.max(lexer.position, header.end);
      floor = header.end;
    }
  }
}

/** At most this much whitespace, and this many digits, in an object header "N G obj". */
const HEADER_SPACE = 32;
const HEADER_DIGITS = 10;

/** The next "N G obj" whose "obj" is at or after `from` and whose "N" is at or after `floor`: each "obj" is
 * looked at once, and back a bounded way. */
function nextObjectHeader(
  buffer: Buffer,
  from: number,
  floor: number,
  length: number,
): { num: number; gen: number; start: number; end: number } | null {
  let at = from;
  for (;;) {
    const keyword = buffer.indexOf("obj", at, "latin1");
    if (keyword < 0 || keyword + 3 > length) return null;
    at = keyword + 3;
    const after = keyword + 3 < length ? (buffer[keyword + 3] ?? -1) : -1;
    if (after !== -1 && !is(after, WHITESPACE | DELIMITER)) continue;
    let i = keyword - 1;
    const back = (kind: "space" | "digits"): number => {
      const stop = i;
      const most = kind === "space" ? HEADER_SPACE : HEADER_DIGITS;
      while (
        i >= floor &&
        stop - i < most &&
        (kind === "space"
          ? is(buffer[i] ?? -1, WHITESPACE)
          : isDigit(buffer[i]))
      )
        i--;
      return stop - i;
    };
    if (back("space") === 0) continue;
    const genEnd = i + 1;
    if (back("digits") === 0) continue;
    const genStart = i + 1;
    if (back("space") === 0) continue;
    const numEnd = i + 1;
    if (back("digits") === 0) continue;
    const numStart = i + 1;
    if (i >= floor && isDigit(buffer[i])) continue; // more digits than an object number has
    return {
      num: Number(buffer.toString("latin1", numStart, numEnd)),
      gen: Number(buffer.toString("latin1", genStart, genEnd)),
      start: numStart,
      end: keyword + 3,
    };
  }
}

/** The last trailer dictionary before `length`. */
function readTrailer(bytes: Uint8Array, length: number): PdfDict | null {
  if (length < "trailer".length) return null;
  const at = view(bytes).lastIndexOf(
    "trailer",
    length - "trailer".length,
    "latin1",
  );
  if (at < 0) return null;
  try {
    const value = new Lexer(bytes, at + "trailer".length, length, {
      values: 10_000,
    }).value(0);
    return value instanceof PdfDict ? value : null;
  } catch (error) {
    if (error instanceof PdfSyntaxError || error instanceof PdfLimitError)
      return null;
    throw error;
  }
}

// ---- tokens -------------------------------------------------------------------------------------------------

class Lexer {
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
