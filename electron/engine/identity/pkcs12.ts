// PKCS#12 (.p12/.pfx) in and out: the engineer's signing identity and the mTLS client identity alike.
// node-forge decrypts the file (3DES, AES/PBES2, legacy RC2-40) and parses RSA keys; keys it cannot parse (EC)
// come back as their PKCS#8 ASN.1, which Node's crypto reads. Certificates are kept as DER and read with Node.
import forge from "node-forge";
import {
  X509Certificate,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  type KeyType,
} from "node:crypto";
import { UserError } from "../errors";
import { derToPem, fromDer, isSelfSigned } from "./x509";

/** What a PKCS#12 file holds, ready to use. Bytes in, objects out: no file system here. */
export interface Pkcs12Identity {
  privateKey: KeyObject;
  /** Node's key type: "rsa" or "ec" for the identities Cellcert signs with. */
  keyType: KeyType;
  /** The certificate that belongs to the private key. */
  certificatePem: string;
  /** The other certificates of the file, issuer of the leaf first; may be empty. */
  chainPems: string[];
  /** The file's friendly name for the key, or "". */
  friendlyName: string;
}

export interface ReadPkcs12Options {
  /** The file's name as the user knows it, for messages ("engineer.p12"). */
  fileName?: string;
}

const WRONG_PASSPHRASE =
  /MAC could not be verified|Invalid password|wrong password|Failed to decrypt/i;

export function readPkcs12(
  bytes: Uint8Array,
  passphrase: string,
  options: ReadPkcs12Options = {},
): Pkcs12Identity {
  const name = options.fileName ?? "the PKCS#12 file";
  let pfx: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = fromDer(Buffer.from(bytes).toString("binary"), {
      strict: false,
      parseAllBytes: false,
      decodeBitStrings: false,
    });
    pfx = forge.pkcs12.pkcs12FromAsn1(asn1, false, passphrase);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    if (WRONG_PASSPHRASE.test(detail))
      throw new UserError(
        "invalid-input",
        `The passphrase does not open ${name}.`,
        { cause: error },
      );
    if (/Unsupported OID|unsupported|not supported/i.test(detail))
      throw new UserError(
        "invalid-input",
        `${capitalize(name)} uses an encryption or format Cellcert cannot read (${detail}). Export it again with AES-256 or 3DES.`,
        { cause: error },
      );
    throw new UserError(
      "invalid-input",
      `${capitalize(name)} is not a PKCS#12 file (.p12 or .pfx) Cellcert can read: ${detail}`,
      { cause: error },
    );
  }

  const keys: { key: KeyObject; friendlyName: string }[] = [];
  const certificates: X509Certificate[] = [];
  for (const safe of pfx.safeContents) {
    for (const bag of safe.safeBags) {
      if (
        bag.type === forge.pki.oids.pkcs8ShroudedKeyBag ||
        bag.type === forge.pki.oids.keyBag
      ) {
        keys.push({
          key: privateKeyOf(bag, name),
          friendlyName: friendlyNameOf(bag),
        });
      } else if (bag.type === forge.pki.oids.certBag) {
        // node-forge leaves `cert` null for certificates it cannot parse (EC) and keeps their ASN.1.
        const parsed = bag.cert as forge.pki.Certificate | null | undefined;
        const der =
          parsed !== undefined && parsed !== null
            ? forge.asn1.toDer(forge.pki.certificateToAsn1(parsed)).getBytes()
            : forge.asn1.toDer(bag.asn1).getBytes();
        certificates.push(new X509Certificate(Buffer.from(der, "binary")));
      }
    }
  }
  if (keys.length === 0)
    throw new UserError(
      "invalid-input",
      `${capitalize(name)} holds no private key: export the identity again with its private key.`,
    );

  for (const { key, friendlyName } of keys) {
    const spki = publicKeyDer(key);
    const leaf = certificates.find((certificate) =>
      certificate.publicKey
        .export({ type: "spki", format: "der" })
        .equals(spki),
    );
    if (leaf === undefined) continue;
    const chain = orderChain(
      leaf,
      certificates.filter((c) => c !== leaf),
    );
    return {
      privateKey: key,
      keyType: key.asymmetricKeyType ?? "rsa",
      certificatePem: derToPem(leaf.raw),
      chainPems: chain.map((c) => derToPem(c.raw)),
      friendlyName,
    };
  }
  throw new UserError(
    "invalid-input",
    `${capitalize(name)} holds a private key but not its certificate: export the identity again with its certificate.`,
  );
}

