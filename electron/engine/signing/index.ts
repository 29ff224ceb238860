// PAdES signatures on commissioning certificates: the signature field, signing (B-B, or B-T with a plant
// time-stamping authority's RFC 3161 time-stamp), verifying.
export { buildSignedData, type CmsSigner } from "./cms";
export {
  EVIDENCE_FILE_NAME,
  INFO_KEYS,
  PLANT_VERDICT_WORDS,
  SIGNATURE_SUB_FILTER,
} from "./document-format";
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
export * from "./verify";
