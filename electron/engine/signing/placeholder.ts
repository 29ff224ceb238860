// The signature field of a PAdES signature, written by pdfkit into the document before it is signed: a
// signature dictionary with SubFilter ETSI.CAdES.detached, a /ByteRange to be patched, a /Contents hole of
// zero bytes (signatureRoom: the CMS and, with a TSA, its RFC 3161 time-stamp token), /M, and a widget over
// the visible signature block on its page. pdfkit has no signature support, so this reaches into its
// document internals (`_root`, `_acroform`), which are stable across 0.1x–0.20.
import { SIGNATURE_SUB_FILTER } from "./document-format";

/** The least room for the CMS: ~3–4 KB with two RSA-3072 certificates, a time-stamp token 2–8 KB more. */
export const SIGNATURE_CONTENTS_BYTES = 24 * 1024;
/** What a time-stamp token may take beyond the signer's own CMS: its TSTInfo, signature and certificates. */
export const TIME_STAMP_ROOM_BYTES = 16 * 1024;

/**
 * The /Contents room for a signer's CMS: its certificates, signed attributes and signature (2 KiB is more
 * than RSA-4096 needs), with room for a time-stamp token when one is asked; never less than
 * SIGNATURE_CONTENTS_BYTES, rounded up to a KiB. A token that still does not fit is signed again with the room
 * it needs (report/issue.ts).
 */
export function signatureRoom(options: {
  certificateDers: readonly Uint8Array[];
  timeStamped: boolean;
}): number {
  const certificates = options.certificateDers.reduce(
    (sum, der) => sum + der.length,
    0,
  );
  const needed =
    certificates + 2048 + (options.timeStamped ? TIME_STAMP_ROOM_BYTES : 0);
  return Math.max(SIGNATURE_CONTENTS_BYTES, Math.ceil(needed / 1024) * 1024);
}
/** Written by pdfkit as-is and patched in place after layout: ten digits per number, same length after. */
export const BYTE_RANGE_PLACEHOLDER_NUMBER = 9_999_999_999;
export const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 ${BYTE_RANGE_PLACEHOLDER_NUMBER} ${BYTE_RANGE_PLACEHOLDER_NUMBER} ${BYTE_RANGE_PLACEHOLDER_NUMBER}]`;

export interface SignatureFieldOptions {
  /** The visible signature block on the current page, in pdfkit's top-left coordinates (points). */
  rect: { x: number; y: number; width: number; height: number };
  fieldName: string;
  /** The signer's name as readers show it. */
  signerName: string;
  reason: string;
  location: string;
  contactInfo?: string;
  /** /M: the signing time (laptop clock). */
  signingTime: Date;
  /** Bytes reserved in /Contents; SIGNATURE_CONTENTS_BYTES by default. */
  contentsBytes?: number;
}

interface PdfKitReference {
  data: Record<string, unknown>;
  end(chunk?: string): void;
}

/** The parts of pdfkit's document that carry no public API for signature fields. */
interface PdfKitInternals {
  ref(data: object): PdfKitReference;
  page: {
    height: number;
    dictionary: PdfKitReference;
    annotations: PdfKitReference[];
  };
  _root: PdfKitReference;
  _acroform?: { fonts: Record<string, unknown>; defaultFont: string };
}

/** Adds the signature field to the document's current page. Call once, before `doc.end()`. */
export function addSignatureField(
  document: PDFKit.PDFDocument,
  options: SignatureFieldOptions,
): void {
  const internals = document as unknown as PdfKitInternals;
  const { x, y, width, height } = options.rect;
  const pageHeight = internals.page.height;

  // pdfkit writes JS strings as PDF names and String objects as PDF text strings.
  const text = (value: string): object => new String(value);
  const signature = internals.ref({
    Type: "Sig",
    Filter: "Adobe.PPKLite",
    SubFilter: SIGNATURE_SUB_FILTER,
    ByteRange: [
      0,
      BYTE_RANGE_PLACEHOLDER_NUMBER,
      BYTE_RANGE_PLACEHOLDER_NUMBER,
      BYTE_RANGE_PLACEHOLDER_NUMBER,
    ],
    Contents: new Uint8Array(options.contentsBytes ?? SIGNATURE_CONTENTS_BYTES),
    M: options.signingTime,
    Name: text(options.signerName),
    Reason: text(options.reason),
    Location: text(options.location),
    ...(options.contactInfo !== undefined && {
      ContactInfo: text(options.contactInfo),
    }),
  });
  signature.end();

  // The visible block is drawn on the page itself; the widget's own appearance is empty.
  const appearance = internals.ref({
    Type: "XObject",
    Subtype: "Form",
    BBox: [0, 0, width, height],
    Resources: {},
  });
  appearance.end("q Q");

  const widget = internals.ref({
    Type: "Annot",
    Subtype: "Widget",
    FT: "Sig",
    T: text(options.fieldName),
    Rect: [x, pageHeight - y - height, x + width, pageHeight - y],
    F: 4,
    P: internals.page.dictionary,
    V: signature,
    AP: { N: appearance },
  });
  internals.page.annotations.push(widget);
  widget.end();

  // pdfkit ends the AcroForm itself when the document ends (endAcroForm), and needs `_acroform` for that.
  internals._acroform = { fonts: {}, defaultFont: "none" };
  internals._root.data.AcroForm = internals.ref({
    Fields: [widget],
    SigFlags: 3,
    DR: { Font: {} },
  });
}
