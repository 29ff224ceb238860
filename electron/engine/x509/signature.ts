// Certificate signature algorithms: OID → the name the evidence records, and name → the hash the rules judge;
// and the one check of a signature over signed data that is not a certificate (CRLs, OCSP responses).
import { constants, verify, type KeyObject } from "node:crypto";
import * as pkijs from "pkijs";
import type { SignatureHash } from "../../../shared/catalog/thresholds";

interface SignatureAlgorithm {
  name: string;
  hash: SignatureHash;
}

const BY_OID: Record<string, SignatureAlgorithm> = {
  "1.2.840.113549.1.1.2": { name: "md2WithRSAEncryption", hash: "md2" },
  "1.2.840.113549.1.1.4": { name: "md5WithRSAEncryption", hash: "md5" },
  "1.2.840.113549.1.1.5": { name: "sha1WithRSAEncryption", hash: "sha1" },
  "1.3.14.3.2.29": { name: "sha1WithRSAEncryption", hash: "sha1" },
  "1.2.840.113549.1.1.14": { name: "sha224WithRSAEncryption", hash: "sha224" },
  "1.2.840.113549.1.1.11": { name: "sha256WithRSAEncryption", hash: "sha256" },
  "1.2.840.113549.1.1.12": { name: "sha384WithRSAEncryption", hash: "sha384" },
  "1.2.840.113549.1.1.13": { name: "sha512WithRSAEncryption", hash: "sha512" },
  "1.2.840.10045.4.1": { name: "ecdsa-with-SHA1", hash: "sha1" },
  "1.2.840.10045.4.3.1": { name: "ecdsa-with-SHA224", hash: "sha224" },
  "1.2.840.10045.4.3.2": { name: "ecdsa-with-SHA256", hash: "sha256" },
  "1.2.840.10045.4.3.3": { name: "ecdsa-with-SHA384", hash: "sha384" },
  "1.2.840.10045.4.3.4": { name: "ecdsa-with-SHA512", hash: "sha512" },
  "1.2.840.10040.4.3": { name: "dsa-with-SHA1", hash: "sha1" },
  "2.16.840.1.101.3.4.3.1": { name: "dsa-with-SHA224", hash: "sha224" },
  "2.16.840.1.101.3.4.3.2": { name: "dsa-with-SHA256", hash: "sha256" },
  "1.3.101.112": { name: "ED25519", hash: "intrinsic" },
  "1.3.101.113": { name: "ED448", hash: "intrinsic" },
};

const HASH_BY_OID: Record<string, SignatureHash> = {
  "1.2.840.113549.2.5": "md5",
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

const PSS = "1.2.840.113549.1.1.10";

/** The recorded name: OpenSSL's words ("sha256WithRSAEncryption"), "rsassaPss-sha256", or the OID itself. */
export function signatureAlgorithmName(
  oid: string,
  pssHashOid?: string,
): string {
  if (oid === PSS) {
    const hash = HASH_BY_OID[pssHashOid ?? "1.3.14.3.2.26"] ?? "unknown";
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
  "1.2.840.113549.1.1.4": "md5",
  "1.2.840.113549.1.1.5": "sha1",
  "1.3.14.3.2.29": "sha1",
  "1.2.840.113549.1.1.14": "sha224",
  "1.2.840.113549.1.1.11": "sha256",
  "1.2.840.113549.1.1.12": "sha384",
  "1.2.840.113549.1.1.13": "sha512",
  "1.2.840.10045.4.1": "sha1",
  "1.2.840.10045.4.3.1": "sha224",
  "1.2.840.10045.4.3.2": "sha256",
  "1.2.840.10045.4.3.3": "sha384",
  "1.2.840.10045.4.3.4": "sha512",
  "1.2.840.10040.4.3": "sha1",
  "2.16.840.1.101.3.4.3.1": "sha224",
  "2.16.840.1.101.3.4.3.2": "sha256",
};

const NODE_DIGEST: Record<string, string> = {
  "1.3.14.3.2.26": "sha1",
  "2.16.840.1.101.3.4.2.4": "sha224",
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/**
 * Checks a signature over signed data (a CRL's TBSCertList, an OCSP response's ResponseData) with Node's crypto,
 * for every algorithm a certificate may use: RSA PKCS #1 v1.5, RSA-PSS (with its parameters), ECDSA, DSA,
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
    if (oid === "1.3.101.112" || oid === "1.3.101.113")
      return verify(null, tbs, publicKey, signature);
    if (oid === PSS) {
      const params =
        algorithm.algorithmParams === undefined
          ? new pkijs.RSASSAPSSParams()
          : new pkijs.RSASSAPSSParams({ schema: algorithm.algorithmParams });
      const digest = NODE_DIGEST[params.hashAlgorithm.algorithmId] ?? "sha1";
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
