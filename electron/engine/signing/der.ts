// A small DER reader that keeps each element's place in the input, so the verifier can hash and check exactly
// the bytes that were signed (re-encoding could hide a difference). BER's indefinite lengths are refused.

export interface DerNode {
  /** 0 universal, 1 application, 2 context-specific, 3 private. */
  tagClass: number;
  constructed: boolean;
  tag: number;
  /** Offsets in the input: the whole element, and its contents. */
  start: number;
  contentStart: number;
  end: number;
  children: DerNode[];
}

export class DerError extends Error {
  override readonly name = "DerError";
}

const MAX_DEPTH = 32;
/** Elements in one reading: a certificate holds about 100, a signature with its chain a few hundred. */
const MAX_ELEMENTS = 200_000;

export interface ReadDerOptions {
  /** Constructed elements not to read into (their children stay empty): parts another reading judges, such as
   * a CMS's unsigned attributes, whose content need not be DER for the signature to be read. */
  opaque?: (node: Omit<DerNode, "children">, depth: number) => boolean;
}

/** Reads one element at `offset`; constructed elements are read down to their leaves. */
export function readDer(
  bytes: Uint8Array,
  offset = 0,
  options: ReadDerOptions = {},
): DerNode {
  return readElement(bytes, offset, 0, { elements: MAX_ELEMENTS }, options);
}

function readElement(
  bytes: Uint8Array,
  offset: number,
  depth: number,
  budget: { elements: number },
  options: ReadDerOptions,
): DerNode {
  if (depth > MAX_DEPTH) throw new DerError("ASN.1 nested too deeply");
  if (--budget.elements < 0)
    throw new DerError(
      `more than ${MAX_ELEMENTS.toLocaleString("en")} ASN.1 elements`,
    );
  let position = offset;
  const first = byteAt(bytes, position++);
  const tagClass = first >> 6;
  const constructed = (first & 0x20) !== 0;
  let tag = first & 0x1f;
  if (tag === 0x1f) {
    tag = 0;
    for (let i = 0; ; i++) {
      if (i > 4) throw new DerError("ASN.1 tag too long");
      const next = byteAt(bytes, position++);
      tag = tag * 128 + (next & 0x7f);
      if ((next & 0x80) === 0) break;
    }
  }
  let length = byteAt(bytes, position++);
  if (length === 0x80) throw new DerError("indefinite length (BER), not DER");
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw new DerError("ASN.1 length too long");
    length = 0;
    for (let i = 0; i < count; i++)
      length = length * 256 + byteAt(bytes, position++);
  }
  const contentStart = position;
  const end = contentStart + length;
  if (end > bytes.length)
    throw new DerError("ASN.1 element runs past the end of its data");
  const children: DerNode[] = [];
  const header = {
    tagClass,
    constructed,
    tag,
    start: offset,
    contentStart,
    end,
  };
  if (constructed && options.opaque?.(header, depth) !== true) {
    let child = contentStart;
    while (child < end) {
      const node = readElement(bytes, child, depth + 1, budget, options);
      if (node.end > end)
        throw new DerError("ASN.1 element runs past its parent");
      children.push(node);
      child = node.end;
    }
  }
  return { ...header, children };
}

function byteAt(bytes: Uint8Array, index: number): number {
  const value = bytes[index];
  if (value === undefined) throw new DerError("ASN.1 data ends early");
  return value;
}

export const UNIVERSAL = 0;
export const CONTEXT = 2;
export const TAG = {
  integer: 2,
  bitString: 3,
  octetString: 4,
  null: 5,
  oid: 6,
  sequence: 16,
  set: 17,
} as const;

export function contents(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.contentStart, node.end);
}

export function whole(bytes: Uint8Array, node: DerNode): Uint8Array {
  return bytes.subarray(node.start, node.end);
}

export function child(
  node: DerNode | undefined,
  index: number,
): DerNode | undefined {
  return node?.children[index];
}

export function isUniversal(
  node: DerNode | undefined,
  tag: number,
): node is DerNode {
  return node !== undefined && node.tagClass === UNIVERSAL && node.tag === tag;
}

export function isContext(
  node: DerNode | undefined,
  tag: number,
): node is DerNode {
  return node !== undefined && node.tagClass === CONTEXT && node.tag === tag;
}

/** "1.2.840.113549.1.7.2" from an OBJECT IDENTIFIER element. */
export function readOid(bytes: Uint8Array, node: DerNode | undefined): string {
  if (!isUniversal(node, TAG.oid))
    throw new DerError("expected an OBJECT IDENTIFIER");
  const body = contents(bytes, node);
  const parts: number[] = [];
  let value = 0;
  for (const byte of body) {
    value = value * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2;
        parts.push(first, value - first * 40);
      } else parts.push(value);
      value = 0;
    }
  }
  return parts.join(".");
}
