// Making identities on the laptop: an engineer's signing identity (RSA 3072, digitalSignature +
// nonRepudiation, emailProtection), self-signed or issued by a local commissioning CA that Cellcert also makes
// and whose certificate the customer keeps as PEM. Keys come from Node's crypto; node-forge writes the
// certificate and Node's crypto signs it.
import forge from "node-forge";
import {
  X509Certificate,
  generateKeyPair,
  randomBytes,
  sign,
  type KeyObject,
} from "node:crypto";
import { promisify } from "node:util";
import { UserError } from "../errors";
import type { IdentityMaterial } from "./pkcs12";
import { subjectNameAsn1 } from "./x509";
import { summarizeCertificate } from "../x509";

const generateRsaKeyPair = promisify(generateKeyPair);

export const ENGINEER_KEY_BITS = 3072;
const DAY_MS = 24 * 60 * 60 * 1000;

/** An identity Cellcert made: always RSA. */
export interface CreatedIdentity extends IdentityMaterial {
  keyType: "rsa";
}

export interface EngineerIdentityOptions {
  /** The engineer's full name: the certificate's CN. */
  name: string;
  /** The engineer's company: the certificate's O. */
  company?: string;
  /** Put in subjectAltName as an e-mail address. */
  email?: string;
  /** Two-letter country code. */
  country?: string;
  /** Default three years. */
  validityDays?: number;
  now?: Date;
  /** The commissioning CA that issues it; self-signed when absent. */
  issuer?: IdentityMaterial;
}

export interface CommissioningCaOptions {
  /** The company that runs the commissioning: the CA's O, and its CN "<company> Commissioning CA". */
  company: string;
  /** Overrides the CN. */
  name?: string;
  country?: string;
  /** Default ten years. */
  validityYears?: number;
  now?: Date;
}

export async function createEngineerIdentity(
  options: EngineerIdentityOptions,
): Promise<CreatedIdentity> {
  if (options.name.trim() === "")
    throw new UserError(
      "invalid-input",
      "Give the engineer's name: it becomes the name on the signature.",
    );
  return issueIdentity(options, [
    {
      name: "keyUsage",
      digitalSignature: true,
      nonRepudiation: true,
      critical: true,
    },
    // Poppler judges PDF signers as e-mail signers: emailProtection is what makes pdfsig trust them.
    { name: "extKeyUsage", emailProtection: true },
  ]);
}

/**
 * A time-stamping authority's identity (RFC 3161 §2.3: extended key usage timeStamping, alone and critical;
 * key usage digitalSignature), issued by `issuer`: the practice plant's TSA and the tests' own.
 */
export async function createTimeStampingIdentity(
  options: Omit<EngineerIdentityOptions, "email"> & {
    issuer: IdentityMaterial;
  },
): Promise<CreatedIdentity> {
  return issueIdentity(options, [
    { name: "keyUsage", digitalSignature: true, critical: true },
    { name: "extKeyUsage", timeStamping: true, critical: true },
  ]);
}

/** An end-entity certificate with the given usages, self-signed or issued by `options.issuer`. */
async function issueIdentity(
  options: EngineerIdentityOptions,
  usages: object[],
): Promise<CreatedIdentity> {
  const name = options.name.trim();
  const now = options.now ?? new Date();
  const keys = await newRsaKey();
  const subject = distinguishedName(name, options.company, options.country);
  const issuer = options.issuer;
  let issuerCertificate: forge.pki.Certificate | null = null;
  if (issuer !== undefined) {
    const details = summarizeCertificate(issuer.certificatePem);
    if (
      !details.isCA ||
      (details.hasKeyUsage && !details.keyUsage.includes("keyCertSign"))
    )
      throw new UserError(
        "invalid-input",
        `${details.subject} is not a certificate authority: choose the commissioning CA to issue the identity.`,
      );
    if (new Date(details.notAfter) < now)
      throw new UserError(
        "invalid-input",
        `The commissioning CA ${details.subject} expired on ${details.notAfter.slice(0, 10)}: make a new one.`,
      );
    issuerCertificate = forge.pki.certificateFromPem(issuer.certificatePem);
  }
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.forgePublicKey;
  certificate.serialNumber = serialNumber();
  certificate.validity.notBefore = new Date(now.getTime() - 5 * 60 * 1000);
  certificate.validity.notAfter = new Date(
    now.getTime() + (options.validityDays ?? 3 * 365) * DAY_MS,
  );
  certificate.setSubject(subject);
  // Replaced by the CA's own encoding of its name when signing.
  certificate.setIssuer(issuerCertificate?.subject.attributes ?? subject);
  const extensions: object[] = [
    { name: "basicConstraints", cA: false, critical: true },
    ...usages,
    { name: "subjectKeyIdentifier" },
    {
      name: "authorityKeyIdentifier",
      keyIdentifier:
        issuerCertificate === null
          ? true
          : issuerCertificate.generateSubjectKeyIdentifier().getBytes(),
    },
  ];
  const email = options.email?.trim() ?? "";
  if (email !== "")
    extensions.push({
      name: "subjectAltName",
      altNames: [{ type: 1, value: email }],
    });
  certificate.setExtensions(extensions);
  signCertificate(
    certificate,
    issuer?.privateKey ?? keys.privateKey,
    issuer === undefined ? undefined : subjectNameAsn1(issuer.certificatePem),
  );
  return {
    privateKey: keys.privateKey,
    keyType: "rsa",
    certificatePem: certificatePem(certificate),
    chainPems:
      issuer === undefined ? [] : [issuer.certificatePem, ...issuer.chainPems],
  };
}

