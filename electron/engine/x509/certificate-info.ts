// Turns DER or PEM certificates into the evidence shape `CertificateInfo` (the part of CertificateSummary that
// probes record; summary.ts adds the key usages). Node's X509Certificate reads RSA and EC keys, fingerprints and
// issuer links; what Node 20 does not expose (the signature algorithm, exact validity
// times, the SAN list as data) is read from the DER with node-forge's ASN.1 parser, which handles any key type.
import { OID } from "./oids";
import { X509Certificate } from "node:crypto";
import type forge from "node-forge";
// node-forge's ASN.1 reader alone (with the util and OID tables it needs), not the whole of node-forge: a fifth
// of its code for `cellcert probe tls` to load (DESIGN §6).
import asn1 from "node-forge/lib/asn1.js";
import type {
  CertificateInfo,
  SubjectAltName,
} from "../../../shared/evidence/certificate";
import { oneLineName } from "../../../shared/evidence/distinguished-name";
import { signatureAlgorithmName } from "./signature-names";

type Asn1 = forge.asn1.Asn1;

export class CertificateParseError extends Error {
  override readonly name = "CertificateParseError";
}

const PEM_BLOCK =
  /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/g;

/** Every certificate of a PEM text (a bundle may hold several), each as its own PEM block. */
export function splitPemCertificates(text: string): string[] {
  return [...text.matchAll(PEM_BLOCK)].map((match) =>
    derToPem(Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64")),
  );
}

export function derToPem(der: Uint8Array): string {
  const base64 = Buffer.from(der).toString("base64");
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join("\n")}\n-----END CERTIFICATE-----\n`;
}

export function pemToDer(pem: string): Buffer {
  const match =
    /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+?)-----END CERTIFICATE-----/.exec(
      pem,
    );
  if (match === null)
    throw new CertificateParseError("This is not a PEM certificate.");
  return Buffer.from((match[1] ?? "").replace(/\s+/g, ""), "base64");
}

/** Node's own reading of a certificate; throws CertificateParseError with a sentence when it cannot. */
export function x509Of(certificate: Uint8Array | string): X509Certificate {
  try {
    return new X509Certificate(
      typeof certificate === "string"
        ? pemToDer(certificate)
        : Buffer.from(certificate),
    );
  } catch (error) {
    if (error instanceof CertificateParseError) throw error;
    throw new CertificateParseError(
      "The certificate could not be read: it is not a valid X.509 certificate.",
      { cause: error },
    );
  }
}

/**
 * The certificates of a file, as PEM blocks: PEM (one or a bundle), or exactly one DER certificate (a Windows CA's
 * .cer). Node reads the first DER certificate and ignores what follows, so two pasted together are refused rather
 * than half read (a leaf and its CA would pin the leaf unseen). [] when the file is neither.
 */
export function pemCertificatesOf(bytes: Uint8Array): string[] {
  const blocks = splitPemCertificates(Buffer.from(bytes).toString("utf8"));
  if (blocks.length > 0 || bytes[0] !== 0x30) return blocks;
  try {
    const certificate = new X509Certificate(bytes);
    return certificate.raw.length === bytes.length
      ? [derToPem(certificate.raw)]
      : [];
  } catch {
    return [];
  }
}

export function certificateInfoFromPem(pem: string): CertificateInfo {
  return certificateInfoFromDer(pemToDer(pem));
}

/** Everything the rules, the chain viewer and the report read about one certificate: the evidence record. It reads
 * no extension but subjectAltName, so any certificate a peer sends is recorded, however odd its extensions. */
export function certificateInfoFromDer(der: Uint8Array): CertificateInfo {
  const bytes = Buffer.from(der);
  const x509 = x509Of(bytes);
  const fields = readDerFields(bytes);
  const key = keyOf(x509);
  return {
    pem: derToPem(bytes),
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    serialNumber: x509.serialNumber.toUpperCase(),
    subjectAltNames: fields.subjectAltNames,
    notBefore: fields.notBefore.toISOString(),
    notAfter: fields.notAfter.toISOString(),
    keyType: key.type,
    keyBits: key.bits,
    curve: key.curve,
    signatureAlgorithm: fields.signatureAlgorithm,
    fingerprintSha256: x509.fingerprint256.toUpperCase(),
    selfSigned: isSelfSigned(x509),
    isCA: x509.ca,
  };
}

/** Issued by itself and signed with its own key (X509_check_issued would also demand keyCertSign, which a
 * self-signed server certificate usually lacks). */
export function isSelfSigned(x509: X509Certificate): boolean {
  return x509.subject === x509.issuer && verifiesWith(x509, x509);
}

/** Whether `issuer`'s key made `certificate`'s signature; false (never a throw) for algorithms Node cannot check. */
export function verifiesWith(
  certificate: X509Certificate,
  issuer: X509Certificate,
): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

// ---- the key -------------------------------------------------------------------------------------------------

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  secp256k1: 256,
  secp384r1: 384,
  secp521r1: 521,
  secp224r1: 224,
  prime192v1: 192,
  brainpoolP256r1: 256,
  brainpoolP384r1: 384,
  brainpoolP512r1: 512,
};

interface KeySummary {
  type: CertificateInfo["keyType"];
  bits: number;
  curve: string;
}

function keyOf(x509: X509Certificate): KeySummary {
  try {
    const key = x509.publicKey;
    const details = key.asymmetricKeyDetails ?? {};
    switch (key.asymmetricKeyType) {
      case "rsa":
      case "rsa-pss":
      case "dsa":
        return {
          type: key.asymmetricKeyType,
          bits: details.modulusLength ?? 0,
          curve: "",
        };
      case "ec": {
        const curve = details.namedCurve ?? "";
        const fromName = /(\d{3})/.exec(curve)?.[1];
        return {
          type: "ec",
          bits:
            CURVE_BITS[curve] ??
            (fromName === undefined ? 0 : Number(fromName)),
          curve,
        };
      }
      case "ed25519":
        return { type: "ed25519", bits: 256, curve: "" };
      case "ed448":
        return { type: "ed448", bits: 456, curve: "" };
      default:
        return { type: "unknown", bits: 0, curve: "" };
    }
  } catch {
    // A key type or curve this Node cannot load: recorded as unknown, judged not-tested by the strength rule.
    return { type: "unknown", bits: 0, curve: "" };
  }
}

// ---- what Node 20 does not expose, read from the DER ---------------------------------------------------------------

interface DerFields {
  signatureAlgorithm: string;
  notBefore: Date;
  notAfter: Date;
  subjectAltNames: SubjectAltName[];
}

// @types/node-forge knows only the old boolean form of fromDer's options; forge 1.x takes this object.
const fromDer = asn1.fromDer as unknown as (
  bytes: string,
  options: {
    strict: boolean;
    parseAllBytes: boolean;
    decodeBitStrings: boolean;
  },
) => Asn1;

const children = (node: Asn1 | undefined): Asn1[] =>
  Array.isArray(node?.value) ? node.value : [];
const bytesOf = (node: Asn1 | undefined): string =>
  typeof node?.value === "string" ? node.value : "";

function parseDer(bytes: string): Asn1 {
  return fromDer(bytes, {
    strict: true,
    parseAllBytes: true,
    decodeBitStrings: false,
  });
}

function readDerFields(der: Buffer): DerFields {
  let certificate: Asn1;
  try {
    certificate = parseDer(der.toString("binary"));
  } catch (error) {
    throw new CertificateParseError(
      "The certificate's DER encoding could not be read.",
      { cause: error },
    );
  }
  const [tbs, signatureAlgorithm] = children(certificate);
  const tbsFields = children(tbs);
  // TBSCertificate: [0] version (optional), serial, signature, issuer, validity, subject, spki, …, [3] extensions.
  const offset =
    tbsFields[0]?.tagClass === asn1.Class.CONTEXT_SPECIFIC &&
    (tbsFields[0].type as number) === 0
      ? 1
      : 0;
  const validity = children(tbsFields[offset + 3]);
  const extensions = tbsFields.find(
    (field) =>
      field.tagClass === asn1.Class.CONTEXT_SPECIFIC &&
      (field.type as number) === 3,
  );
  return {
    signatureAlgorithm: algorithmName(signatureAlgorithm),
    notBefore: timeOf(validity[0]),
    notAfter: timeOf(validity[1]),
    subjectAltNames: subjectAltNamesOf(children(children(extensions)[0])),
  };
}

function algorithmName(algorithm: Asn1 | undefined): string {
  const [id, parameters] = children(algorithm);
  const oid = asn1.derToOid(bytesOf(id));
  let pssHashOid: string | undefined;
  if (oid === OID.rsassaPss) {
    // RSASSA-PSS-params: [0] hashAlgorithm (default SHA-1).
    const hash = children(parameters).find(
      (p) =>
        p.tagClass === asn1.Class.CONTEXT_SPECIFIC && (p.type as number) === 0,
    );
    const hashId = children(children(hash)[0])[0];
    pssHashOid =
      hashId === undefined ? OID.sha1 : asn1.derToOid(bytesOf(hashId));
  }
  return signatureAlgorithmName(oid, pssHashOid);
}

function timeOf(node: Asn1 | undefined): Date {
  if (node?.type === asn1.Type.UTCTIME)
    return asn1.utcTimeToDate(bytesOf(node));
  if (node?.type === asn1.Type.GENERALIZEDTIME)
    return asn1.generalizedTimeToDate(bytesOf(node));
  throw new CertificateParseError(
    "The certificate's validity dates could not be read.",
  );
}

function subjectAltNamesOf(extensions: Asn1[]): SubjectAltName[] {
  for (const extension of extensions) {
    const [id, ...rest] = children(extension);
    if (asn1.derToOid(bytesOf(id)) !== OID.subjectAltName) continue;
    const value = rest[rest.length - 1];
    let names: Asn1;
    try {
      names = parseDer(bytesOf(value));
    } catch {
      return [{ type: "other", value: "(unreadable subjectAltName)" }];
    }
    return children(names).map(generalName);
  }
  return [];
}

function generalName(name: Asn1): SubjectAltName {
  const raw = bytesOf(name);
  if (name.tagClass !== asn1.Class.CONTEXT_SPECIFIC)
    return { type: "other", value: "" };
  switch (name.type as number) {
    case 1:
      return { type: "email", value: raw };
    case 2:
      return { type: "dns", value: raw };
    case 6:
      return { type: "uri", value: raw };
    case 7:
      return { type: "ip", value: formatIp(Buffer.from(raw, "binary")) };
    default:
      return { type: "other", value: `[${name.type}]` };
  }
}

/** 4 bytes → "10.0.0.1"; 16 bytes → RFC 5952 text ("fd00::5"); other lengths as hex. */
export function formatIp(bytes: Buffer): string {
  if (bytes.length === 4) return [...bytes].join(".");
  if (bytes.length !== 16) return bytes.toString("hex");
  const words = Array.from({ length: 8 }, (_, i) => bytes.readUInt16BE(i * 2));
  // The longest run of two or more zero words becomes "::".
  let bestStart = -1;
  let bestLength = 0;
  for (let i = 0; i < 8;) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLength && j - i >= 2) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = words.map((w) => w.toString(16));
  if (bestStart < 0) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}
