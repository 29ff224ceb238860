// Certificate signature algorithms: OID → the name the evidence records, and name → the hash the rules judge;
// and the one check of a signature over signed data that is not a certificate (CRLs, OCSP responses).
import { DIGEST_NAMES, OID } from "./oids";
import { constants, verify, type KeyObject } from "node:crypto";
import * as pkijs from "pkijs";
import type { SignatureHash } from "../../../shared/catalog/thresholds";

interface SignatureAlgorithm {
  name: string;
  hash: SignatureHash;
}

const BY_OID: Record<string, SignatureAlgorithm> = {
  [OID.md2WithRSAEncryption]: { name: "md2WithRSAEncryption", hash: "md2" },
  [OID.md5WithRSAEncryption]: { name: "md5WithRSAEncryption", hash: "md5" },
  [OID.sha1WithRSAEncryption]: { name: "sha1WithRSAEncryption", hash: "sha1" },
  [OID.sha1WithRSASignature]: { name: "sha1WithRSAEncryption", hash: "sha1" },
  [OID.sha224WithRSAEncryption]: {
    name: "sha224WithRSAEncryption",
    hash: "sha224",
  },
  [OID.sha256WithRSAEncryption]: {
    name: "sha256WithRSAEncryption",
    hash: "sha256",
  },
  [OID.sha384WithRSAEncryption]: {
    name: "sha384WithRSAEncryption",
    hash: "sha384",
  },
  [OID.sha512WithRSAEncryption]: {
    name: "sha512WithRSAEncryption",
    hash: "sha512",
  },
  [OID.ecdsaWithSha1]: { name: "ecdsa-with-SHA1", hash: "sha1" },
  [OID.ecdsaWithSha224]: { name: "ecdsa-with-SHA224", hash: "sha224" },
  [OID.ecdsaWithSha256]: { name: "ecdsa-with-SHA256", hash: "sha256" },
  [OID.ecdsaWithSha384]: { name: "ecdsa-with-SHA384", hash: "sha384" },
  [OID.ecdsaWithSha512]: { name: "ecdsa-with-SHA512", hash: "sha512" },
  [OID.dsaWithSha1]: { name: "dsa-with-SHA1", hash: "sha1" },
  [OID.dsaWithSha224]: { name: "dsa-with-SHA224", hash: "sha224" },
  [OID.dsaWithSha256]: { name: "dsa-with-SHA256", hash: "sha256" },
  [OID.ed25519]: { name: "ED25519", hash: "intrinsic" },
  [OID.ed448]: { name: "ED448", hash: "intrinsic" },
};

const HASH_BY_OID: Record<string, SignatureHash> = {
  [OID.md5]: "md5",
  [OID.sha1]: "sha1",
  [OID.sha224]: "sha224",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

/** The recorded name: OpenSSL's words ("sha256WithRSAEncryption"), "rsassaPss-sha256", or the OID itself. */
export function signatureAlgorithmName(
  oid: string,
  pssHashOid?: string,
): string {
  if (oid === OID.rsassaPss) {
    const hash = HASH_BY_OID[pssHashOid ?? OID.sha1] ?? "unknown";
    return `rsassaPss-${hash}`;
  }
  return BY_OID[oid]?.name ?? oid;
}

/** The hash behind a recorded signature algorithm name; "unknown" for names this build does not know. */
export function signatureHashOf(name: string): SignatureHash {
  const pss = /^rsassaPss-(\w+)$/.exec(name);
  if (pss !== null) {
    const hash = pss[1] as SignatureHash;
    return Object.values(HASH_BY_OID).includes(hash) ? hash : "unknown";
  }
  return (
    Object.values(BY_OID).find((algorithm) => algorithm.name === name)?.hash ??
    "unknown"
  );
}

/** "SHA-1", "SHA-256", "MD5" — for sentences. */
export function hashLabel(hash: SignatureHash): string {
  switch (hash) {
    case "md2":
    case "md5":
      return hash.toUpperCase();
    case "intrinsic":
      return "EdDSA";
    case "unknown":
      return "an unknown hash";
    default:
      return `SHA-${hash.slice(3)}`;
  }
}

// ---- signatures over CRLs and OCSP responses ------------------------------------------------------------------

const DIGEST_BY_OID: Record<string, string> = {
  [OID.md5WithRSAEncryption]: "md5",
  [OID.sha1WithRSAEncryption]: "sha1",
  [OID.sha1WithRSASignature]: "sha1",
  [OID.sha224WithRSAEncryption]: "sha224",
  [OID.sha256WithRSAEncryption]: "sha256",
  [OID.sha384WithRSAEncryption]: "sha384",
  [OID.sha512WithRSAEncryption]: "sha512",
  [OID.ecdsaWithSha1]: "sha1",
  [OID.ecdsaWithSha224]: "sha224",
  [OID.ecdsaWithSha256]: "sha256",
  [OID.ecdsaWithSha384]: "sha384",
  [OID.ecdsaWithSha512]: "sha512",
  [OID.dsaWithSha1]: "sha1",
  [OID.dsaWithSha224]: "sha224",
  [OID.dsaWithSha256]: "sha256",
};

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
    const digest = DIGEST_BY_OID[oid];
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
