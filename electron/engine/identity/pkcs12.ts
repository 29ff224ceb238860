// PKCS#12 (.p12/.pfx) in and out: the engineer's signing identity and the mTLS client identity alike.
// node-forge decrypts the file (3DES, AES/PBES2, legacy RC2-40) and parses RSA keys; keys it cannot parse (EC)
// come back as their PKCS#8 ASN.1, which Node's crypto reads. Certificates are kept as DER and read with Node.
import { OID } from "../x509/oids";
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
  // A sentence starts with this, not with the file's name: capitalizing "engineer.p12" would misname the file.
  const subject =
    options.fileName === undefined
      ? "The PKCS#12 file"
      : `The file ${options.fileName}`;
  let pfx: forge.pkcs12.Pkcs12Pfx | undefined;
  let failure: unknown;
  try {
    const asn1 = fromDer(Buffer.from(bytes).toString("binary"), {
      strict: false,
      parseAllBytes: false,
      decodeBitStrings: false,
    });
    const unsealed = checkMac(asn1, passphrase);
    if (unsealed === null)
      throw new UserError(
        "invalid-input",
        `The passphrase does not open ${name}.`,
      );
    // PKCS#12's own key derivation reads the passphrase as UTF-16 (node-forge does so from the JS string);
    // PBES2 (AES) reads it as UTF-8 bytes, which node-forge needs to be given. Try both where they differ.
    const utf8 = forge.util.encodeUtf8(passphrase);
    for (const candidate of utf8 === passphrase
      ? [passphrase]
      : [passphrase, utf8]) {
      try {
        pfx = forge.pkcs12.pkcs12FromAsn1(unsealed, false, candidate);
        break;
      } catch (error) {
        failure ??= error;
        if (!WRONG_PASSPHRASE.test(error instanceof Error ? error.message : ""))
          throw error;
      }
    }
  } catch (error) {
    failure = error;
  }
  if (pfx === undefined) {
    if (failure instanceof UserError) throw failure;
    const detail = failure instanceof Error ? failure.message : String(failure);
    if (WRONG_PASSPHRASE.test(detail))
      throw new UserError(
        "invalid-input",
        `The passphrase does not open ${name}.`,
        { cause: failure },
      );
    if (/Unsupported OID|unsupported|not supported/i.test(detail))
      throw new UserError(
        "invalid-input",
        `${subject} uses an encryption or format Cellcert cannot read (${detail}). Export it again with AES-256 or 3DES.`,
        { cause: failure },
      );
    // PEM text (a certificate or key exported on its own) is the usual mistake: said so; the reader's own words
    // (node-forge's) stay in the cause.
    const pem = Buffer.from(bytes).toString("latin1").includes("-----BEGIN ");
    throw new UserError(
      "invalid-input",
      pem
        ? `${subject} is PEM text (a certificate or a key), not a PKCS#12 file: export the identity as .p12 or .pfx, with its private key.`
        : `${subject} is not a PKCS#12 file (.p12 or .pfx) Cellcert can read.`,
      { cause: failure },
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
      `${subject} holds no private key: export the identity again with its private key.`,
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
    `${subject} holds a private key but not its certificate: export the identity again with its certificate.`,
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
  const algorithm = options.algorithm ?? "aes256";
  // AES keys are derived with PBES2 from the passphrase's UTF-8 bytes; 3DES and the MAC with PKCS#12's own
  // derivation from its UTF-16 form (as OpenSSL does). node-forge takes one passphrase, so the MAC is added here.
  const pfx = forge.pkcs12.toPkcs12Asn1(
    key,
    certificates,
    algorithm === "aes256" ? forge.util.encodeUtf8(passphrase) : passphrase,
    {
      algorithm,
      generateLocalKeyId: true,
      useMac: false,
      ...(options.friendlyName !== undefined && {
        friendlyName: options.friendlyName,
      }),
    },
  );
  const sealed = addMac(pfx, passphrase);
  return new Uint8Array(
    Buffer.from(forge.asn1.toDer(sealed).getBytes(), "binary"),
  );
}

const MAC_DIGESTS: Readonly<
  Record<string, { create: () => forge.md.MessageDigest; bytes: number }>
> = {
  [OID.sha1]: {
    create: () => forge.md.sha1.create(),
    bytes: 20,
  },
  [OID.sha256]: {
    create: () => forge.md.sha256.create(),
    bytes: 32,
  },
  [OID.sha384]: {
    create: () => forge.md.sha384.create(),
    bytes: 48,
  },
  [OID.sha512]: {
    create: () => forge.md.sha512.create(),
    bytes: 64,
  },
};

/** The bytes of the authenticated safe, which the MAC covers: the content of the PFX's Data. */
function authenticatedSafeBytes(pfx: forge.asn1.Asn1): string {
  const contentInfo = childrenOf(pfx)[1];
  const octets = childrenOf(childrenOf(contentInfo)[1])[0];
  if (octets === undefined)
    throw new Error("The PKCS#12 file has no authenticated safe.");
  // BER may split the OCTET STRING into chunks.
  return Array.isArray(octets.value)
    ? octets.value
        .map((chunk) => (typeof chunk.value === "string" ? chunk.value : ""))
        .join("")
    : octets.value;
}

/**
 * Checks the file's MAC with the passphrase (as UTF-16, PKCS#12's way) and returns the PFX without it, for
 * node-forge to decrypt; null when the passphrase is wrong. A file without a MAC is returned as it is.
 */
function checkMac(
  pfx: forge.asn1.Asn1,
  passphrase: string,
): forge.asn1.Asn1 | null {
  const parts = childrenOf(pfx);
  const macData = parts[2];
  if (macData === undefined) return pfx;
  const [digestInfo, saltNode, iterationsNode] = childrenOf(macData);
  const [algorithmNode, digestNode] = childrenOf(digestInfo);
  const oidNode = childrenOf(algorithmNode)[0];
  if (
    oidNode === undefined ||
    digestNode === undefined ||
    saltNode === undefined
  )
    throw new Error("The PKCS#12 file's MAC is malformed.");
  const oid = forge.asn1.derToOid(bytesOf(oidNode));
  const digest = MAC_DIGESTS[oid];
  if (digest === undefined)
    throw new Error(
      `The PKCS#12 file's MAC uses an unsupported digest (${oid}).`,
    );
  const iterations =
    iterationsNode === undefined
      ? 1
      : forge.asn1.derToInteger(bytesOf(iterationsNode));
  const key = forge.pkcs12.generateKey(
    passphrase,
    forge.util.createBuffer(bytesOf(saltNode)),
    3,
    iterations,
    digest.bytes,
    digest.create(),
  );
  const hmac = forge.hmac.create();
  hmac.start(digest.create(), key);
  hmac.update(authenticatedSafeBytes(pfx));
  if (hmac.digest().getBytes() !== bytesOf(digestNode)) return null;
  return { ...pfx, value: parts.slice(0, 2) };
}

/** Adds an HMAC-SHA-256 MacData (2048 iterations) keyed from the passphrase as UTF-16. */
function addMac(pfx: forge.asn1.Asn1, passphrase: string): forge.asn1.Asn1 {
  const { asn1 } = forge;
  const salt = forge.random.getBytesSync(16);
  const iterations = 2048;
  const key = forge.pkcs12.generateKey(
    passphrase,
    forge.util.createBuffer(salt),
    3,
    iterations,
    32,
    forge.md.sha256.create(),
  );
  const hmac = forge.hmac.create();
  hmac.start(forge.md.sha256.create(), key);
  hmac.update(authenticatedSafeBytes(pfx));
  const sequence = (items: forge.asn1.Asn1[]): forge.asn1.Asn1 =>
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, items);
  const macData = sequence([
    sequence([
      sequence([
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.OID,
          false,
          asn1.oidToDer(OID.sha256).getBytes(),
        ),
        asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, ""),
      ]),
      asn1.create(
        asn1.Class.UNIVERSAL,
        asn1.Type.OCTETSTRING,
        false,
        hmac.digest().getBytes(),
      ),
    ]),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, salt),
    asn1.create(
      asn1.Class.UNIVERSAL,
      asn1.Type.INTEGER,
      false,
      asn1.integerToDer(iterations).getBytes(),
    ),
  ]);
  return { ...pfx, value: [...childrenOf(pfx).slice(0, 2), macData] };
}

function bytesOf(node: forge.asn1.Asn1): string {
  return typeof node.value === "string" ? node.value : "";
}

function childrenOf(node: forge.asn1.Asn1 | undefined): forge.asn1.Asn1[] {
  return node !== undefined && Array.isArray(node.value) ? node.value : [];
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
