// What path validation reads about one certificate: pkijs's RFC 5280 reading of the extensions (basicConstraints,
// keyUsage, extendedKeyUsage, nameConstraints, key identifiers) beside Node's X509Certificate, which checks
// signatures for every algorithm OpenSSL knows (RSA-PSS, Ed25519, SHA-1…). Parsed once per certificate and kept.
import { OID } from "./oids";
import { createHash, X509Certificate } from "node:crypto";
import * as pkijs from "pkijs";
import {
  KEY_USAGE_NAMES,
  type KeyUsageName,
} from "../../../shared/evidence/key-usage-names";
import { oneLineName } from "../../../shared/evidence/distinguished-name";
import { CertificateParseError } from "./certificate-info";

export { KEY_USAGE_NAMES, type KeyUsageName };
export { EKU, ekuName } from "./eku";

/** One name constraint, as words: "DNS .plant.local", "IP 10.0.0.0/8". */
export type NameConstraintEntry =
  | { type: "dns"; value: string }
  | { type: "ip"; address: Buffer; mask: Buffer }
  | { type: "other"; value: string };

export interface ParsedCertificate {
  der: Buffer;
  x509: X509Certificate;
  pkijs: pkijs.Certificate;
  /** "AA:BB:…", upper case, as CertificateInfo records it. */
  fingerprint: string;
  /** One line, most specific first. */
  subject: string;
  issuer: string;
  /** Serial number as upper-case hex without leading zero bytes. */
  serialNumber: string;
  /** X.509 version: 1 or 3 (a v1 root carries no extensions at all). */
  version: number;
  /** Issuer and subject are the same name. */
  selfIssued: boolean;
  notBefore: Date;
  notAfter: Date;
  /** null: the extension is absent. */
  basicConstraints: { cA: boolean; pathLen: number | null } | null;
  /** null: absent (no restriction, RFC 5280 §4.2.1.3). */
  keyUsage: KeyUsageName[] | null;
  /** OIDs; null: absent (any purpose). */
  extendedKeyUsage: string[] | null;
  /** Whether the extendedKeyUsage extension is marked critical (RFC 3161 §2.3 wants it of a TSA). */
  extendedKeyUsageCritical: boolean;
  nameConstraints: {
    permitted: NameConstraintEntry[];
    excluded: NameConstraintEntry[];
  } | null;
  subjectKeyId: string | null;
  authorityKeyId: string | null;
  /** OIDs of critical extensions that neither pkijs nor this module understands. */
  unknownCritical: string[];
}

/** Extensions whose meaning path validation knows (RFC 5280 §4.2), critical or not. */
const UNDERSTOOD = new Set<string>([
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.keyUsage,
  OID.extendedKeyUsage,
  OID.basicConstraints,
  OID.nameConstraints,
  OID.subjectAltName,
  OID.issuerAltName,
  OID.certificatePolicies, // pkijs's policy processing
  OID.policyMappings,
  OID.policyConstraints,
  OID.inhibitAnyPolicy,
  OID.crlDistributionPoints, // never fetched
  OID.authorityInfoAccess, // never fetched
  OID.tlsFeature, // TLS feature (must-staple): the staple is read anyway
]);

const cache = new Map<string, ParsedCertificate>();
const CACHE_LIMIT = 1024;

const hex = (bytes: Uint8Array): string =>
  Buffer.from(bytes).toString("hex").toUpperCase();

/** Serial hex without leading zero bytes, so DER "00 9A" and Node's "9A" compare equal. */
export function normalizeSerial(serial: string): string {
  const upper = serial.replace(/[^0-9A-Fa-f]/g, "").toUpperCase();
  const trimmed = upper.replace(/^(00)+(?=..)/, "");
  return trimmed.length % 2 === 1 ? `0${trimmed}` : trimmed;
}

/** Reads a certificate (DER) once; later calls with the same bytes get the same object. */
export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const bytes = Buffer.from(der);
  const key = createHash("sha256").update(bytes).digest("hex");
  const known = cache.get(key);
  if (known !== undefined) return known;
  let x509: X509Certificate;
  let certificate: pkijs.Certificate;
  try {
    x509 = new X509Certificate(bytes);
    certificate = pkijs.Certificate.fromBER(bytes);
  } catch (error) {
    throw new CertificateParseError(
      "The certificate could not be read: it is not a valid X.509 certificate.",
      { cause: error },
    );
  }
  const parsed: ParsedCertificate = {
    der: bytes,
    x509,
    pkijs: certificate,
    fingerprint: x509.fingerprint256.toUpperCase(),
    subject: oneLineName(x509.subject),
    issuer: oneLineName(x509.issuer),
    serialNumber: normalizeSerial(x509.serialNumber),
    version: certificate.version + 1,
    selfIssued: certificate.subject.isEqual(certificate.issuer),
    notBefore: certificate.notBefore.value,
    notAfter: certificate.notAfter.value,
    ...readExtensions(certificate),
  };
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

type ExtensionFacts = Pick<
  ParsedCertificate,
  | "basicConstraints"
  | "keyUsage"
  | "extendedKeyUsage"
  | "extendedKeyUsageCritical"
  | "nameConstraints"
  | "subjectKeyId"
  | "authorityKeyId"
  | "unknownCritical"
>;

