// Signing a prepared PDF: patch /ByteRange around the /Contents hole, hash everything but the hole, and put the
// CMS SignedData into the hole. Bytes in, bytes out; the file keeps its length, so its xref stays right.
import { createHash } from "node:crypto";
import { buildSignedData, type CmsSigner, type SignedDataOptions } from "./cms";
import {
  BYTE_RANGE_PLACEHOLDER,
  SIGNATURE_CONTENTS_BYTES,
} from "./placeholder";

export interface SignatureHole {
  /** Offset of "<" of /Contents, and just after its ">". */
  start: number;
  end: number;
}

/** Where the prepared document's /ByteRange placeholder and /Contents hole are. */
export function findSignatureHole(pdf: Uint8Array): {
  byteRangeAt: number;
  hole: SignatureHole;
} {
  const buffer = Buffer.from(pdf.buffer, pdf.byteOffset, pdf.byteLength);
  const byteRangeAt = buffer.indexOf(BYTE_RANGE_PLACEHOLDER, 0, "latin1");
  if (
    byteRangeAt < 0 ||
    buffer.indexOf(BYTE_RANGE_PLACEHOLDER, byteRangeAt + 1, "latin1") >= 0
  )
    throw new Error("The document has no single signature placeholder.");
  const contentsKey = buffer.indexOf("/Contents <", byteRangeAt, "latin1");
  if (contentsKey < 0)
    throw new Error("The signature placeholder has no /Contents.");
  const start = contentsKey + "/Contents ".length;
  const end = start + 2 * SIGNATURE_CONTENTS_BYTES + 2;
  if (buffer[end - 1] !== 0x3e /* > */)
    throw new Error("The /Contents placeholder is not the reserved size.");
  return { byteRangeAt, hole: { start, end } };
}

/** Signs a document prepared with addSignatureField; returns the signed bytes (same length). */
export function signPreparedPdf(
  pdf: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions = {},
): Uint8Array {
  const signed = Buffer.from(pdf);
  const { byteRangeAt, hole } = findSignatureHole(signed);
  const byteRange = `/ByteRange [0 ${hole.start} ${hole.end} ${signed.length - hole.end}]`;
  if (byteRange.length > BYTE_RANGE_PLACEHOLDER.length)
    throw new Error(
      "The document is too large for its /ByteRange placeholder.",
    );
  signed.write(
    byteRange.padEnd(BYTE_RANGE_PLACEHOLDER.length, " "),
    byteRangeAt,
    "latin1",
  );

  const digest = createHash("sha256")
    .update(signed.subarray(0, hole.start))
    .update(signed.subarray(hole.end))
    .digest();
  const cms = buildSignedData(digest, signer, options);
  if (cms.length > SIGNATURE_CONTENTS_BYTES)
    throw new Error(
      `The signature (${cms.length} bytes) does not fit the ${SIGNATURE_CONTENTS_BYTES} bytes reserved for it.`,
    );
  signed.write(
    Buffer.from(cms).toString("hex").toUpperCase(),
    hole.start + 1,
    "latin1",
  );
  return new Uint8Array(signed.buffer, signed.byteOffset, signed.byteLength);
}
