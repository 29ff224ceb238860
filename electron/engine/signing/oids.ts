// The object identifiers of the CMS signature and its time-stamp (RFC 5652, RFC 5035, RFC 5754, RFC 5758,
// RFC 3161), for the writers (cms.ts, the time-stamp request) and the verifier alike; the certificates' own
// (digests, signature algorithms, extensions) are x509/oids.ts's, spread in here so both sides read one table.
import { OID as CERTIFICATE_OID } from "../x509/oids";
import { EKU } from "../x509/eku";

export const OID = {
  ...CERTIFICATE_OID,
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",
  tstInfo: "1.2.840.113549.1.9.16.1.4",
  timeStamping: EKU.timeStamping,
} as const;