function readExtensions(certificate: pkijs.Certificate): ExtensionFacts {
  const facts: ExtensionFacts = {
    basicConstraints: null,
    keyUsage: null,
    extendedKeyUsage: null,
    extendedKeyUsageCritical: false,
    nameConstraints: null,
    subjectKeyId: null,
    authorityKeyId: null,
    unknownCritical: [],
  };
  for (const extension of certificate.extensions ?? []) {
    const value: unknown = extension.parsedValue;
    if (!UNDERSTOOD.has(extension.extnID) || value === undefined) {
      if (extension.critical) facts.unknownCritical.push(extension.extnID);
      continue;
    }
    switch (extension.extnID) {
      case OID.basicConstraints:
        if (value instanceof pkijs.BasicConstraints) {
          const pathLen = value.pathLenConstraint;
          facts.basicConstraints = {
            cA: value.cA,
            pathLen:
              pathLen === undefined
                ? null
                : typeof pathLen === "number"
                  ? pathLen
                  : pathLen.valueBlock.valueDec,
          };
        }
        break;
      case OID.keyUsage: {
        const bits = (value as { valueBlock?: { valueHexView?: Uint8Array } })
          .valueBlock?.valueHexView;
        if (bits !== undefined)
          facts.keyUsage = KEY_USAGE_NAMES.filter((_name, index) => {
            const byte = bits[index >> 3];
            return byte !== undefined && (byte & (0x80 >> (index & 7))) !== 0;
          });
        break;
      }
      case OID.extendedKeyUsage:
        if (value instanceof pkijs.ExtKeyUsage) {
          facts.extendedKeyUsage = [...value.keyPurposes];
          facts.extendedKeyUsageCritical = extension.critical;
        }
        break;
      case OID.nameConstraints:
        if (value instanceof pkijs.NameConstraints)
          facts.nameConstraints = {
            permitted: (value.permittedSubtrees ?? []).map(constraintEntry),
            excluded: (value.excludedSubtrees ?? []).map(constraintEntry),
          };
        break;
      case OID.subjectKeyIdentifier: {
        const view = (value as { valueBlock?: { valueHexView?: Uint8Array } })
          .valueBlock?.valueHexView;
        if (view !== undefined) facts.subjectKeyId = hex(view);
        break;
      }
      case OID.authorityKeyIdentifier:
        if (
          value instanceof pkijs.AuthorityKeyIdentifier &&
          value.keyIdentifier !== undefined
        )
          facts.authorityKeyId = hex(
            value.keyIdentifier.valueBlock.valueHexView,
          );
        break;
      default:
        break;
    }
  }
  return facts;
}

function constraintEntry(subtree: pkijs.GeneralSubtree): NameConstraintEntry {
  const { type, value } = subtree.base as { type: number; value: unknown };
  if (type === 2 && typeof value === "string") return { type: "dns", value };
  if (type === 7) {
    const view = (value as { valueBlock?: { valueHexView?: Uint8Array } })
      .valueBlock?.valueHexView;
    if (view !== undefined && (view.length === 8 || view.length === 32)) {
      const half = view.length / 2;
      return {
        type: "ip",
        address: Buffer.from(view.subarray(0, half)),
        mask: Buffer.from(view.subarray(half)),
      };
    }
  }
  const kinds: Record<number, string> = {
    1: "e-mail",
    4: "directory name",
    6: "URI",
  };
  return {
    type: "other",
    value: `${kinds[type] ?? `name form ${type}`}${typeof value === "string" ? ` ${value}` : ""}`,
  };
}

/** "DNS .plant.local", "IP 10.0.0.0/8" — for sentences. */
export function describeConstraint(entry: NameConstraintEntry): string {
  switch (entry.type) {
    case "dns":
      return `DNS ${entry.value}`;
    case "ip": {
      const bits = [...entry.mask].reduce(
        (sum, byte) => sum + (byte.toString(2).match(/1/g)?.length ?? 0),
        0,
      );
      const address =
        entry.address.length === 4
          ? [...entry.address].join(".")
          : (entry.address.toString("hex").match(/.{4}/g) ?? []).join(":");
      return `IP ${address}/${bits}`;
    }
    case "other":
      return entry.value;
  }
}

/** Whether `issuer`'s key made `certificate`'s signature; false (never a throw) for algorithms Node cannot check. */
export function signedBy(
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
): boolean {
  try {
    return certificate.x509.verify(issuer.x509.publicKey);
  } catch {
    return false;
  }
}

/** RFC 5280 name chaining: `certificate` names `issuer`'s subject as its issuer. */
export function namesIssuer(
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
): boolean {
  return certificate.pkijs.issuer.isEqual(issuer.pkijs.subject);
}

/** SHA-1 or SHA-256 of a certificate's subject name and of its public key bits (OCSP CertID, RFC 6960). */
export function issuerHashes(
  issuer: ParsedCertificate,
  algorithm: string,
): { nameHash: string; keyHash: string } {
  // The subject exactly as encoded in the certificate, not re-encoded.
  const name = Buffer.from(issuer.pkijs.subject.valueBeforeDecode);
  const key =
    issuer.pkijs.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView;
  return {
    nameHash: createHash(algorithm).update(name).digest("hex").toUpperCase(),
    keyHash: createHash(algorithm).update(key).digest("hex").toUpperCase(),
  };
}
