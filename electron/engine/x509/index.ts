// The one certificate-path module (DESIGN §6 x509/): reading certificates (CertificateInfo for evidence), RFC
// 5280 path building and validation for every purpose Cellcert judges, revocation from CRLs and stapled OCSP
// responses, name matching, and the four certificate checks as CheckOutcomes. See docs/x509.md.
//
// A probe that saw a chain (TLS, SQL Server's TDS, OPC UA) does:
//
//   const chain = derCertificates.map(certificateInfoFromDer);             // exactly as sent: record this
//   const outcomes = await evaluateCertificate(chain, {
//     checkIds: certificateCheckIds("PER-MES"),                            // or explicit ids
//     anchorsPem, publicRoots, crls, ocspStaple, referenceName: serverName || host,
//     purpose: { kind: "server-tls", keyExchange: keyExchangeOf(protocol, suite) },
//     headroomDays: policy.headroomDays, requireRevocation: policy.requireRevocation, now,
//   });
//   // outcomes.path is the validated path as the evidence records it, beside what was sent;
//   // either the four checks, or one check such as APP-DB.tds.cert:
//   const one = combineCertificateOutcomes("APP-DB.tds.cert", outcomes);
//
// Anything else that must be trusted (a client identity, an engineer identity, a document signer) calls
// `validatePath({ sent, anchors, publicRoots: false, crls, purpose: DOCUMENT_SIGNING, now })` and reads
// `status` ("valid" or what fails) and `problem` (the sentence). `leafPurposeProblems` judges one certificate's
// usages alone, when there is no anchor to walk to.
export {
  CertificateParseError,
  certificateInfoFromDer,
  certificateInfoFromPem,
  derToPem,
  formatIp,
  isSelfSigned,
  pemCertificatesOf,
  pemToDer,
  splitPemCertificates,
  verifiesWith,
  x509Of,
} from "./certificate-info";
export { summarizeCertificate } from "./summary";
export {
  certificateDers,
  publicRoots,
  validatePath,
  type AnchorSource,
  type ExtraCertificate,
  type PathLink,
  type PathResult,
  type PathStatus,
  type RevocationFinding,
  type TrustInput,
} from "./path";
export { pathEvidence } from "./evidence";
export {
  CLIENT_TLS,
  DOCUMENT_SIGNING,
  SERVER_TLS,
  TIME_STAMPING,
  extendedKeyUsageAllows,
  keyExchangeOf,
  leafPurposeProblems,
  type KeyExchange,
  type Purpose,
  type PurposeProblem,
} from "./purpose";
export {
  EKU,
  KEY_USAGE_NAMES,
  ekuName,
  parseCertificate,
  type KeyUsageName,
  type ParsedCertificate,
} from "./parse";
export {
  CrlReadError,
  crlPem,
  crlSignedBy,
  crlSummary,
  parseCrl,
  readCrlFile,
  readOcspStaple,
  type CrlSummary,
  type OcspReading,
  type ParsedCrl,
} from "./revocation";
export { describeTrustAnchor, type TrustAnchorReading } from "./anchor";
export {
  certificateCheckIds,
  certificatesNotTested,
  combineCertificateOutcomes,
  type CertificateCheckIds,
  type CertificateJudgeOptions,
  type CertificateOutcomes,
} from "./certificate-outcomes";
export { evaluateCertificate } from "./evaluate";
export { matchName, wildcardMatches, type NameMatch } from "./name";
export {
  hashLabel,
  signatureAlgorithmName,
  signatureHashOf,
} from "./signature-names";
export { verifySignedData } from "./signature";
