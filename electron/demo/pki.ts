// The practice plant's PKI: certificate authorities, intermediates and leaf certificates with chosen names,
// validity, key types and sizes and signature hashes — good ones and deliberately broken ones.
// Certificates are built as ASN.1 with node-forge and signed with Node's crypto, so RSA and ECDSA (which
// node-forge cannot sign) take the same path, and nothing needs the openssl CLI (the practice plant also runs
// inside the packaged desktop app on Windows).
import {
  constants,
  createHash,
  generateKeyPairSync,
  getDiffieHellman,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import { isIP } from "node:net";
import forge from "node-forge";

const { asn1 } = forge;
type Asn1 = forge.asn1.Asn1;

export type KeySpec =
  | { type: "rsa"; bits: number }
  /** An RSASSA-PSS key (id-RSASSA-PSS in its SubjectPublicKeyInfo): it signs with PSS only. */
  | { type: "rsa-pss"; bits: number }
  | { type: "ec"; curve: "P-256" | "P-384" | "P-521" }
  | { type: "ed25519" };

export type PracticeSignatureHash =
  "sha256" | "sha384" | "sha512" | "sha1" | "md5";

export interface PracticeKey {
  spec: KeySpec;
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** PKCS#8 PEM, as a TLS server or client takes it. */
  privateKeyPem: string;
}

export interface PracticeCertificate {
  pem: string;
  der: Buffer;
  key: PracticeKey;
  /** The subject's common name. */
  commonName: string;
  /** The encoded subject Name, so certificates it issues name it byte for byte. */
  subjectDer: Buffer;
  /** Subject key identifier, for the authority key identifier of what it issues. */
  keyIdentifier: Buffer;
  /** The serial number's DER content (positive, big-endian). */
  serialNumber: Buffer;
  notBefore: Date;
  notAfter: Date;
  isCA: boolean;
}

export interface CertificateRequest {
  commonName: string;
  organization?: string;
  country?: string;
  /** subjectAltName DNS names; IP literals given here go into IP SANs. */
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  /** Leave subjectAltName out altogether (the name only in the CN — which must fail). */
  omitSubjectAltName?: boolean;
  notBefore?: Date;
  notAfter?: Date;
  key?: KeySpec | PracticeKey;
  isCA?: boolean;
  pathLength?: number;
  /** Hash of the issuer's signature over this certificate. */
  signatureHash?: PracticeSignatureHash;
  /** Sign with RSASSA-PSS (an RSA or RSA-PSS issuer key); an RSA-PSS issuer key always does. */
  signaturePss?: boolean;
  /** On leaves and CAs alike; CAs carry none unless asked. */
  extendedKeyUsage?: readonly ExtendedKeyUsageName[];
  /** Mark the extendedKeyUsage extension critical (RFC 3161 wants it so of a TSA). */
  extendedKeyUsageCritical?: boolean;
  /** The keyUsage bits to write; null leaves the extension out. By default: keyCertSign+cRLSign for CAs,
   * digitalSignature (+ keyEncipherment for RSA) for leaves. */
  keyUsage?: readonly KeyUsageBit[] | null;
  /** Leave basicConstraints out altogether (a CA without it is no CA to any client). */
  omitBasicConstraints?: boolean;
  /** nameConstraints entries: "dns:.plant.local", "ip:10.0.0.0/8". */
  nameConstraints?: {
    permitted?: readonly string[];
    excluded?: readonly string[];
  };
  /** An X.509 v1 certificate: no extensions at all (old-style roots). */
  version1?: boolean;
  /** A critical extension with this OID that no client knows. */
  unknownCriticalExtension?: string;
}

export type ExtendedKeyUsageName =
  | "serverAuth"
  | "clientAuth"
  | "emailProtection"
  | "OCSPSigning"
  | "timeStamping"
  | "documentSigning"
  | "anyExtendedKeyUsage";

export type KeyUsageBit =
  | "digitalSignature"
  | "nonRepudiation"
  | "keyEncipherment"
  | "dataEncipherment"
  | "keyAgreement"
  | "keyCertSign"
  | "cRLSign";

const KEY_USAGE_BIT: Record<KeyUsageBit, number> = {
  digitalSignature: 0,
  nonRepudiation: 1,
  keyEncipherment: 2,
  dataEncipherment: 3,
  keyAgreement: 4,
  keyCertSign: 5,
  cRLSign: 6,
};

const DAY_MS = 86_400_000;

export const RSA_2048: KeySpec = { type: "rsa", bits: 2048 };
export const EC_P256: KeySpec = { type: "ec", curve: "P-256" };

const CURVE_NAMES = {
  "P-256": "prime256v1",
  "P-384": "secp384r1",
  "P-521": "secp521r1",
} as const;

/** A fresh key pair. RSA keys come from Node's crypto (node-forge's pure-JS generation is far slower). */
export function generateKey(spec: KeySpec): PracticeKey {
  const { privateKey, publicKey } =
    spec.type === "rsa"
      ? generateKeyPairSync("rsa", { modulusLength: spec.bits })
      : spec.type === "rsa-pss"
        ? generateKeyPairSync("rsa-pss", { modulusLength: spec.bits })
        : spec.type === "ed25519"
          ? generateKeyPairSync("ed25519")
          : generateKeyPairSync("ec", { namedCurve: CURVE_NAMES[spec.curve] });
  return {
    spec,
    privateKey,
    publicKey,
    privateKeyPem: privateKey
      .export({ type: "pkcs8", format: "pem" })
      .toString(),
  };
}

/** A self-signed certificate: a root CA when `isCA`, otherwise a self-signed server certificate. */
export function createSelfSigned(
  request: CertificateRequest,
): PracticeCertificate {
  const key = resolveKey(request.key);
  return build(request, key, null);
}

/** A certificate for `request`, signed by `issuer`. */
export function issueCertificate(
  issuer: PracticeCertificate,
  request: CertificateRequest,
): PracticeCertificate {
  if (!issuer.isCA) {
    throw new Error(
      `${issuer.commonName} is not a CA and cannot issue certificates.`,
    );
  }
  return build(request, resolveKey(request.key), issuer);
}

/** Like issueCertificate, but from any certificate's key: the forgeries and mis-issuances clients must refuse. */
export function issueUnchecked(
  issuer: PracticeCertificate,
  request: CertificateRequest,
): PracticeCertificate {
  return build(request, resolveKey(request.key), issuer);
}

/** PEM of several certificates, one after the other (what a server sends as its chain). */
export function pemBundle(
  certificates: readonly PracticeCertificate[],
): string {
  return certificates.map((c) => c.pem).join("");
}

/** A time `days` days from `from` (negative: in the past). */
export function daysFrom(from: Date, days: number): Date {
  return new Date(from.getTime() + days * DAY_MS);
}

// ---- the practice PKI: root → intermediate → leaves ------------------------------------------------------------

export interface PracticePki {
  root: PracticeCertificate;
  intermediate: PracticeCertificate;
  /** A leaf issued by the intermediate; defaults: RSA-2048, SHA-256, valid from a day ago for a year. */
  issueLeaf(request: CertificateRequest): PracticeCertificate;
  /** Leaf then intermediate: what a correctly configured server sends. */
  chainOf(leaf: PracticeCertificate): PracticeCertificate[];
}

export interface PracticePkiOptions {
  /** Name prefix, e.g. "Practice Plant". */
  name?: string;
  now?: Date;
  key?: KeySpec;
}

/** A two-level PKI as plants run them: an offline root and an issuing intermediate. */
export function createPracticePki(
  options: PracticePkiOptions = {},
): PracticePki {
  const name = options.name ?? "Cellcert Practice";
  const now = options.now ?? new Date();
  const keySpec = options.key ?? RSA_2048;
  const root = createSelfSigned({
    commonName: `${name} Root CA`,
    organization: name,
    isCA: true,
    key: keySpec,
    notBefore: daysFrom(now, -365),
    notAfter: daysFrom(now, 3650),
  });
  const intermediate = issueCertificate(root, {
    commonName: `${name} Issuing CA`,
    organization: name,
    isCA: true,
    pathLength: 0,
    key: keySpec,
    notBefore: daysFrom(now, -365),
    notAfter: daysFrom(now, 1825),
  });
  return {
    root,
    intermediate,
    issueLeaf: (request) =>
      issueCertificate(intermediate, {
        organization: name,
        notBefore: daysFrom(now, -1),
        notAfter: daysFrom(now, 365),
        extendedKeyUsage: ["serverAuth"],
        ...request,
      }),
    chainOf: (leaf) => [leaf, intermediate],
  };
}

// ---- ASN.1 ------------------------------------------------------------------------------------------------------

const OID = {
  commonName: "2.5.4.3",
  country: "2.5.4.6",
  organization: "2.5.4.10",
  basicConstraints: "2.5.29.19",
  keyUsage: "2.5.29.15",
  extKeyUsage: "2.5.29.37",
  subjectAltName: "2.5.29.17",
  subjectKeyIdentifier: "2.5.29.14",
  authorityKeyIdentifier: "2.5.29.35",
  nameConstraints: "2.5.29.30",
  serverAuth: "1.3.6.1.5.5.7.3.1",
  clientAuth: "1.3.6.1.5.5.7.3.2",
  emailProtection: "1.3.6.1.5.5.7.3.4",
  OCSPSigning: "1.3.6.1.5.5.7.3.9",
  timeStamping: "1.3.6.1.5.5.7.3.8",
  documentSigning: "1.3.6.1.5.5.7.3.36",
  anyExtendedKeyUsage: "2.5.29.37.0",
  rsassaPss: "1.2.840.113549.1.1.10",
  mgf1: "1.2.840.113549.1.1.8",
  ed25519: "1.3.101.112",
} as const;

const HASH_OIDS: Partial<Record<PracticeSignatureHash, string>> = {
  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",
};

const SIGNATURE_OIDS: Record<
  "rsa" | "ec",
  Partial<Record<PracticeSignatureHash, string>>
> = {
  rsa: {
    md5: "1.2.840.113549.1.1.4",
    sha1: "1.2.840.113549.1.1.5",
    sha256: "1.2.840.113549.1.1.11",
    sha384: "1.2.840.113549.1.1.12",
    sha512: "1.2.840.113549.1.1.13",
  },
  ec: {
    sha1: "1.2.840.10045.4.1",
    sha256: "1.2.840.10045.4.3.2",
    sha384: "1.2.840.10045.4.3.3",
    sha512: "1.2.840.10045.4.3.4",
  },
};

const U = asn1.Class.UNIVERSAL;
const CONTEXT = asn1.Class.CONTEXT_SPECIFIC;
const T = asn1.Type;
/**
 * Context-specific tags ([0] version and key id, [2] dNSName, [3] extensions, [7] iPAddress) travel in forge's
 * `type` field, typed as the universal enum; these are the enum members with the same numbers.
 */
const TAG = {
  0: T.NONE,
  1: T.BOOLEAN,
  2: T.INTEGER,
  3: T.BITSTRING,
  7: T.ODESC,
} as const;
const tag = (n: keyof typeof TAG): forge.asn1.Type => TAG[n];

const bin = (bytes: Buffer): string => bytes.toString("binary");
const seq = (items: Asn1[]): Asn1 => asn1.create(U, T.SEQUENCE, true, items);
const oid = (id: string): Asn1 =>
  asn1.create(U, T.OID, false, asn1.oidToDer(id).getBytes());
const octets = (bytes: Buffer): Asn1 =>
  asn1.create(U, T.OCTETSTRING, false, bin(bytes));
const toDer = (node: Asn1): Buffer =>
  Buffer.from(asn1.toDer(node).getBytes(), "binary");
const fromDer = (der: Buffer): Asn1 => asn1.fromDer(bin(der));

function resolveKey(key: KeySpec | PracticeKey | undefined): PracticeKey {
  if (key === undefined) return generateKey(RSA_2048);
  return "privateKey" in key ? key : generateKey(key);
}

function encodeName(request: CertificateRequest): Asn1 {
  const attribute = (id: string, type: forge.asn1.Type, value: string): Asn1 =>
    asn1.create(U, T.SET, true, [
      seq([oid(id), asn1.create(U, type, false, forge.util.encodeUtf8(value))]),
    ]);
  const rdns: Asn1[] = [];
  if (request.country !== undefined)
    rdns.push(attribute(OID.country, T.PRINTABLESTRING, request.country));
  if (request.organization !== undefined)
    rdns.push(attribute(OID.organization, T.UTF8, request.organization));
  rdns.push(attribute(OID.commonName, T.UTF8, request.commonName));
  return seq(rdns);
}

function encodeTime(date: Date): Asn1 {
  const year = date.getUTCFullYear();
  return year >= 1950 && year < 2050
    ? asn1.create(U, T.UTCTIME, false, asn1.dateToUtcTime(date))
    : asn1.create(
        U,
        T.GENERALIZEDTIME,
        false,
        asn1.dateToGeneralizedTime(date),
      );
}

function encodeIp(address: string): Buffer {
  if (isIP(address) === 4) return Buffer.from(address.split(".").map(Number));
  // IPv6: expand "::" and write 8 words.
  const [head = "", tail = ""] = address.split("::");
  const words = (part: string): number[] =>
    part === "" ? [] : part.split(":").map((w) => parseInt(w, 16));
  const headWords = words(head);
  const tailWords = address.includes("::") ? words(tail) : [];
  const all = [
    ...headWords,
    ...Array<number>(8 - headWords.length - tailWords.length).fill(0),
    ...tailWords,
  ];
  const out = Buffer.alloc(16);
  all.forEach((word, i) => out.writeUInt16BE(word, i * 2));
  return out;
}

/** A BIT STRING of key-usage bits (bit 0 = digitalSignature), DER-minimal. */
function keyUsageBits(bits: readonly number[]): Asn1 {
  let value = 0;
  for (const bit of bits) value |= 0x80 >> bit;
  let unused = 0;
  while (unused < 7 && ((value >> unused) & 1) === 0) unused++;
  return asn1.create(U, T.BITSTRING, false, String.fromCharCode(unused, value));
}

function extension(id: string, critical: boolean, value: Asn1): Asn1 {
  const parts = [oid(id)];
  if (critical)
    parts.push(asn1.create(U, T.BOOLEAN, false, String.fromCharCode(0xff)));
  parts.push(octets(toDer(value)));
  return seq(parts);
}

function keyIdentifierOf(spkiDer: Buffer): Buffer {
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING's bits.
  const spki = fromDer(spkiDer);
  const bitString = (spki.value as Asn1[])[1];
  const bits =
    typeof bitString?.value === "string" ? bitString.value.slice(1) : "";
  return createHash("sha1").update(Buffer.from(bits, "binary")).digest();
}

function positiveSerial(): Buffer {
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 1) & 0x7f) | 0x01;
  return serial;
}

