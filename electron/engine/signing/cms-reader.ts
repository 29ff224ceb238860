// The one CMS SignedData reader (RFC 5652), for the PAdES signature of a certificate (detached, over the PDF's
// byte ranges) and for an RFC 3161 time-stamp token (its TSTInfo encapsulated). Every part keeps its place in
// the input, so what is hashed and verified is the signed bytes themselves, never a re-encoding. The unsigned
// attributes are kept as they come and not read into: a signature time-stamp token (PAdES B-T) or anything else
// a signer put there — even what is not DER — never stops the signature from being read; a later step judges it.
import {
  X509Certificate,
  createHash,
  verify as verifySignature,
} from "node:crypto";
import {
  CONTEXT,
  DerError,
  TAG,
  child,
  contents,
  isContext,
  isUniversal,
  readDer,
  readOid,
  whole,
  type DerNode,
} from "./der";
import { OID } from "./oids";

export type CmsHash = "sha1" | "sha256" | "sha384" | "sha512";

export const HASHES: Readonly<Record<string, CmsHash>> = {
  [OID.sha1]: "sha1",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

export const HASH_NAMES: Readonly<Record<CmsHash, string>> = {
  sha1: "SHA-1",
  sha256: "SHA-256",
  sha384: "SHA-384",
  sha512: "SHA-512",
};

/** An ESS signing-certificate (RFC 2634, v1 with SHA-1) or signing-certificate-v2 (RFC 5035): its first ESSCertID. */
export interface EssCertificate {
  version: 1 | 2;
  hashAlgorithm: CmsHash;
  hash: Buffer;
  issuerSerial: { issuer: Buffer; serial: Buffer } | null;
}

/** An unsigned attribute of the SignerInfo, undecoded: `type` null when even its type could not be read. */
export interface UnsignedAttribute {
  type: string | null;
  /** The whole Attribute element (SEQUENCE { type, SET OF value }), or the bytes from where it could not be read. */
  der: Buffer;
  /** Each value as it is encoded; empty when the attribute is not DER. */
  values: Buffer[];
}

export interface ParsedCms {
  /** The ContentInfo as it was read (without what follows it, such as the /Contents hole's zero padding). */
  der: Buffer;
  certificates: X509Certificate[];
  /** Whether a certificate is the one the SignerInfo names. */
  identifies(certificate: X509Certificate): boolean;
  signerIssuer: Buffer;
  signerSerial: Buffer;
  /** The SignerInfo's digest algorithm (SHA-256, -384 or -512; SHA-1 is refused). */
  digestAlgorithm: Exclude<CmsHash, "sha1">;
  /** The encapsulated content (eContent) and its type; null for a detached signature. */
  encapsulated: { contentType: string; content: Buffer } | null;
  contentType: string | null;
  messageDigest: Buffer | null;
  essCertificate: EssCertificate | null;
  /** The signed attributes as signed: the SET OF with its universal tag. */
  signedAttributesDer: Buffer;
  signature: Buffer;
  signatureAlgorithm: "RSA" | "ECDSA";
  /** In the order the signer wrote them; a signature time-stamp is OID.signatureTimeStampToken. */
  unsignedAttributes: UnsignedAttribute[];
}

/** The signer's chain and a time-stamping authority's: far fewer than this. */
export const MAX_CMS_CERTIFICATES = 32;
/** A time-stamp token, perhaps revocation values: far fewer than this. */
const MAX_UNSIGNED_ATTRIBUTES = 32;

/** ContentInfo (0) → [0] (1) → SignedData (2) → SET OF SignerInfo (3) → SignerInfo (4) → [1] unsignedAttrs (5). */
const UNSIGNED_ATTRIBUTES_DEPTH = 5;

/** Reads the SignedData at the start of `bytes` (anything after it is ignored). Throws DerError with a phrase. */
export function readSignedData(bytes: Uint8Array): ParsedCms {
  const top = readDer(bytes, 0, {
    opaque: (node, depth) =>
      depth === UNSIGNED_ATTRIBUTES_DEPTH &&
      node.tagClass === CONTEXT &&
      node.tag === 1,
  });
  // Offsets relative to `der` from here on: the ContentInfo starts at 0 in both.
  const der = Buffer.from(whole(bytes, top));
  const contentInfo = top;
  if (readOid(der, child(contentInfo, 0)) !== OID.signedData)
    throw new DerError("not a SignedData");
  const signedData = child(child(contentInfo, 1), 0);
  if (!isUniversal(signedData, TAG.sequence))
    throw new DerError("SignedData is not a SEQUENCE");
  const digestAlgorithms = child(signedData, 1);
  const encapsulatedInfo = child(signedData, 2);
  const encapsulatedType = readOid(der, child(encapsulatedInfo, 0));
  const eContent = child(child(encapsulatedInfo, 1), 0);
  if (child(encapsulatedInfo, 1) !== undefined && eContent === undefined)
    throw new DerError("the encapsulated content is empty");
  if (eContent !== undefined && !isUniversal(eContent, TAG.octetString))
    throw new DerError("the encapsulated content is not an OCTET STRING");
  const certificates: X509Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const node of signedData.children.slice(3)) {
    if (isContext(node, 0) && node.children.length > MAX_CMS_CERTIFICATES)
      throw new DerError(
        `it carries ${node.children.length} certificates; a signature needs a few, and Cellcert reads at most ${MAX_CMS_CERTIFICATES}`,
      );
    if (isContext(node, 0))
      for (const [index, certificate] of node.children.entries())
        certificates.push(readCertificate(der, certificate, index));
    else if (isUniversal(node, TAG.set)) signerInfos = node;
  }
  if (signerInfos === undefined || signerInfos.children.length !== 1)
    throw new DerError("expected exactly one SignerInfo");
  const signerInfo = signerInfos.children[0] as DerNode;
  const [, sid, digestAlgorithm, ...rest] = signerInfo.children;
  const digestOid = readOid(der, child(digestAlgorithm, 0));
  const hash = HASHES[digestOid];
  if (hash === undefined || hash === "sha1")
    throw new DerError(
      `the digest algorithm ${hash === undefined ? digestOid : "SHA-1"} is not SHA-256, SHA-384 or SHA-512`,
    );
  if (
    !digestAlgorithms?.children.some(
      (a) => readOid(der, child(a, 0)) === digestOid,
    )
  )
    throw new DerError(
      `${HASH_NAMES[hash]} is missing from the digest algorithms`,
    );
  const [signedAttributes, signatureAlgorithm, signature] = rest;
  if (!isContext(signedAttributes, 0))
    throw new DerError("the SignerInfo has no signed attributes");
  if (!isUniversal(signature, TAG.octetString))
    throw new DerError("the SignerInfo has no signature");
  // unsignedAttrs [1]; anything else after the signature is ignored, as it always was.
  const unsigned = isContext(rest[3], 1) ? rest[3] : undefined;

  // The signature covers the attributes as a SET OF (tag 0x31), not as the [0] they are stored in.
  const signedAttributesDer = Buffer.from(whole(der, signedAttributes));
  signedAttributesDer[0] = 0x31;

  let contentType: string | null = null;
  let messageDigest: Buffer | null = null;
  let essCertificate: EssCertificate | null = null;
  for (const attribute of signedAttributes.children) {
    const type = readOid(der, child(attribute, 0));
    const value = child(child(attribute, 1), 0);
    if (type === OID.contentType) contentType = readOid(der, value);
    else if (type === OID.messageDigest && isUniversal(value, TAG.octetString))
      messageDigest = Buffer.from(contents(der, value));
    else if (
      type === OID.signingCertificateV2 ||
      (type === OID.signingCertificate && essCertificate === null)
    ) {
      const read = readEssCertId(
        der,
        child(child(value, 0), 0),
        type === OID.signingCertificateV2 ? 2 : 1,
      );
      if (read !== null) essCertificate = read;
    }
  }

  const algorithm = readOid(der, child(signatureAlgorithm, 0));
  const known = SIGNATURE_ALGORITHMS[algorithm];
  if (known === undefined)
    throw new DerError(`unsupported signature algorithm ${algorithm}`);
  if (known.hash !== undefined && known.hash !== hash)
    throw new DerError(
      `the signature algorithm names ${HASH_NAMES[known.hash]}, the digest algorithm ${HASH_NAMES[hash]}`,
    );

  const { identifies, signerIssuer, signerSerial } = signerIdentifier(
    der,
    sid,
    certificates,
  );
  return {
    der,
    certificates,
    identifies,
    signerIssuer,
    signerSerial,
    digestAlgorithm: hash,
    encapsulated:
      eContent === undefined
        ? null
        : {
            contentType: encapsulatedType,
            content: Buffer.from(contents(der, eContent)),
          },
    contentType,
    messageDigest,
    essCertificate,
    signedAttributesDer,
    signature: Buffer.from(contents(der, signature)),
    signatureAlgorithm: known.name,
    unsignedAttributes:
      unsigned === undefined ? [] : readUnsignedAttributes(der, unsigned),
  };
}

