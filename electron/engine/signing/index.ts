// PAdES baseline B-B signatures on commissioning certificates: the signature field, signing, verifying.
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
  type SignatureFieldOptions,
} from "./placeholder";
export { findSignatureHole, signPreparedPdf } from "./sign";
export * from "./verify";