function build(
  request: CertificateRequest,
  key: PracticeKey,
  issuer: PracticeCertificate | null,
): PracticeCertificate {
  const signer = issuer?.key ?? key;
  const hash = request.signatureHash ?? "sha256";
  const { algorithm, signTbs } = signatureScheme(
    signer,
    hash,
    request.signaturePss === true,
  );
  const now = new Date();
  const notBefore = request.notBefore ?? daysFrom(now, -1);
  const notAfter = request.notAfter ?? daysFrom(now, 365);
  const spkiDer = key.publicKey.export({ type: "spki", format: "der" });
  const keyIdentifier = keyIdentifierOf(spkiDer);
  const subject = encodeName(request);
  const subjectDer = toDer(subject);
  const isCA = request.isCA ?? false;
  const serial = positiveSerial();

  const extensions: Asn1[] = [];
  if (request.omitBasicConstraints !== true)
    extensions.push(
      extension(
        OID.basicConstraints,
        true,
        seq(
          isCA
            ? [
                asn1.create(U, T.BOOLEAN, false, String.fromCharCode(0xff)),
                ...(request.pathLength === undefined
                  ? []
                  : [
                      asn1.create(
                        U,
                        T.INTEGER,
                        false,
                        asn1.integerToDer(request.pathLength).getBytes(),
                      ),
                    ]),
              ]
            : [],
        ),
      ),
    );
  const keyUsage =
    request.keyUsage === undefined
      ? isCA
        ? [5, 6]
        : key.spec.type === "rsa"
          ? [0, 2]
          : [0]
      : request.keyUsage?.map((name) => KEY_USAGE_BIT[name]);
  if (keyUsage !== undefined)
    extensions.push(extension(OID.keyUsage, true, keyUsageBits(keyUsage)));
  extensions.push(
    extension(OID.subjectKeyIdentifier, false, octets(keyIdentifier)),
  );
  if (request.nameConstraints !== undefined) {
    const subtrees = (
      entries: readonly string[] | undefined,
      n: 0 | 1,
    ): Asn1[] =>
      entries === undefined || entries.length === 0
        ? []
        : [
            asn1.create(
              CONTEXT,
              tag(n),
              true,
              entries.map((entry) => seq([generalNameOf(entry)])),
            ),
          ];
    extensions.push(
      extension(
        OID.nameConstraints,
        true,
        seq([
          ...subtrees(request.nameConstraints.permitted, 0),
          ...subtrees(request.nameConstraints.excluded, 1),
        ]),
      ),
    );
  }
  if (request.unknownCriticalExtension !== undefined)
    extensions.push(
      extension(
        request.unknownCriticalExtension,
        true,
        asn1.create(U, T.NULL, false, ""),
      ),
    );
  if (issuer !== null) {
    extensions.push(
      extension(
        OID.authorityKeyIdentifier,
        false,
        seq([asn1.create(CONTEXT, tag(0), false, bin(issuer.keyIdentifier))]),
      ),
    );
  }
  if (
    request.extendedKeyUsage !== undefined &&
    request.extendedKeyUsage.length > 0
  ) {
    extensions.push(
      extension(
        OID.extKeyUsage,
        request.extendedKeyUsageCritical === true,
        seq(request.extendedKeyUsage.map((u) => oid(OID[u]))),
      ),
    );
  }
  const dnsNames = request.dnsNames ?? (isCA ? [] : [request.commonName]);
  const names: Asn1[] = [
    ...dnsNames.map((name) => asn1.create(CONTEXT, tag(2), false, name)),
    ...(request.ipAddresses ?? []).map((ip) =>
      asn1.create(CONTEXT, tag(7), false, bin(encodeIp(ip))),
    ),
  ];
  if (!request.omitSubjectAltName && names.length > 0) {
    extensions.push(extension(OID.subjectAltName, false, seq(names)));
  }

  const v1 = request.version1 === true;
  const tbs = seq([
    ...(v1
      ? []
      : [
          asn1.create(CONTEXT, tag(0), true, [
            asn1.create(U, T.INTEGER, false, asn1.integerToDer(2).getBytes()),
          ]),
        ]),
    asn1.create(U, T.INTEGER, false, bin(serial)),
    algorithm,
    issuer === null ? subject : fromDer(issuer.subjectDer),
    seq([encodeTime(notBefore), encodeTime(notAfter)]),
    subject,
    fromDer(spkiDer),
    ...(v1 ? [] : [asn1.create(CONTEXT, tag(3), true, [seq(extensions)])]),
  ]);
  const tbsDer = toDer(tbs);
  const signature = signTbs(tbsDer);
  const certificate = seq([
    fromDer(tbsDer),
    fromDer(toDer(algorithm)),
    asn1.create(U, T.BITSTRING, false, String.fromCharCode(0) + bin(signature)),
  ]);
  const der = toDer(certificate);
  const base64 = der
    .toString("base64")
    .replace(/.{64}/g, "$&\n")
    .replace(/\n$/, "");
  return {
    pem: `-----BEGIN CERTIFICATE-----\n${base64}\n-----END CERTIFICATE-----\n`,
    der,
    key,
    commonName: request.commonName,
    subjectDer,
    keyIdentifier,
    serialNumber: serial,
    notBefore,
    notAfter,
    isCA,
  };
}