/** A certificate of the SignedData; one Node cannot read is a DerError like any other part that is not right. */
function readCertificate(
  der: Buffer,
  node: DerNode,
  index: number,
): X509Certificate {
  try {
    return new X509Certificate(Buffer.from(whole(der, node)));
  } catch {
    throw new DerError(`its certificate ${index + 1} cannot be read`);
  }
}

/** Whether the SignerInfo's signature over its signed attributes verifies with `certificate`'s key. Throws when
 * the key cannot check it at all (a key of another type). */
export function signatureVerifies(
  cms: ParsedCms,
  certificate: X509Certificate,
): boolean {
  return verifySignature(
    cms.digestAlgorithm,
    cms.signedAttributesDer,
    certificate.publicKey,
    cms.signature,
  );
}

/**
 * What the ESS signing-certificate says of the signer's certificate: "missing" (none, or of a hash Cellcert does
 * not know), "hash" (another certificate's hash), "issuer-serial" (another issuer or serial than the SignerInfo
 * names), or "ok".
 */
export function essCertificateCheck(
  cms: ParsedCms,
  certificate: X509Certificate,
): "missing" | "hash" | "issuer-serial" | "ok" {
  const ess = cms.essCertificate;
  if (ess === null) return "missing";
  if (
    !createHash(ess.hashAlgorithm)
      .update(certificate.raw)
      .digest()
      .equals(ess.hash)
  )
    return "hash";
  if (
    ess.issuerSerial !== null &&
    !(
      ess.issuerSerial.serial.equals(cms.signerSerial) &&
      ess.issuerSerial.issuer.equals(cms.signerIssuer)
    )
  )
    return "issuer-serial";
  return "ok";
}

