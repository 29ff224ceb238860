// A small reader of classic PDF files (cross-reference tables, no object streams), enough for the verifier to
// find the signature dictionary, the document information and the embedded files of a certificate. Objects
// are found by scanning, not through the xref, so a damaged table does not hide what the file holds; the
// last definition of an object wins, as in an incremental update.
import { inflateSync } from "node:zlib";

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
  constructor(
    readonly bytes: Uint8Array,
    /** Offsets of the whole token in the file: "(" or "<" to ")" or ">" inclusive, end exclusive. */
    readonly start: number,
    readonly end: number,
    readonly hex: boolean,
  ) {}

  /** A PDF text string: UTF-16BE with a byte order mark, or PDFDocEncoding (read as Latin-1). */
  text(): string {
    const b = this.bytes;
    if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
      return Buffer.from(b.subarray(2)).swap16().toString("utf16le");
    return Buffer.from(b).toString("latin1");
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
}

export class PdfSyntaxError extends Error {
  override readonly name = "PdfSyntaxError";
}

const WHITESPACE = new Set([0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]);
const DELIMITERS = new Set([
  0x28, 0x29, 0x3c, 0x3e, 0x5b, 0x5d, 0x7b, 0x7d, 0x2f, 0x25,
]);
const MAX_DEPTH = 64;

export class PdfFile {
  readonly objects = new Map<number, PdfObject>();
  readonly trailer: PdfDict | null;

  /** Reads `bytes[0, length)`: the whole file, or only its signed revision. */
  constructor(
    readonly bytes: Uint8Array,
    length = bytes.length,
  ) {
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, length).toString(
      "latin1",
    );
    const header = /(\d+)\s+(\d+)\s+obj\b/g;
    let match: RegExpExecArray | null;
    while ((match = header.exec(text)) !== null) {
      const num = Number(match[1]);
      const gen = Number(match[2]);
      try {
        const lexer = new Lexer(bytes, match.index + match[0].length, length);
        const value = lexer.value(0);
        let stream: Uint8Array | null = null;
        lexer.skipSpace();
        if (lexer.keyword("stream") && value instanceof PdfDict) {
          let start = lexer.position;
          if (bytes[start] === 0x0d) start += 1;
          if (bytes[start] === 0x0a) start += 1;
          const declared = value.get("Length");
          let end =
            typeof declared === "number" && start + declared <= length
              ? start + declared
              : text.indexOf("endstream", start);
          if (end < 0) end = length;
          stream = bytes.subarray(start, end);
          header.lastIndex = end;
        } else header.lastIndex = lexer.position;
        this.objects.set(num, { num, gen, value, stream });
      } catch {
        // A damaged object is skipped; what depends on it is reported missing.
      }
    }
    const trailerAt = text.lastIndexOf("trailer");
    let trailer: PdfDict | null = null;
    if (trailerAt >= 0) {
      try {
        const value = new Lexer(
          bytes,
          trailerAt + "trailer".length,
          length,
        ).value(0);
        if (value instanceof PdfDict) trailer = value;
      } catch {
        trailer = null;
      }
    }
    this.trailer = trailer;
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

  /** The decoded data of a stream object (FlateDecode or none); undefined when it cannot be decoded. */
  streamData(value: PdfValue | undefined): Uint8Array | undefined {
    if (!(value instanceof PdfRef)) return undefined;
    const object = this.objects.get(value.num);
    if (object?.stream == null || !(object.value instanceof PdfDict))
      return undefined;
    const filter = this.resolve(object.value.get("Filter"));
    const filters = Array.isArray(filter)
      ? filter
      : filter === undefined
        ? []
        : [filter];
    let data = object.stream;
    for (const f of filters) {
      if (!(f instanceof PdfName)) return undefined;
      if (f.name !== "FlateDecode") return undefined;
      try {
        data = new Uint8Array(inflateSync(data));
      } catch {
        return undefined;
      }
    }
    return data;
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

class Lexer {
  position: number;

  constructor(
    private readonly bytes: Uint8Array,
    start: number,
    private readonly limit: number,
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
        while (
          this.peek() !== -1 &&
          this.peek() !== 0x0a &&
          this.peek() !== 0x0d
        )
          this.position++;
      } else if (WHITESPACE.has(c)) this.position++;
      else return;
    }
  }