export async function createCommissioningCa(
  options: CommissioningCaOptions,
): Promise<CreatedIdentity> {
  const company = options.company.trim();
  if (company === "")
    throw new UserError(
      "invalid-input",
      "Give the company's name: the commissioning CA is named after it.",
    );
  const now = options.now ?? new Date();
  const keys = await newRsaKey();
  const subject = distinguishedName(
    options.name?.trim() || `${company} Commissioning CA`,
    company,
    options.country,
  );
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = keys.forgePublicKey;
  certificate.serialNumber = serialNumber();
  certificate.validity.notBefore = new Date(now.getTime() - 5 * 60 * 1000);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(
    notAfter.getUTCFullYear() + (options.validityYears ?? 10),
  );
  certificate.validity.notAfter = notAfter;
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    {
      name: "basicConstraints",
      cA: true,
      pathLenConstraint: 0,
      critical: true,
    },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  signCertificate(certificate, keys.privateKey);
  return {
    privateKey: keys.privateKey,
    keyType: "rsa",
    certificatePem: certificatePem(certificate),
    chainPems: [],
  };
}

interface RsaKeys {
  privateKey: KeyObject;
  forgePublicKey: forge.pki.rsa.PublicKey;
}

async function newRsaKey(): Promise<RsaKeys> {
  const { privateKey, publicKey } = await generateRsaKeyPair("rsa", {
    modulusLength: ENGINEER_KEY_BITS,
    publicExponent: 0x10001,
  });
  const spkiPem = publicKey.export({ type: "spki", format: "pem" }).toString();
  return {
    privateKey,
    forgePublicKey: forge.pki.publicKeyFromPem(spkiPem),
  };
}

/** C, O, CN in the certificate (shown CN first), UTF-8 so that Łukasz and Ștefan keep their names. */
function distinguishedName(
  commonName: string,
  organization: string | undefined,
  country: string | undefined,
): forge.pki.CertificateField[] {
  // node-forge declares valueTagClass as a tag class; it is the string's universal type.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const fields: forge.pki.CertificateField[] = [];
  const countryCode = country?.trim().toUpperCase() ?? "";
  if (countryCode !== "") {
    if (!/^[A-Z]{2}$/.test(countryCode))
      throw new UserError(
        "invalid-input",
        `"${country ?? ""}" is not a country code: give two letters, like DE or RO.`,
      );
    fields.push({ shortName: "C", value: countryCode });
  }
  const company = organization?.trim() ?? "";
  if (company !== "")
    fields.push({ shortName: "O", value: company, valueTagClass: utf8 });
  fields.push({ shortName: "CN", value: commonName, valueTagClass: utf8 });
  return fields;
}

/**
 * node-forge lays out the certificate; Node's crypto makes the RSA signature over its TBSCertificate. The
 * issuer's name is copied byte for byte from the CA's certificate (node-forge would re-encode its UTF-8).
 */
function signCertificate(
  certificate: forge.pki.Certificate,
  issuerKey: KeyObject,
  issuerName?: forge.asn1.Asn1,
): void {
  const nodeSigner = {
    sign: (): string => {
      const tbsCertificate = (
        certificate as unknown as { tbsCertificate: forge.asn1.Asn1 }
      ).tbsCertificate;
      if (issuerName !== undefined && Array.isArray(tbsCertificate.value)) {
        // version [0], serialNumber, signature, issuer, …
        tbsCertificate.value[3] = issuerName;
      }
      const tbs = forge.asn1.toDer(tbsCertificate);
      return sign(
        "sha256",
        Buffer.from(tbs.getBytes(), "binary"),
        issuerKey,
      ).toString("binary");
    },
  };
  certificate.sign(
    nodeSigner as unknown as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
}

function certificatePem(certificate: forge.pki.Certificate): string {
  const pem = forge.pki.certificateToPem(certificate).replace(/\r\n/g, "\n");
  // Normalized by Node, as every other certificate Cellcert shows.
  return new X509Certificate(pem).toString();
}

/** 16 random bytes, positive. */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  if (bytes[0] === 0) bytes[0] = 1;
  return bytes.toString("hex");
}