export interface WritePkcs12Options {
  /** Shown by the operating system's certificate store when the file is imported. */
  friendlyName?: string;
  /** AES-256 (default) or 3DES, for Windows versions older than 10 1709. */
  algorithm?: "aes256" | "3des";
}

export interface IdentityMaterial {
  privateKey: KeyObject;
  certificatePem: string;
  chainPems: readonly string[];
}

/** A PKCS#12 file of an RSA identity (the kind Cellcert creates), with its chain. */
export function writePkcs12(
  identity: IdentityMaterial,
  passphrase: string,
  options: WritePkcs12Options = {},
): Uint8Array {
  if (identity.privateKey.asymmetricKeyType !== "rsa")
    throw new UserError(
      "invalid-input",
      "Cellcert exports only the RSA identities it creates as PKCS#12; keep the original file of an imported ECDSA identity.",
    );
  const key = forge.pki.privateKeyFromPem(
    identity.privateKey.export({ type: "pkcs1", format: "pem" }).toString(),
  );
  const certificates = [identity.certificatePem, ...identity.chainPems].map(
    (pem) => forge.pki.certificateFromPem(pem),
  );
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, certificates, passphrase, {
    algorithm: options.algorithm ?? "aes256",
    generateLocalKeyId: true,
    ...(options.friendlyName !== undefined && {
      friendlyName: options.friendlyName,
    }),
  });
  return new Uint8Array(
    Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary"),
  );
}

function privateKeyOf(bag: forge.pkcs12.Bag, name: string): KeyObject {
  try {
    const parsed = bag.key as forge.pki.rsa.PrivateKey | null | undefined;
    if (parsed !== undefined && parsed !== null)
      return createPrivateKey(forge.pki.privateKeyToPem(parsed));
    // node-forge hands back keys it cannot parse (EC) as their PrivateKeyInfo.
    const der = Buffer.from(forge.asn1.toDer(bag.asn1).getBytes(), "binary");
    return createPrivateKey({ key: der, format: "der", type: "pkcs8" });
  } catch (error) {
    throw new UserError(
      "invalid-input",
      `The private key in ${name} could not be read: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

function friendlyNameOf(bag: forge.pkcs12.Bag): string {
  const attributes: unknown = bag.attributes;
  if (typeof attributes !== "object" || attributes === null) return "";
  const names: unknown = (attributes as Record<string, unknown>).friendlyName;
  return Array.isArray(names) && typeof names[0] === "string" ? names[0] : "";
}

function publicKeyDer(key: KeyObject): Buffer {
  return createPublicKey(key).export({ type: "spki", format: "der" });
}

/** From the leaf up: each next certificate is the issuer of the one before; the rest follow. */
function orderChain(
  leaf: X509Certificate,
  others: X509Certificate[],
): X509Certificate[] {
  const ordered: X509Certificate[] = [];
  const remaining = [...others];
  let current = leaf;
  for (;;) {
    if (isSelfSigned(current)) break;
    const issuerIndex = remaining.findIndex(
      (candidate) =>
        current.checkIssued(candidate) && current.verify(candidate.publicKey),
    );
    if (issuerIndex < 0) break;
    const [issuer] = remaining.splice(issuerIndex, 1);
    if (issuer === undefined) break;
    ordered.push(issuer);
    current = issuer;
  }
  return [...ordered, ...remaining];
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
