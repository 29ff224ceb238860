// OPC UA binary encoding (OPC 10000-6 §5.2), just the types GetEndpoints needs, little-endian. The reader is
// bounded: every length is checked against the bytes left before anything is allocated, and nesting is capped,
// so hostile bytes end in an OpcuaDecodeError, never a hang, a crash or a huge allocation.

/** A message that is not well-formed OPC UA binary; `code` names the fault for the evidence. */
export class OpcuaDecodeError extends Error {
  override readonly name = "OpcuaDecodeError";
  constructor(
    readonly code: "truncated" | "malformed" | "too-large",
    message: string,
  ) {
    super(message);
  }
}

/** DateTime: 100-ns ticks since 1601-01-01 UTC. */
const EPOCH_1601_MS = Date.UTC(1601, 0, 1);
const MAX_DIAGNOSTIC_DEPTH = 8;

export class UaReader {
  private offset = 0;

  constructor(private readonly bytes: Buffer) {}

  get remaining(): number {
    return this.bytes.length - this.offset;
  }

  get position(): number {
    return this.offset;
  }

  private need(count: number, what: string): void {
    if (count > this.remaining) {
      throw new OpcuaDecodeError(
        "truncated",
        `the message ends inside ${what}`,
      );
    }
  }

  uint8(what = "a Byte"): number {
    this.need(1, what);
    const value = this.bytes.readUInt8(this.offset);
    this.offset += 1;
    return value;
  }

  uint16(what = "a UInt16"): number {
    this.need(2, what);
    const value = this.bytes.readUInt16LE(this.offset);
    this.offset += 2;
    return value;
  }