/** The signature algorithms Cellcert checks, and the hash a combined one names (it must be the digest's). */
const SIGNATURE_ALGORITHMS: Readonly<
  Record<string, { name: "RSA" | "ECDSA"; hash?: CmsHash }>
> = {
  [OID.rsaEncryption]: { name: "RSA" },
  [OID.sha256WithRSAEncryption]: { name: "RSA", hash: "sha256" },
  [OID.sha384WithRSAEncryption]: { name: "RSA", hash: "sha384" },
  [OID.sha512WithRSAEncryption]: { name: "RSA", hash: "sha512" },
  [OID.ecPublicKey]: { name: "ECDSA" },
  [OID.ecdsaWithSha256]: { name: "ECDSA", hash: "sha256" },
  [OID.ecdsaWithSha384]: { name: "ECDSA", hash: "sha384" },
  [OID.ecdsaWithSha512]: { name: "ECDSA", hash: "sha512" },
};

/** The first ESSCertID(v2) of a SigningCertificate(V2): certs SEQUENCE OF ESSCertID → the first. */
function readEssCertId(
  der: Buffer,
  first: DerNode | undefined,
  version: 1 | 2,
): EssCertificate | null {
  if (first === undefined) return null;
  let index = 0;
  let hashAlgorithm: CmsHash | undefined = version === 1 ? "sha1" : "sha256";
  // ESSCertIDv2 starts with its hashAlgorithm unless it is the DEFAULT SHA-256; ESSCertID has none.
  if (version === 2 && isUniversal(child(first, 0), TAG.sequence)) {
    hashAlgorithm = HASHES[readOid(der, child(child(first, 0), 0))];
    index = 1;
  }
  const certHash = child(first, index);
  const issuerSerialNode = child(first, index + 1);
  if (!isUniversal(certHash, TAG.octetString) || hashAlgorithm === undefined)
    return null;
  const directoryName = child(child(child(issuerSerialNode, 0), 0), 0);
  const serialNode = child(issuerSerialNode, 1);
  return {
    version,
    hashAlgorithm,
    hash: Buffer.from(contents(der, certHash)),
    issuerSerial:
      directoryName === undefined || serialNode === undefined
        ? null
        : {
            issuer: Buffer.from(whole(der, directoryName)),
            serial: Buffer.from(whole(der, serialNode)),
          },
  };
}

/** sid: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier (then the ESS issuerSerial is compared with the
 * certificate the key identifier finds). */
