// Certificate signature algorithms by name: OID → the name the evidence records, and name → the hash the rules
// judge. Tables only, no ASN.1 library: the probes read certificates with it (certificate-info.ts) without loading
// pkijs, which only checking a signature needs (signature.ts).
import { DIGEST_NAMES, OID } from "./oids";
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

/** The hashes a signature algorithm names by OID (RSA-PSS's parameters): the digests, and MD5 to name it. */
const HASH_BY_OID: Readonly<Record<string, SignatureHash>> = {
  [OID.md5]: "md5",
  ...DIGEST_NAMES,
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

/**
 * The digest Node's crypto.verify takes for a signature algorithm's OID (RSA PKCS #1 v1.5, ECDSA, DSA), or undefined
 * for one it cannot check that way (MD2, EdDSA, RSA-PSS, an unknown OID).
 */
export function signatureDigestOf(oid: string): string | undefined {
  const hash = BY_OID[oid]?.hash;
  return hash === undefined || hash === "md2" || hash === "intrinsic"
    ? undefined
    : hash;
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