/** The AlgorithmIdentifier and the signing function for a signer key and hash (PKCS #1, PSS, ECDSA, Ed25519). */
function signatureScheme(
  signer: PracticeKey,
  hash: PracticeSignatureHash,
  pss: boolean,
): { algorithm: Asn1; signTbs: (tbs: Buffer) => Buffer } {
  const type = signer.spec.type;
  if (type === "ed25519")
    return {
      algorithm: seq([oid(OID.ed25519)]),
      signTbs: (tbs) => sign(null, tbs, signer.privateKey),
    };
  if (type === "rsa-pss" || (type === "rsa" && pss)) {
    const hashOid = HASH_OIDS[hash];
    if (hashOid === undefined)
      throw new Error(`RSASSA-PSS cannot sign with ${hash} here.`);
    const hashAlgorithm = seq([
      oid(hashOid),
      asn1.create(U, T.NULL, false, ""),
    ]);
    const saltLength = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 }[
      hash as "sha1" | "sha256" | "sha384" | "sha512"
    ];
    const params = seq([
      asn1.create(CONTEXT, tag(0), true, [hashAlgorithm]),
      asn1.create(CONTEXT, tag(1), true, [
        seq([oid(OID.mgf1), fromDer(toDer(hashAlgorithm))]),
      ]),
      asn1.create(CONTEXT, tag(2), true, [
        asn1.create(
          U,
          T.INTEGER,
          false,
          asn1.integerToDer(saltLength).getBytes(),
        ),
      ]),
    ]);
    return {
      algorithm: seq([oid(OID.rsassaPss), params]),
      signTbs: (tbs) =>
        sign(hash, tbs, {
          key: signer.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        }),
    };
  }
  const signatureOid = SIGNATURE_OIDS[type][hash];
  if (signatureOid === undefined) {
    throw new Error(
      `A ${type.toUpperCase()} key cannot sign with ${hash} here.`,
    );
  }
  return {
    algorithm: seq(
      type === "rsa"
        ? [oid(signatureOid), asn1.create(U, T.NULL, false, "")]
        : [oid(signatureOid)],
    ),
    signTbs: (tbs) => sign(hash, tbs, signer.privateKey),
  };
}

