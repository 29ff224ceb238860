// The CMS SignedData of a PAdES signature (ETSI EN 319 142-1, RFC 5652), built with node-forge's ASN.1 and
// signed with Node's crypto: detached SHA-256 digest of the PDF's byte ranges; signed attributes contentType,
// messageDigest and ESS signing-certificate-v2 (no signingTime: PAdES puts the time in /M); the signer's chain
// embedded. node-forge's own pkcs7 writer cannot write signing-certificate-v2, hence by hand. The signature value
// is known before the SignedData is encoded, so a time-stamp over it (PAdES B-T) joins as an unsigned attribute.
// The same builder signs an encapsulated content (the practice time-stamping authority's TSTInfo).
import forge from "node-forge";
import { X509Certificate, createHash, sign, type KeyObject } from "node:crypto";
import { fromDer } from "../identity/x509";
import { OID } from "./oids";

const { asn1 } = forge;
const { Class, Type } = asn1;

export interface CmsSigner {
  privateKey: KeyObject;
  certificatePem: string;
  /** The signer's issuers, embedded so a verifier can build the chain. */
  chainPems: readonly string[];
}

export interface SignedDataOptions {
  /**
   * The certificate that signing-certificate-v2 names; the signer's own by default. Only tests name another,
   * to show that `verify` catches what OpenSSL 3.0 does not.
   */
  essCertificatePem?: string;
  /**
   * Content carried inside the SignedData (eContent) instead of a detached id-data digest: its type is the
   * signed contentType and the message digest is over its DER.
   */
  encapsulated?: { contentType: string; der: Uint8Array };
  /** Leave the certificates out (a TSA asked without certReq); the signer's chain goes in by default. */
  omitCertificates?: boolean;
}

/** A signature made but not yet encoded: its value, and the SignedData with any unsigned attributes. */
export interface CmsSignature {
  /** The SignerInfo's signature value: what a signature time-stamp's imprint is over (RFC 3161 App. A). */
  signatureValue: Uint8Array;
  /** The DER ContentInfo; with a time-stamp token, it goes in as id-aa-signatureTimeStampToken. */
  encode(options?: { timeStampToken?: Uint8Array }): Uint8Array;
}

/** A DER-encoded ContentInfo holding the detached SignedData over a content whose SHA-256 is `contentDigest`. */
export function buildSignedData(
  contentDigest: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions = {},
): Uint8Array {
  return signCms(contentDigest, signer, options).encode();
}

/**
 * Signs: the signed attributes over `contentDigest` (the detached content's SHA-256; ignored when the content
 * is encapsulated, whose digest is taken here).
 */
export function signCms(
  contentDigest: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions = {},
): CmsSignature {
  const leaf = new X509Certificate(signer.certificatePem);
  const named =
    options.essCertificatePem === undefined
      ? leaf
      : new X509Certificate(options.essCertificatePem);
  const certificates = uniqueCertificates([
    leaf,
    ...signer.chainPems.map((pem) => new X509Certificate(pem)),
  ]);
  const { issuer, serialNumber } = issuerAndSerial(leaf.raw);
  const keyType = signer.privateKey.asymmetricKeyType;
  if (keyType !== "rsa" && keyType !== "ec")
    throw new Error(`Cannot sign with a ${keyType ?? "unknown"} key.`);
  const encapsulated = options.encapsulated;
  const digest =
    encapsulated === undefined
      ? contentDigest
      : createHash("sha256").update(encapsulated.der).digest();

  const signedAttributes = sortedSet([
    attribute(OID.contentType, oid(encapsulated?.contentType ?? OID.data)),
    attribute(OID.messageDigest, octets(binary(digest))),
    attribute(
      OID.signingCertificateV2,
      sequence([
        sequence([
          // ESSCertIDv2: hashAlgorithm DEFAULT id-sha256 is omitted in DER.
          sequence([
            octets(binary(createHash("sha256").update(named.raw).digest())),
            sequence([sequence([explicitTag(4, [issuer])]), serialNumber]),
          ]),
        ]),
      ]),
    ),
  ]);
  const toBeSigned = Buffer.from(
    asn1.toDer(signedAttributes).getBytes(),
    "binary",
  );
  const signature = sign("sha256", toBeSigned, signer.privateKey);

  // Encoded from the bytes up, so the certificates and a token go in exactly as they came (a re-encoding
  // could change a token the TSA signed).
  const encode = (
    encodeOptions: { timeStampToken?: Uint8Array } = {},
  ): Uint8Array => {
    const token = encodeOptions.timeStampToken;
    const signerInfo = tlv(
      0x30,
      der(integer(1)),
      der(sequence([issuer, serialNumber])),
      der(algorithm(OID.sha256)),
      // In SignerInfo the signed attributes are [0] IMPLICIT: the same SET with its tag changed.
      der(explicitTag(0, signedAttributes.value)),
      der(
        keyType === "rsa"
          ? algorithm(OID.rsaEncryption, true)
          : algorithm(OID.ecdsaWithSha256),
      ),
      der(octets(binary(signature))),
      // unsignedAttrs [1] IMPLICIT SET OF Attribute { id-aa-signatureTimeStampToken, SET { token } }.
      ...(token === undefined
        ? []
        : [
            tlv(
              0xa1,
              tlv(
                0x30,
                der(oid(OID.signatureTimeStampToken)),
                tlv(0x31, token),
              ),
            ),
          ]),
    );
    const signedData = tlv(
      0x30,
      der(integer(encapsulated === undefined ? 1 : 3)),
      der(set([algorithm(OID.sha256)])),
      der(
        sequence(
          encapsulated === undefined
            ? [oid(OID.data)]
            : [
                oid(encapsulated.contentType),
                explicitTag(0, [octets(binary(encapsulated.der))]),
              ],
        ),
      ),
      ...(options.omitCertificates === true
        ? []
        : [tlv(0xa0, ...certificates.map((certificate) => certificate.raw))]),
      tlv(0x31, signerInfo),
    );
    return tlv(0x30, der(oid(OID.signedData)), tlv(0xa0, signedData));
  };
  return { signatureValue: new Uint8Array(signature), encode };
}