function signerIdentifier(
  der: Buffer,
  sid: DerNode | undefined,
  certificates: readonly X509Certificate[],
): Pick<ParsedCms, "identifies" | "signerIssuer" | "signerSerial"> {
  if (isUniversal(sid, TAG.sequence)) {
    const issuerNode = child(sid, 0);
    const serialNode = child(sid, 1);
    if (issuerNode === undefined || serialNode === undefined)
      throw new DerError("bad signer identifier");
    const signerIssuer = Buffer.from(whole(der, issuerNode));
    const signerSerial = Buffer.from(whole(der, serialNode));
    return {
      signerIssuer,
      signerSerial,
      identifies: (certificate) => {
        const parts = certificateParts(certificate.raw);
        return (
          parts.issuer.equals(signerIssuer) && parts.serial.equals(signerSerial)
        );
      },
    };
  }
  if (!isContext(sid, 0)) throw new DerError("bad signer identifier");
  const keyId = Buffer.from(contents(der, sid));
  const identifies = (certificate: X509Certificate): boolean =>
    subjectKeyIdentifier(certificate.raw)?.equals(keyId) ?? false;
  const signer = certificates.find((c) => identifies(c));
  const parts =
    signer === undefined
      ? { issuer: Buffer.alloc(0), serial: Buffer.alloc(0) }
      : certificateParts(signer.raw);
  return { identifies, signerIssuer: parts.issuer, signerSerial: parts.serial };
}

/** Each Attribute read on its own: one whose frame is not DER ends the list there, as one of unknown type. Its
 * values are not read into (a time-stamp token is read by the step that judges it): one that is not DER is kept
 * as the bytes from where it starts to the end of the SET. */
function readUnsignedAttributes(
  der: Buffer,
  node: DerNode,
): UnsignedAttribute[] {
  const attributes: UnsignedAttribute[] = [];
  const region = der.subarray(0, node.end);
  let at = node.contentStart;
  while (at < node.end && attributes.length < MAX_UNSIGNED_ATTRIBUTES) {
    try {
      // Attribute (0) → its type and SET OF values (1): the values stay opaque here.
      const attribute = readDer(region, at, {
        opaque: (_node, depth) => depth === 1,
      });
      attributes.push({
        type: readOid(region, child(attribute, 0)),
        der: Buffer.from(whole(region, attribute)),
        values: attributeValues(region, child(attribute, 1)),
      });
      at = attribute.end;
    } catch (error) {
      if (!(error instanceof DerError)) throw error;
      attributes.push({
        type: null,
        der: Buffer.from(der.subarray(at, node.end)),
        values: [],
      });
      break;
    }
  }
  return attributes;
}

function attributeValues(region: Buffer, set: DerNode | undefined): Buffer[] {
  if (!isUniversal(set, TAG.set)) return [];
  const values: Buffer[] = [];
  let at = set.contentStart;
  while (at < set.end && values.length < MAX_UNSIGNED_ATTRIBUTES) {
    const bounded = region.subarray(0, set.end);
    let end: number;
    try {
      end = readDer(bounded, at, { opaque: () => true }).end;
    } catch (error) {
      if (!(error instanceof DerError)) throw error;
      end = set.end;
    }
    values.push(Buffer.from(region.subarray(at, end)));
    at = end;
  }
  return values;
}

/** The DER of a certificate's issuer Name and serialNumber. */
function certificateParts(raw: Buffer): { issuer: Buffer; serial: Buffer } {
  const certificate = readDer(raw);
  const tbs = child(certificate, 0);
  const offset = isContext(child(tbs, 0), 0) ? 1 : 0;
  const serial = child(tbs, offset);
  const issuer = child(tbs, offset + 2);
  if (serial === undefined || issuer === undefined)
    throw new DerError("bad certificate");
  return {
    issuer: Buffer.from(whole(raw, issuer)),
    serial: Buffer.from(whole(raw, serial)),
  };
}

function subjectKeyIdentifier(raw: Buffer): Buffer | null {
  const tbs = child(readDer(raw), 0);
  const extensions = tbs?.children.find((node) => isContext(node, 3));
  for (const extension of child(extensions, 0)?.children ?? []) {
    if (readOid(raw, child(extension, 0)) !== OID.subjectKeyIdentifier)
      continue;
    const value = extension.children[extension.children.length - 1];
    if (value === undefined) return null;
    const inner = readDer(raw, value.contentStart);
    return Buffer.from(contents(raw, inner));
  }
  return null;
}