/** "dns:.plant.local" → [2] dNSName; "ip:10.0.0.0/8" → [7] address and mask. */
function generalNameOf(entry: string): Asn1 {
  const [kind, value = ""] = entry.split(/:(.*)/s);
  if (kind === "dns") return asn1.create(CONTEXT, tag(2), false, value);
  const [address = "", bits = "0"] = value.split("/");
  const bytes = encodeIp(address);
  const mask = Buffer.alloc(bytes.length);
  for (let i = 0; i < Number(bits); i++)
    mask[i >> 3] = (mask[i >> 3] ?? 0) | (0x80 >> (i & 7));
  return asn1.create(CONTEXT, tag(7), false, bin(Buffer.concat([bytes, mask])));
}

// ---- revocation: CRLs and OCSP responses, signed like certificates -------------------------------------------------

export type RevocationReason =
  | "unspecified"
  | "keyCompromise"
  | "cACompromise"
  | "affiliationChanged"
  | "superseded"
  | "cessationOfOperation";

const REASON_CODES: Record<RevocationReason, number> = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
};

export interface RevokedCertificate {
  certificate: PracticeCertificate;
  revokedAt: Date;
  reason?: RevocationReason;
}

const enumerated = (value: number): Asn1 =>
  asn1.create(U, T.ENUMERATED, false, String.fromCharCode(value));
