// Extended key usages by OID and their names: a table, no ASN.1 library, so the rules that name a purpose load it
// without pkijs (parse.ts re-exports it for the readers).
/** Extended key usages by OID, with the names the evidence and sentences use. */
export const EKU = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  codeSigning: "1.3.6.1.5.5.7.3.3",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  OCSPSigning: "1.3.6.1.5.5.7.3.9",
  documentSigning: "1.3.6.1.5.5.7.3.36",
  microsoftDocumentSigning: "1.3.6.1.4.1.311.10.3.12",
  adobeAuthenticDocuments: "1.2.840.113583.1.1.5",
  anyExtendedKeyUsage: "2.5.29.37.0",
} as const;

const EKU_NAMES: Readonly<Record<string, string>> = {
  ...Object.fromEntries(Object.entries(EKU).map(([name, oid]) => [oid, name])),
  // The identity view has always called Microsoft's document signing OID "documentSigning".
  [EKU.microsoftDocumentSigning]: "documentSigning",
  [EKU.documentSigning]: "documentSigning",
};

/** "serverAuth" for 1.3.6.1.5.5.7.3.1; the OID itself when the name is unknown. */
export function ekuName(oid: string): string {
  return EKU_NAMES[oid] ?? oid;
}
