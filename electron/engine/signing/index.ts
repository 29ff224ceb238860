// PAdES signatures on commissioning certificates: the signature field, signing (B-B, or B-T with a plant
// time-stamping authority's RFC 3161 time-stamp), verifying.
export { buildSignedData, type CmsSigner } from "./cms";
export {
  addSignatureField,
  SIGNATURE_CONTENTS_BYTES,
  signatureRoom,
  type SignatureFieldOptions,
} from "./placeholder";
export {
  findSignatureHole,
  signPreparedPdf,
  signPreparedPdfWithTimeStamp,
  SignatureRoomError,
} from "./sign";
export {
  authorityName,
  requestTimeStamp,
  type TimeStamp,
  type TimeStampAuthority,
} from "./timestamp-authority";
export {
  UnreadableDocumentError,
  verifyCertificate,
  verifyCheckIds,
  type SignerSummary,
  type VerifyCheck,
  type VerifyCheckId,
  type VerifyOptions,
  type VerifyResult,
} from "./verify";