  uint32(what = "a UInt32"): number {
    this.need(4, what);
    const value = this.bytes.readUInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  int32(what = "an Int32"): number {
    this.need(4, what);
    const value = this.bytes.readInt32LE(this.offset);
    this.offset += 4;
    return value;
  }

  /** DateTime as milliseconds since 1970, or null for the minimum (0) and values beyond JavaScript's range. */
  dateTime(what = "a DateTime"): number | null {
    this.need(8, what);
    const ticks = this.bytes.readBigInt64LE(this.offset);
    this.offset += 8;
    if (ticks <= 0n) return null;
    const ms = EPOCH_1601_MS + Number(ticks / 10_000n);
    return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15 ? ms : null;
  }

  bytesOf(count: number, what: string): Buffer {
    this.need(count, what);
    const slice = this.bytes.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  /** Int32 length then the bytes; -1 is null (returned as null). Other negative lengths are malformed. */
  byteString(what = "a ByteString"): Buffer | null {
    const length = this.int32(`the length of ${what}`);
    if (length === -1) return null;
    if (length < 0) {
      throw new OpcuaDecodeError(
        "malformed",
        `${what} has the negative length ${length}`,
      );
    }
    return this.bytesOf(length, what);
  }

  /** A UTF-8 String; null and empty both read as "". */
  string(what = "a String"): string {
    return this.byteString(what)?.toString("utf8") ?? "";
  }

  /** An array's length: -1 (null) reads as 0. Each element takes at least `minElementBytes`, so a length larger
   * than the bytes left could ever hold is malformed before anything is allocated. */
  arrayLength(what: string, minElementBytes: number): number {
    const length = this.int32(`the length of ${what}`);
    if (length === -1) return 0;
    if (length < 0) {
      throw new OpcuaDecodeError(
        "malformed",
        `${what} has the negative length ${length}`,
      );
    }
    if (length * minElementBytes > this.remaining) {
      throw new OpcuaDecodeError(
        "truncated",
        `${what} claims ${length} elements, more than the message holds`,
      );
    }
    return length;
  }

  array<T>(what: string, minElementBytes: number, read: () => T): T[] {
    const length = this.arrayLength(what, minElementBytes);
    const items: T[] = [];
    for (let i = 0; i < length; i++) items.push(read());
    return items;
  }

  stringArray(what: string): string[] {
    return this.array(what, 4, () => this.string(`an element of ${what}`));
  }

  /** LocalizedText: an encoding mask, then the locale and the text where the mask says so. Returns the text. */
  localizedText(what = "a LocalizedText"): string {
    const mask = this.uint8(what);
    if ((mask & ~0x03) !== 0) {
      throw new OpcuaDecodeError(
        "malformed",
        `${what} has the unknown encoding mask 0x${mask.toString(16)}`,
      );
    }
    if (mask & 0x01) this.string(`the locale of ${what}`);
    return mask & 0x02 ? this.string(`the text of ${what}`) : "";
  }

  /** A NodeId or ExpandedNodeId (OPC 10000-6 §5.2.2.9–10): numeric ids as {namespace, id}, others as text. */
  expandedNodeId(what = "a NodeId"): {
    namespace: number;
    numeric: number | null;
    text: string;
  } {
    const encoding = this.uint8(what);
    const kind = encoding & 0x0f;
    let namespace = 0;
    let numeric: number | null = null;
    let text = "";
    switch (kind) {
      case 0x00:
        numeric = this.uint8(what);
        break;
      case 0x01:
        namespace = this.uint8(what);
        numeric = this.uint16(what);
        break;
      case 0x02:
        namespace = this.uint16(what);
        numeric = this.uint32(what);
        break;
      case 0x03:
        namespace = this.uint16(what);
        text = `s=${this.string(what)}`;
        break;
      case 0x04:
        namespace = this.uint16(what);
        text = `g=${this.bytesOf(16, what).toString("hex")}`;
        break;
      case 0x05: {
        namespace = this.uint16(what);
        text = `b=${(this.byteString(what) ?? Buffer.alloc(0)).toString("base64")}`;
        break;
      }
      default:
        throw new OpcuaDecodeError(
          "malformed",
          `${what} has the unknown encoding 0x${encoding.toString(16)}`,
        );
    }
    if (encoding & 0x80) this.string(`the namespace URI of ${what}`);
    if (encoding & 0x40) this.uint32(`the server index of ${what}`);
    return { namespace, numeric, text };
  }

  /** DiagnosticInfo (OPC 10000-6 §5.2.2.12), read and dropped; nesting capped. */
  skipDiagnosticInfo(depth = 0): void {
    if (depth > MAX_DIAGNOSTIC_DEPTH) {
      throw new OpcuaDecodeError(
        "malformed",
        `a DiagnosticInfo is nested deeper than ${MAX_DIAGNOSTIC_DEPTH} levels`,
      );
    }
    const mask = this.uint8("a DiagnosticInfo");
    if (mask & 0x80) {
      throw new OpcuaDecodeError(
        "malformed",
        `a DiagnosticInfo has the unknown encoding mask 0x${mask.toString(16)}`,
      );
    }
    // Field order: SymbolicId, NamespaceUri, Locale, LocalizedText, AdditionalInfo, InnerStatusCode, Inner….
    if (mask & 0x01) this.int32("a DiagnosticInfo's symbolic id");
    if (mask & 0x02) this.int32("a DiagnosticInfo's namespace");
    if (mask & 0x08) this.int32("a DiagnosticInfo's locale");
    if (mask & 0x04) this.int32("a DiagnosticInfo's localized text");
    if (mask & 0x10) this.string("a DiagnosticInfo's additional info");
    if (mask & 0x20) this.uint32("a DiagnosticInfo's inner status code");
    if (mask & 0x40) this.skipDiagnosticInfo(depth + 1);
  }

  /** ExtensionObject: a type NodeId, an encoding byte, and a body; read and dropped. */
  skipExtensionObject(what = "an ExtensionObject"): void {
    this.expandedNodeId(`the type of ${what}`);
    const encoding = this.uint8(what);
    if (encoding === 0x00) return;
    if (encoding === 0x01 || encoding === 0x02) {
      this.byteString(`the body of ${what}`);
      return;
    }
    throw new OpcuaDecodeError(
      "malformed",
      `${what} has the unknown encoding 0x${encoding.toString(16)}`,
    );
  }
}

/** Grows as it is written; little-endian like the reader. */
export class UaWriter {
  private readonly parts: Buffer[] = [];

  uint8(value: number): this {
    const b = Buffer.alloc(1);
    b.writeUInt8(value);
    this.parts.push(b);
    return this;
  }

  uint16(value: number): this {
    const b = Buffer.alloc(2);
    b.writeUInt16LE(value);
    this.parts.push(b);
    return this;
  }

  uint32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(value >>> 0);
    this.parts.push(b);
    return this;
  }

  int32(value: number): this {
    const b = Buffer.alloc(4);
    b.writeInt32LE(value);
    this.parts.push(b);
    return this;
  }

  dateTime(ms: number | null): this {
    const b = Buffer.alloc(8);
    b.writeBigInt64LE(
      ms === null ? 0n : BigInt(Math.round(ms - EPOCH_1601_MS)) * 10_000n,
    );
    this.parts.push(b);
    return this;
  }

  raw(bytes: Buffer): this {
    this.parts.push(bytes);
    return this;
  }

  byteString(bytes: Buffer | null): this {
    if (bytes === null) return this.int32(-1);
    return this.int32(bytes.length).raw(bytes);
  }

  string(text: string | null): this {
    return this.byteString(text === null ? null : Buffer.from(text, "utf8"));
  }

  /** A NodeId in its shortest numeric form (namespace 0 assumed below 256 for the two-byte form). */
  numericNodeId(id: number, namespace = 0): this {
    if (namespace === 0 && id <= 0xff) return this.uint8(0x00).uint8(id);
    if (namespace <= 0xff && id <= 0xffff)
      return this.uint8(0x01).uint8(namespace).uint16(id);
    return this.uint8(0x02).uint16(namespace).uint32(id);
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}
