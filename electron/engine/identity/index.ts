// Engineer and client identities: PKCS#12 in and out, identities made on the laptop, and what they are.
export {
  readPkcs12,
  writePkcs12,
  type IdentityMaterial,
  type Pkcs12Identity,
  type ReadPkcs12Options,
  type WritePkcs12Options,
} from "./pkcs12";
export {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
  ENGINEER_KEY_BITS,
  type CommissioningCaOptions,
  type CreatedIdentity,
  type EngineerIdentityOptions,
} from "./create";
export {
  checkSigningIdentity,
  identityInfo,
  judgeIdentity,
  type IdentityJudgement,
  openEngineerIdentity,
  type EngineerIdentity,
  type IdentityInfo,
  type OpenIdentityOptions,
} from "./engineer";
export { splitPemCertificates } from "./x509";
