// Certificates for every probe that meets one: reading (CertificateInfo), chain validation against the plan's
// anchors, the name check, and the four certificate checks as CheckOutcomes. See docs/evidence.md.
//
// A probe that saw a chain (TLS, SQL Server's TDS, OPC UA) does:
//
//   const chain = derCertificates.map(certificateInfoFromDer);             // record this in evidence
//   const outcomes = evaluateCertificate(chain, {
//     checkIds: certificateCheckIds("PER-MES"),                            // or explicit ids
//     anchorsPem, publicRoots, referenceName: serverName || host, headroomDays: policy.headroomDays, now,
//   });
//   // either the four checks, or one check such as APP-DB.tds.cert:
//   const one = combineCertificateOutcomes("APP-DB.tds.cert", outcomes);
export {
  CertificateParseError,
  certificateInfoFromDer,
  certificateInfoFromPem,
  commonNameOf,
  derToPem,
  pemToDer,
  splitPemCertificates,
  x509Of,
} from "./certificate-info";
export {
  publicRoots,
  trustAnchorPool,
  validateChain,
  type ChainLink,
  type ChainResult,
  type ChainStatus,
  type TrustAnchorPool,
} from "./chain";
export {
  certificateCheckIds,
  certificatesNotTested,
  combineCertificateOutcomes,
  evaluateCertificate,
  type CertificateCheckIds,
  type CertificateJudgeOptions,
  type CertificateOutcomes,
} from "./evaluate";
export { matchName, wildcardMatches, type NameMatch } from "./name";
export {
  hashLabel,
  signatureAlgorithmName,
  signatureHashOf,
} from "./signature";