/** The issuer Name and serialNumber of a certificate, as they are encoded in it. */
function issuerAndSerial(certificateDer: Uint8Array): {
  issuer: forge.asn1.Asn1;
  serialNumber: forge.asn1.Asn1;
} {
  const tbs = childrenOf(childrenOf(parse(certificateDer))[0]);
  const offset = isContextTag(tbs[0], 0) ? 1 : 0;
  const serialNumber = tbs[offset];
  const issuer = tbs[offset + 2];
  if (serialNumber === undefined || issuer === undefined)
    throw new Error("The signer's certificate has no issuer or serial number.");
  return { issuer, serialNumber };
}

function uniqueCertificates(
  certificates: X509Certificate[],
): X509Certificate[] {
  const seen = new Set<string>();
  return certificates.filter((certificate) => {
    if (seen.has(certificate.fingerprint256)) return false;
    seen.add(certificate.fingerprint256);
    return true;
  });
}

function parse(bytes: Uint8Array): forge.asn1.Asn1 {
  return fromDer(Buffer.from(bytes).toString("binary"), {
    decodeBitStrings: false,
  });
}

function der(node: forge.asn1.Asn1): Uint8Array {
  return Buffer.from(asn1.toDer(node).getBytes(), "binary");
}

/** An OBJECT IDENTIFIER as DER. */
export function oidDer(id: string): Uint8Array {
  return der(oid(id));
}

/** One DER element: a tag byte, the definite length, the contents. */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const body = Buffer.concat(parts);
  const length = body.length;
  const header =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : length < 0x10000
          ? [tag, 0x82, length >> 8, length & 0xff]
          : [tag, 0x83, length >> 16, (length >> 8) & 0xff, length & 0xff];
  return Buffer.concat([Buffer.from(header), body]);
}

function binary(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("binary");
}

function sequence(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SEQUENCE, true, items);
}

function set(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.SET, true, items);
}

/** A DER SET OF: elements in the order of their encodings (X.690 §11.6), as verifiers re-encode it. */
function sortedSet(items: forge.asn1.Asn1[]): forge.asn1.Asn1 {
  const encoded = items.map((item) => ({
    item,
    der: asn1.toDer(item).getBytes(),
  }));
  encoded.sort((a, b) =>
    Buffer.compare(Buffer.from(a.der, "binary"), Buffer.from(b.der, "binary")),
  );
  return set(encoded.map((e) => e.item));
}

function oid(id: string): forge.asn1.Asn1 {
  return asn1.create(
    Class.UNIVERSAL,
    Type.OID,
    false,
    asn1.oidToDer(id).getBytes(),
  );
}

function octets(bytes: string): forge.asn1.Asn1 {
  return asn1.create(Class.UNIVERSAL, Type.OCTETSTRING, false, bytes);
}

function integer(value: number): forge.asn1.Asn1 {
  return asn1.create(
    Class.UNIVERSAL,
    Type.INTEGER,
    false,
    String.fromCharCode(value),
  );
}

function algorithm(id: string, nullParameters = false): forge.asn1.Asn1 {
  return sequence(
    nullParameters
      ? [oid(id), asn1.create(Class.UNIVERSAL, Type.NULL, false, "")]
      : [oid(id)],
  );
}

function attribute(type: string, value: forge.asn1.Asn1): forge.asn1.Asn1 {
  return sequence([oid(type), set([value])]);
}

/** A constructed context-specific element: [tag] holding `items` (EXPLICIT, or IMPLICIT over a SET/SEQUENCE). */
function explicitTag(
  tag: number,
  items: forge.asn1.Asn1[] | string,
): forge.asn1.Asn1 {
  // node-forge types the tag number as its enum of universal types; context tags are plain numbers.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment -- see above
  return asn1.create(Class.CONTEXT_SPECIFIC, tag, true, items);
}

function childrenOf(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
}

function isContextTag(node: forge.asn1.Asn1 | undefined, tag: number): boolean {
  const raw = node as { tagClass: number; type: number } | undefined;
  return raw?.tagClass === 0x80 && raw.type === tag;
}
