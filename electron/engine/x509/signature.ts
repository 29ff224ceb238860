// The one check of a signature over signed data that is not a certificate (CRLs, OCSP responses). The names of
// signature algorithms are in signature-names.ts.
import { DIGEST_NAMES, OID } from "./oids";
import { signatureDigestOf } from "./signature-names";
import { constants, verify, type KeyObject } from "node:crypto";
import * as pkijs from "pkijs";

/**
 * Checks a signature over signed data (a CRL's TBSCertList, an OCSP response's ResponseData) with Node's crypto,
 * for every algorithm a certificate may use: RSA PKCS #1 v1.5, RSA-OID.rsassaPss (with its parameters), ECDSA, DSA,
 * Ed25519 and Ed448. pkijs's own check goes through WebCrypto, which lacks several of these. False, never a
 * throw, for anything it cannot check.
 */
export function verifySignedData(
  tbs: Uint8Array,
  algorithm: pkijs.AlgorithmIdentifier,
  signature: Uint8Array,
  publicKey: KeyObject,
): boolean {
  const oid = algorithm.algorithmId;
  try {
    if (oid === OID.ed25519 || oid === OID.ed448)
      return verify(null, tbs, publicKey, signature);
    if (oid === OID.rsassaPss) {
      const params =
        algorithm.algorithmParams === undefined
          ? new pkijs.RSASSAPSSParams()
          : new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
      const digest = DIGEST_NAMES[params.hashAlgorithm.algorithmId] ?? "sha1";
      return verify(
        digest,
        tbs,
        {
          key: publicKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength: params.saltLength,
        },
        signature,
      );
    }
    const digest = signatureDigestOf(oid);
    if (digest === undefined) return false;
    if (publicKey.asymmetricKeyType === "rsa")
      return verify(
        digest,
        tbs,
        { key: publicKey, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
    return verify(
      digest,
      tbs,
      { key: publicKey, dsaEncoding: "der" },
      signature,
    );
  } catch {
    return false;
  }
}
