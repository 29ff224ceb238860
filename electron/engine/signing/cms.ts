// The CMS SignedData of a PAdES baseline B-B signature (ETSI EN 319 142-1, RFC 5652), built with node-forge's
// ASN.1 and signed with Node's crypto: detached SHA-256 digest of the PDF's byte ranges; signed attributes
// contentType, messageDigest and ESS signing-certificate-v2 (no signingTime: PAdES puts the time in /M); the
// signer's chain embedded. node-forge's own pkcs7 writer cannot write signing-certificate-v2, hence by hand.
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
}

/** A DER-encoded ContentInfo holding the detached SignedData over a content whose SHA-256 is `contentDigest`. */
export function buildSignedData(
  contentDigest: Uint8Array,
  signer: CmsSigner,
  options: SignedDataOptions = {},
): Uint8Array {
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

  const signedAttributes = sortedSet([
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(binary(contentDigest))),
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

  const signerInfo = sequence([
    integer(1),
    sequence([issuer, serialNumber]),
    algorithm(OID.sha256),
    // In SignerInfo the signed attributes are [0] IMPLICIT: the same SET with its tag changed.
    explicitTag(0, signedAttributes.value),
    keyType === "rsa"
      ? algorithm(OID.rsaEncryption, true)
      : algorithm(OID.ecdsaWithSha256),
    octets(binary(signature)),
  ]);
  const signedData = sequence([
    integer(1),
    set([algorithm(OID.sha256)]),
    sequence([oid(OID.data)]),
    explicitTag(
      0,
      certificates.map((certificate) => parse(certificate.raw)),
    ),
    set([signerInfo]),
  ]);
  const contentInfo = sequence([
    oid(OID.signedData),
    explicitTag(0, [signedData]),
  ]);
  return new Uint8Array(
    Buffer.from(asn1.toDer(contentInfo).getBytes(), "binary"),
  );
}

/** The issuer Name and serialNumber of a certificate, as they are encoded in it. */
function issuerAndSerial(der: Uint8Array): {
  issuer: forge.asn1.Asn1;
  serialNumber: forge.asn1.Asn1;
} {
  const tbs = childrenOf(childrenOf(parse(der))[0]);
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

function parse(der: Uint8Array): forge.asn1.Asn1 {
  return fromDer(Buffer.from(der).toString("binary"), {
    decodeBitStrings: false,
  });
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
