// The keyUsage bit names, in a module without zod: path validation reads them on `cellcert probe tls`'s path
// (DESIGN §6), and the evidence schema in certificate.ts lists them.
/** The keyUsage bits (RFC 5280 §4.2.1.3), in bit order. */
export const KEY_USAGE_NAMES = [
  "digitalSignature",
  "nonRepudiation",
  "keyEncipherment",
  "dataEncipherment",
  "keyAgreement",
  "keyCertSign",
  "cRLSign",
  "encipherOnly",
  "decipherOnly",
] as const;
export type KeyUsageName = (typeof KEY_USAGE_NAMES)[number];
