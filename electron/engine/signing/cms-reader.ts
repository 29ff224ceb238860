// Reading the CMS SignedData of a PAdES signature for the verifier (RFC 5652): its certificates, the one
// SignerInfo with its signed attributes (content type, message digest, ESS signing-certificate-v2), the
// signature, and the unsigned attributes as they come — a signature time-stamp token (PAdES B-T) or anything
// else a signer put there is kept for a later step to judge and never stops the signature from being read.
import { X509Certificate } from "node:crypto";
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

export interface EssCertificate {
  hashAlgorithm: string;
  hash: Buffer;
  issuerSerial: { issuer: Buffer; serial: Buffer } | null;
}

/** An unsigned attribute of the SignerInfo, undecoded: `type` null when even its type could not be read. */
export interface UnsignedAttribute {
  type: string | null;
  /** The whole Attribute element (SEQUENCE { type, SET OF value }). */
  der: Buffer;
}

export interface ParsedCms {
  certificates: X509Certificate[];
  /** Whether a certificate is the one the SignerInfo names. */
  identifies(certificate: X509Certificate): boolean;
  signerIssuer: Buffer;
  signerSerial: Buffer;
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

const HASHES: Readonly<Record<string, string>> = {
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};

/** The signer's chain and a time-stamping authority's: far fewer than this. */
export const MAX_CMS_CERTIFICATES = 32;
/** A time-stamp token, perhaps revocation values: far fewer than this. */
const MAX_UNSIGNED_ATTRIBUTES = 32;

/** ContentInfo (0) → [0] (1) → SignedData (2) → SET OF SignerInfo (3) → SignerInfo (4) → [1] unsignedAttrs (5). */
const UNSIGNED_ATTRIBUTES_DEPTH = 5;

/** Reads the DER at the start of `contentsBytes` (the /Contents hole is padded with zeros after it). */
export function parseCms(contentsBytes: Uint8Array): ParsedCms {
  const contentInfo = readDer(contentsBytes, 0, {
    opaque: (node, depth) =>
      depth === UNSIGNED_ATTRIBUTES_DEPTH &&
      node.tagClass === CONTEXT &&
      node.tag === 1,
  });
  const der = Buffer.from(whole(contentsBytes, contentInfo));
  if (readOid(der, child(contentInfo, 0)) !== OID.signedData)
    throw new DerError("not a SignedData");
  const signedData = child(child(contentInfo, 1), 0);
  if (!isUniversal(signedData, TAG.sequence))
    throw new DerError("SignedData is not a SEQUENCE");
  const digestAlgorithms = child(signedData, 1);
  const encapsulated = child(signedData, 2);
  if (child(encapsulated, 1) !== undefined)
    throw new DerError("the signature is not detached");
  const certificates: X509Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const node of signedData.children.slice(3)) {
    if (isContext(node, 0) && node.children.length > MAX_CMS_CERTIFICATES)
      throw new DerError(
        `it carries ${node.children.length} certificates; a signature needs a few, and Cellcert reads at most ${MAX_CMS_CERTIFICATES}`,
      );
    if (isContext(node, 0))
      for (const certificate of node.children)
        certificates.push(
          new X509Certificate(Buffer.from(whole(der, certificate))),
        );
    else if (isUniversal(node, TAG.set)) signerInfos = node;
  }
  if (signerInfos === undefined || signerInfos.children.length !== 1)
    throw new DerError("expected exactly one SignerInfo");
  const signerInfo = signerInfos.children[0] as DerNode;
  const [, sid, digestAlgorithm, ...rest] = signerInfo.children;
  const hash = HASHES[readOid(der, child(digestAlgorithm, 0))];
  if (hash !== "sha256")
    throw new DerError("the digest algorithm is not SHA-256");
  if (
    !digestAlgorithms?.children.some(
      (a) => readOid(der, child(a, 0)) === OID.sha256,
    )
  )
    throw new DerError("SHA-256 is missing from the digest algorithms");
  const [signedAttributes, signatureAlgorithm, signature, unsigned] = rest;
  if (!isContext(signedAttributes, 0))
    throw new DerError("the SignerInfo has no signed attributes");
  if (!isUniversal(signature, TAG.octetString))
    throw new DerError("the SignerInfo has no signature");
  if (unsigned !== undefined && !isContext(unsigned, 1))
    throw new DerError(
      "the SignerInfo ends with something else than unsigned attributes",
    );

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
    else if (type === OID.signingCertificateV2)
      essCertificate = readEssCertificate(der, value) ?? essCertificate;
  }

  const algorithm = readOid(der, child(signatureAlgorithm, 0));
  const signatureAlgorithmName =
    algorithm === OID.rsaEncryption || algorithm === OID.sha256WithRSAEncryption
      ? "RSA"
      : algorithm === OID.ecdsaWithSha256 || algorithm === OID.ecPublicKey
        ? "ECDSA"
        : null;
  if (signatureAlgorithmName === null)
    throw new DerError(`unsupported signature algorithm ${algorithm}`);

  const { identifies, signerIssuer, signerSerial } = signerIdentifier(
    der,
    sid,
    certificates,
  );
  return {
    certificates,
    identifies,
    signerIssuer,
    signerSerial,
    contentType,
    messageDigest,
    essCertificate,
    signedAttributesDer,
    signature: Buffer.from(contents(der, signature)),
    signatureAlgorithm: signatureAlgorithmName,
    unsignedAttributes:
      unsigned === undefined ? [] : readUnsignedAttributes(der, unsigned),
  };
}

/** ESSCertIDv2 of the first certificate named: hashAlgorithm (DEFAULT SHA-256), certHash, issuerSerial. */
function readEssCertificate(
  der: Buffer,
  value: DerNode | undefined,
): EssCertificate | null {
  const first = child(child(value, 0), 0);
  if (first === undefined) return null;
  let index = 0;
  let hashAlgorithm = "sha256";
  if (isUniversal(child(first, 0), TAG.sequence)) {
    hashAlgorithm =
      HASHES[readOid(der, child(child(first, 0), 0))] ?? "unknown";
    index = 1;
  }
  const certHash = child(first, index);
  const issuerSerialNode = child(first, index + 1);
  if (!isUniversal(certHash, TAG.octetString) || hashAlgorithm === "unknown")
    return null;
  const directoryName = child(child(child(issuerSerialNode, 0), 0), 0);
  const serialNode = child(issuerSerialNode, 1);
  return {
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

/** Each Attribute read on its own: one that is not DER ends the list there, as one of unknown type. */
function readUnsignedAttributes(
  der: Buffer,
  node: DerNode,
): UnsignedAttribute[] {
  const attributes: UnsignedAttribute[] = [];
  let at = node.contentStart;
  while (at < node.end && attributes.length < MAX_UNSIGNED_ATTRIBUTES) {
    const region = der.subarray(0, node.end);
    try {
      const attribute = readDer(region, at);
      attributes.push({
        type: readOid(region, child(attribute, 0)),
        der: Buffer.from(whole(region, attribute)),
      });
      at = attribute.end;
    } catch (error) {
      if (!(error instanceof DerError)) throw error;
      attributes.push({
        type: null,
        der: Buffer.from(der.subarray(at, node.end)),
      });
      break;
    }
  }
  return attributes;
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
