// PAdES baseline B-B signatures on commissioning certificates: the signature field, signing, verifying.
export { buildSignedData, type CmsSigner } from "./cms";
export {
  addSignatureField,
  SIGNATURE_CONTENTS_BYTES,
  type SignatureFieldOptions,
} from "./placeholder";
export { findSignatureHole, signPreparedPdf } from "./sign";
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
