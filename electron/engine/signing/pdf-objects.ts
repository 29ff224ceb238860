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
import {
  Lexer,
  PDF_LIMITS,
  PdfDict,
  PdfLimitError,
  PdfName,
  PdfRef,
  PdfString,
  PdfSyntaxError,
  DELIMITER,
  WHITESPACE,
  is,
  isDigit,
  view,
  type PdfValue,
} from "./pdf-lexer";

export { PDF_LIMITS, PdfDict, PdfName, PdfRef, PdfString, type PdfValue };

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
