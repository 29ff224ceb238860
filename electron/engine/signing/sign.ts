// Signing a prepared PDF: patch /ByteRange around the /Contents hole, hash everything but the hole, and put the
// CMS SignedData into the hole — with the signature time-stamp of PAdES B-T as its unsigned attribute when a TSA
// is asked. Bytes in, bytes out; the file keeps its length, so its xref stays right, and nothing is appended.
import { createHash } from "node:crypto";
import {
  signCms,
  type CmsSignature,
  type CmsSigner,
  type SignedDataOptions,
} from "./cms";
import { BYTE_RANGE_PLACEHOLDER } from "./placeholder";

export interface SignatureHole {
  /** Offset of "<" of /Contents, and just after its ">". */
  start: number;
  end: number;
}

/** The CMS (with its time-stamp) is larger than the room reserved for it: sign again with `needed` bytes. */
export class SignatureRoomError extends Error {
  override readonly name = "SignatureRoomError";
  constructor(
    readonly needed: number,
    readonly room: number,
  ) {
    super(
      `The signature (${needed} bytes) does not fit the ${room} bytes reserved for it.`,
    );
  }
}

/** Where the prepared document's /ByteRange placeholder and /Contents hole are, and the room in the hole. */
export function findSignatureHole(pdf: Uint8Array): {
  byteRangeAt: number;
  hole: SignatureHole;
  room: number;
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
  const close = buffer.indexOf(">", start, "latin1");
  const hex = close < 0 ? "" : buffer.toString("latin1", start + 1, close);
  if (hex.length === 0 || hex.length % 2 !== 0 || !/^0+$/.test(hex))
    throw new Error("The /Contents placeholder is not an empty hole.");
  return { byteRangeAt, hole: { start, end: close + 1 }, room: hex.length / 2 };
}

/** Signs a document prepared with addSignatureField; returns the signed bytes (same length). PAdES B-B. */
export function signPreparedPdf(
  pdf: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions = {},
): Uint8Array {
  const begun = beginSignature(pdf, signer, options);
  return begun.fill(begun.signature.encode());
}

/**
 * Signs, then asks `timeStamp` for a token over the signature value and puts it in as the unsigned attribute
 * id-aa-signatureTimeStampToken (PAdES B-T). Throws what `timeStamp` throws; SignatureRoomError when the
 * signature with its token does not fit.
 */
export async function signPreparedPdfWithTimeStamp(
  pdf: Uint8Array,
  signer: CmsSigner,
  timeStamp: (signatureValue: Uint8Array) => Promise<Uint8Array>,
): Promise<Uint8Array> {
  const begun = beginSignature(pdf, signer, {});
  const token = await timeStamp(begun.signature.signatureValue);
  return begun.fill(begun.signature.encode({ timeStampToken: token }));
}

interface BegunSignature {
  signature: CmsSignature;
  /** The signed document with `cms` in its hole. */
  fill(cms: Uint8Array): Uint8Array;
}

function beginSignature(
  pdf: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions,
): BegunSignature {
  const signed = Buffer.from(pdf);
  const { byteRangeAt, hole, room } = findSignatureHole(signed);
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
  return {
    signature: signCms(digest, signer, options),
    fill: (cms) => {
      if (cms.length > room) throw new SignatureRoomError(cms.length, room);
      signed.write(
        Buffer.from(cms).toString("hex").toUpperCase(),
        hole.start + 1,
        "latin1",
      );
      return new Uint8Array(
        signed.buffer,
        signed.byteOffset,
        signed.byteLength,
      );
    },
  };
}