  keyword(word: string): boolean {
    for (let i = 0; i < word.length; i++)
      if (this.peek(i) !== word.charCodeAt(i)) return false;
    const after = this.peek(word.length);
    if (after !== -1 && !WHITESPACE.has(after) && !DELIMITERS.has(after))
      return false;
    this.position += word.length;
    return true;
  }

  value(depth: number): PdfValue {
    if (depth > MAX_DEPTH) throw new PdfSyntaxError("nested too deeply");
    this.skipSpace();
    const c = this.peek();
    const start = this.position;
    if (c === -1) throw new PdfSyntaxError("unexpected end of data");
    if (c === 0x2f) return new PdfName(this.name());
    if (c === 0x28) return this.literalString();
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
    if (number === null)
      throw new PdfSyntaxError(`unexpected byte at ${start}`);
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
    while (/[0-9+\-.]/.test(String.fromCharCode(this.peek()))) this.position++;
    if (this.position === start) return null;
    const value = Number(
      Buffer.from(this.bytes.subarray(start, this.position)).toString("latin1"),
    );
    if (Number.isNaN(value)) throw new PdfSyntaxError(`bad number at ${start}`);
    return value;
  }

  private name(): string {
    this.position++; // "/"
    const start = this.position;
    for (;;) {
      const c = this.peek();
      if (c === -1 || WHITESPACE.has(c) || DELIMITERS.has(c)) break;
      this.position++;
    }
    return Buffer.from(this.bytes.subarray(start, this.position))
      .toString("latin1")
      .replace(/#([0-9a-fA-F]{2})/g, (_m, hex: string) =>
        String.fromCharCode(parseInt(hex, 16)),
      );
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
        throw new PdfSyntaxError(`dictionary key expected at ${this.position}`);
      const key = this.name();
      entries.set(key, this.value(depth + 1));
    }
  }

  private hexString(): PdfString {
    const start = this.position;
    const end = indexOfByte(this.bytes, 0x3e, start + 1, this.limit);
    if (end < 0) throw new PdfSyntaxError("unterminated hex string");
    let hex = Buffer.from(this.bytes.subarray(start + 1, end))
      .toString("latin1")
      .replace(/\s+/g, "");
    if (!/^[0-9a-fA-F]*$/.test(hex))
      throw new PdfSyntaxError(`bad hex string at ${start}`);
    if (hex.length % 2 === 1) hex += "0";
    this.position = end + 1;
    return new PdfString(
      new Uint8Array(Buffer.from(hex, "hex")),
      start,
      this.position,
      true,
    );
  }

  private literalString(): PdfString {
    const start = this.position;
    this.position++;
    const out: number[] = [];
    let depth = 1;
    for (;;) {
      const c = this.peek();
      if (c === -1) throw new PdfSyntaxError("unterminated string");
      this.position++;
      if (c === 0x5c) {
        const e = this.peek();
        this.position++;
        const simple: Record<number, number> = {
          0x6e: 10,
          0x72: 13,
          0x74: 9,
          0x62: 8,
          0x66: 12,
          0x28: 0x28,
          0x29: 0x29,
          0x5c: 0x5c,
        };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let octal = e - 0x30;
          for (
            let i = 0;
            i < 2 && this.peek() >= 0x30 && this.peek() <= 0x37;
            i++
          ) {
            octal = octal * 8 + (this.peek() - 0x30);
            this.position++;
          }
          out.push(octal & 0xff);
        } else if (e === 0x0d) {
          if (this.peek() === 0x0a) this.position++;
        } else if (e !== 0x0a) out.push(e);
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        depth--;
        if (depth === 0) break;
        out.push(c);
      } else out.push(c);
    }
    return new PdfString(new Uint8Array(out), start, this.position, false);
  }
}

function indexOfByte(
  bytes: Uint8Array,
  byte: number,
  from: number,
  limit: number,
): number {
  for (let i = from; i < limit; i++) if (bytes[i] === byte) return i;
  return -1;
}