const integerOf = (bytes: Buffer): Asn1 =>
  asn1.create(U, T.INTEGER, false, bin(bytes));
const generalizedTime = (date: Date): Asn1 =>
  asn1.create(U, T.GENERALIZEDTIME, false, asn1.dateToGeneralizedTime(date));

function pemOf(label: string, der: Buffer): string {
  const base64 = der
    .toString("base64")
    .replace(/.{64}/g, "$&\n")
    .replace(/\n$/, "");
  return `-----BEGIN ${label}-----\n${base64}\n-----END ${label}-----\n`;
}

/** A CRL (RFC 5280 §5) issued by `issuer`, listing `revoked`. */
export function createCrl(
  issuer: PracticeCertificate,
  options: {
    revoked?: readonly RevokedCertificate[];
    thisUpdate?: Date;
    nextUpdate?: Date;
    /** Sign with another key: a CRL its issuer did not make. */
    signingKey?: PracticeKey;
  } = {},
): { der: Buffer; pem: string } {
  const now = new Date();
  const signer = options.signingKey ?? issuer.key;
  const { algorithm, signTbs } = signatureScheme(signer, "sha256", false);
  const entries = (options.revoked ?? []).map((r) =>
    seq([
      integerOf(r.certificate.serialNumber),
      encodeTime(r.revokedAt),
      ...(r.reason === undefined
        ? []
        : [
            seq([
              extension("2.5.29.21", false, enumerated(REASON_CODES[r.reason])),
            ]),
          ]),
    ]),
  );
  const tbs = seq([
    asn1.create(U, T.INTEGER, false, asn1.integerToDer(1).getBytes()),
    algorithm,
    fromDer(issuer.subjectDer),
    encodeTime(options.thisUpdate ?? daysFrom(now, -1)),
    encodeTime(options.nextUpdate ?? daysFrom(now, 7)),
    ...(entries.length === 0 ? [] : [seq(entries)]),
  ]);
  const tbsDer = toDer(tbs);
  const der = toDer(
    seq([
      fromDer(tbsDer),
      fromDer(toDer(algorithm)),
      asn1.create(
        U,
        T.BITSTRING,
        false,
        String.fromCharCode(0) + bin(signTbs(tbsDer)),
      ),
    ]),
  );
  return { der, pem: pemOf("X509 CRL", der) };
}

