// The engineer's signing identity: what it is (subject, issuer, validity, fingerprint, usages) and whether it
// may sign a commissioning certificate. Expired identities and ones without digitalSignature are refused with
// a sentence the engineer can act on.
import { createPublicKey } from "node:crypto";
import { UserError } from "../errors";
import {
  readPkcs12,
  type IdentityMaterial,
  type Pkcs12Identity,
} from "./pkcs12";
import { describeCertificate, type CertificateDetails } from "./x509";

export interface IdentityInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  /** "AA:BB:…" */
  fingerprintSha256: string;
  keyType: CertificateDetails["keyType"];
  keyBits: number;
  curve: string;
  keyUsage: string[];
  extendedKeyUsage: string[];
  selfSigned: boolean;
  /** The issuers the identity carries, leaf's issuer first. */
  chain: { subject: string; fingerprintSha256: string; notAfter: string }[];
}

/** An identity that may sign, with what the engineer should know about it. */
export interface EngineerIdentity extends Pkcs12Identity {
  info: IdentityInfo;
  /** Things that do not stop signing but that a verifier may remark on. */
  warnings: string[];
}

export function identityInfo(identity: IdentityMaterial): IdentityInfo {
  const leaf = describeCertificate(identity.certificatePem);
  return {
    subject: leaf.subject,
    issuer: leaf.issuer,
    serialNumber: leaf.serialNumber,
    notBefore: leaf.notBefore,
    notAfter: leaf.notAfter,
    fingerprintSha256: leaf.fingerprintSha256,
    keyType: leaf.keyType,
    keyBits: leaf.keyBits,
    curve: leaf.curve,
    keyUsage: leaf.keyUsage,
    extendedKeyUsage: leaf.extendedKeyUsage,
    selfSigned: leaf.selfSigned,
    chain: identity.chainPems.map((pem) => {
      const details = describeCertificate(pem);
      return {
        subject: details.subject,
        fingerprintSha256: details.fingerprintSha256,
        notAfter: details.notAfter,
      };
    }),
  };
}

export interface OpenIdentityOptions {
  /** For messages: "engineer.p12". */
  fileName?: string;
  now?: Date;
}

/** Reads a PKCS#12 file and checks that it may sign; throws a UserError that says why not. */
export function openEngineerIdentity(
  bytes: Uint8Array,
  passphrase: string,
  options: OpenIdentityOptions = {},
): EngineerIdentity {
  const identity = readPkcs12(bytes, passphrase, options);
  return {
    ...identity,
    ...checkSigningIdentity(identity, options),
  };
}

/**
 * Whether an identity may sign a certificate at `now`: key and certificate belong together, the key is RSA
 * (2048 bits or more) or ECDSA P-256/P-384, the certificate is valid now and allows digitalSignature.
 */
export function checkSigningIdentity(
  identity: IdentityMaterial,
  options: OpenIdentityOptions = {},
): { info: IdentityInfo; warnings: string[] } {
  const now = options.now ?? new Date();
  const name = options.fileName ?? "The engineer identity";
  const info = identityInfo(identity);
  const details = describeCertificate(identity.certificatePem);
  const who = `The certificate of ${info.subject}`;

  const keySpki = createPublicKey(identity.privateKey).export({
    type: "spki",
    format: "der",
  });
  const certificateSpki = createPublicKey(identity.certificatePem).export({
    type: "spki",
    format: "der",
  });
  if (!keySpki.equals(certificateSpki))
    throw new UserError(
      "invalid-input",
      `${name}: the private key does not belong to the certificate of ${info.subject}.`,
    );

  const keyType = identity.privateKey.asymmetricKeyType;
  const keyDetails = identity.privateKey.asymmetricKeyDetails ?? {};
  if (keyType === "rsa") {
    if ((keyDetails.modulusLength ?? 0) < 2048)
      throw new UserError(
        "invalid-input",
        `${name} holds a ${keyDetails.modulusLength ?? 0}-bit RSA key; a signing key needs at least 2048 bits.`,
      );
  } else if (keyType === "ec") {
    if (
      keyDetails.namedCurve !== "prime256v1" &&
      keyDetails.namedCurve !== "secp384r1"
    )
      throw new UserError(
        "invalid-input",
        `${name} holds an EC key on ${keyDetails.namedCurve ?? "an unknown curve"}; Cellcert signs with ECDSA P-256 or P-384.`,
      );
  } else {
    throw new UserError(
      "invalid-input",
      `${name} holds a ${keyType ?? "unknown"} key; Cellcert signs with RSA or ECDSA P-256 keys.`,
    );
  }

  const notBefore = new Date(info.notBefore);
  const notAfter = new Date(info.notAfter);
  if (now < notBefore)
    throw new UserError(
      "invalid-input",
      `${who} is not valid until ${formatTime(notBefore)}: check the laptop's clock, or wait until then.`,
    );
  if (now > notAfter) {
    const days = Math.floor((now.getTime() - notAfter.getTime()) / 86_400_000);
    throw new UserError(
      "invalid-input",
      `${who} expired on ${formatTime(notAfter).slice(0, 10)} (${days} day${days === 1 ? "" : "s"} ago): create or import a current engineer identity.`,
    );
  }
  if (details.hasKeyUsage && !details.keyUsage.includes("digitalSignature"))
    throw new UserError(
      "invalid-input",
      `${who} does not allow digital signatures (its key usage is ${details.keyUsage.join(", ") || "empty"}): use an identity made for signing, or create one in Cellcert.`,
    );

  const warnings: string[] = [];
  const eku = details.extendedKeyUsage;
  if (
    eku.length > 0 &&
    !eku.includes("emailProtection") &&
    !eku.includes("anyExtendedKeyUsage")
  )
    warnings.push(
      `${who} lacks the emailProtection extended key usage; Poppler-based readers (pdfsig, Okular, Evince) will report an unknown issue with the certificate.`,
    );
  if (details.hasKeyUsage && !details.keyUsage.includes("nonRepudiation"))
    warnings.push(
      `${who} does not carry nonRepudiation; some readers show the signature as an authentication rather than a commitment.`,
    );
  const daysLeft = Math.floor(
    (notAfter.getTime() - now.getTime()) / 86_400_000,
  );
  if (daysLeft < 30)
    warnings.push(
      `${who} expires on ${formatTime(notAfter).slice(0, 10)} (in ${daysLeft} days): renew it before the next commissioning.`,
    );
  return { info, warnings };
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