/** An OCSP response (RFC 6960) about `certificate`, as a server staples it. */
export function createOcspResponse(
  issuer: PracticeCertificate,
  certificate: PracticeCertificate,
  options: {
    status: "good" | "revoked" | "unknown";
    revokedAt?: Date;
    reason?: RevocationReason;
    thisUpdate?: Date;
    nextUpdate?: Date;
    /** A delegated responder (EKU OCSPSigning, issued by `issuer`), sent along in the response. */
    responder?: PracticeCertificate;
    /** Sign with a key that is neither the issuer's nor the responder's: a forged response. */
    signingKey?: PracticeKey;
  },
): Buffer {
  const now = new Date();
  const sha1 = (bytes: Buffer): Buffer =>
    createHash("sha1").update(bytes).digest();
  // The key's BIT STRING as bytes: forge would otherwise decode its contents whenever they happen to parse as
  // ASN.1 (an EC point now and then), and the key hash would be of nothing.
  // (node-forge takes these options; its type definitions lag behind.)
  const fromDerAsIs = asn1.fromDer as unknown as (
    bytes: string,
    options: { decodeBitStrings: boolean },
  ) => Asn1;
  const issuerSpki = fromDerAsIs(
    bin(issuer.key.publicKey.export({ type: "spki", format: "der" })),
    { decodeBitStrings: false },
  );
  const keyBits = (issuerSpki.value as Asn1[])[1];
  const keyBytes = Buffer.from(
    typeof keyBits?.value === "string" ? keyBits.value.slice(1) : "",
    "binary",
  );
  const certId = seq([
    seq([oid("1.3.14.3.2.26"), asn1.create(U, T.NULL, false, "")]),
    octets(sha1(issuer.subjectDer)),
    octets(sha1(keyBytes)),
    integerOf(certificate.serialNumber),
  ]);
  const status =
    options.status === "good"
      ? asn1.create(CONTEXT, tag(0), false, "")
      : options.status === "revoked"
        ? asn1.create(CONTEXT, tag(1), true, [
            generalizedTime(options.revokedAt ?? daysFrom(now, -1)),
            ...(options.reason === undefined
              ? []
              : [
                  asn1.create(CONTEXT, tag(0), true, [
                    enumerated(REASON_CODES[options.reason]),
                  ]),
                ]),
          ])
        : asn1.create(CONTEXT, tag(2), false, "");
  const single = seq([
    certId,
    status,
    generalizedTime(options.thisUpdate ?? daysFrom(now, -1 / 24)),
    asn1.create(CONTEXT, tag(0), true, [
      generalizedTime(options.nextUpdate ?? daysFrom(now, 3)),
    ]),
  ]);
  const signerCertificate = options.responder ?? issuer;
  const responderId = asn1.create(CONTEXT, tag(1), true, [
    fromDer(signerCertificate.subjectDer),
  ]);
  const responseData = seq([responderId, generalizedTime(now), seq([single])]);
  const signer = options.signingKey ?? signerCertificate.key;
  const { algorithm, signTbs } = signatureScheme(signer, "sha256", false);
  const responseDataDer = toDer(responseData);
  const basic = seq([
    fromDer(responseDataDer),
    fromDer(toDer(algorithm)),
    asn1.create(
      U,
      T.BITSTRING,
      false,
      String.fromCharCode(0) + bin(signTbs(responseDataDer)),
    ),
    ...(options.responder === undefined
      ? []
      : [
          asn1.create(CONTEXT, tag(0), true, [
            seq([fromDer(options.responder.der)]),
          ]),
        ]),
  ]);
  return toDer(
    seq([
      enumerated(0),
      asn1.create(CONTEXT, tag(0), true, [
        seq([oid("1.3.6.1.5.5.7.48.1.1"), octets(toDer(basic))]),
      ]),
    ]),
  );
}

/**
 * DH parameters (PEM) of a well-known MODP group for DHE suites: "modp2" is 1024 bits (a practice fault),
 * "modp14" 2048 bits. No prime generation at run time.
 */
export function dhParametersPem(group: "modp2" | "modp14"): string {
  const prime = getDiffieHellman(group).getPrime();
  const integer = (bytes: Buffer): Asn1 =>
    asn1.create(
      U,
      T.INTEGER,
      false,
      bin(
        (bytes[0] ?? 0) & 0x80
          ? Buffer.concat([Buffer.from([0]), bytes])
          : bytes,
      ),
    );
  const der = toDer(seq([integer(prime), integer(Buffer.from([2]))]));
  const base64 = der
    .toString("base64")
    .replace(/.{64}/g, "$&\n")
    .replace(/\n$/, "");
  return `-----BEGIN DH PARAMETERS-----\n${base64}\n-----END DH PARAMETERS-----\n`;
}
