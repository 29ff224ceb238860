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
import {
  CLIENT_TLS,
  DOCUMENT_SIGNING,
  leafPurposeProblems,
  parseCertificate,
  pemToDer,
  summarizeCertificate,
  validatePath,
} from "../x509";
import {
  CARRIED_CERTIFICATE_FIELDS,
  IDENTITY_FIELDS,
  summaryPart,
  type CertificateSummary,
} from "../../../shared/evidence/certificate";

/** The identity's certificate as the identity view and the evidence state it (a part of CertificateSummary). */
export type IdentityInfo = Pick<
  CertificateSummary,
  (typeof IDENTITY_FIELDS)[number]
> & {
  /** The issuers the identity carries, leaf's issuer first. */
  chain: Pick<
    CertificateSummary,
    (typeof CARRIED_CERTIFICATE_FIELDS)[number]
  >[];
};

/** An identity that may sign, with what the engineer should know about it. */
export interface EngineerIdentity extends Pkcs12Identity {
  info: IdentityInfo;
  /** Things that do not stop signing but that a verifier may remark on. */
  warnings: string[];
}

export function identityInfo(identity: IdentityMaterial): IdentityInfo {
  return {
    ...summaryPart(
      summarizeCertificate(identity.certificatePem),
      IDENTITY_FIELDS,
    ),
    chain: identity.chainPems.map((pem) =>
      summaryPart(summarizeCertificate(pem), CARRIED_CERTIFICATE_FIELDS),
    ),
  };
}

export interface OpenIdentityOptions {
  /** For messages: "engineer.p12". */
  fileName?: string;
  now?: Date;
}

/** Reads a PKCS#12 file and checks that it may sign; throws a UserError that says why not. */
export async function openEngineerIdentity(
  bytes: Uint8Array,
  passphrase: string,
  options: OpenIdentityOptions = {},
): Promise<EngineerIdentity> {
  const identity = readPkcs12(bytes, passphrase, options);
  return {
    ...identity,
    ...(await checkSigningIdentity(identity, options)),
  };
}

/**
 * Whether an identity may sign a certificate at `now`: key and certificate belong together, the key is RSA
 * (2048 bits or more) or ECDSA P-256/P-384, the certificate is valid now and allows digitalSignature.
 * Throws a UserError with the first problem.
 */
export async function checkSigningIdentity(
  identity: IdentityMaterial,
  options: OpenIdentityOptions = {},
): Promise<{ info: IdentityInfo; warnings: string[] }> {
  const judged = await judgeIdentity(identity, "engineer", options);
  const [problem] = judged.problems;
  if (problem !== undefined) throw new UserError("invalid-input", problem);
  return { info: judged.info, warnings: judged.warnings };
}

export interface IdentityJudgement {
  info: IdentityInfo;
  /** What stops the identity from serving its role, as sentences; empty when it may. */
  problems: string[];
  /** What does not stop it but is worth knowing. */
  warnings: string[];
}

/**
 * Everything that stops an identity from serving its role, without throwing: for the UI's identity view. An
 * engineer identity signs certificates (RSA ≥ 2048 or ECDSA P-256/P-384, digitalSignature); a client identity
 * authenticates to mTLS endpoints (clientAuth, where extended key usages are listed). Both must be valid now.
 */
export async function judgeIdentity(
  identity: IdentityMaterial,
  role: "engineer" | "client",
  options: OpenIdentityOptions = {},
): Promise<IdentityJudgement> {
  const now = options.now ?? new Date();
  const name =
    options.fileName ??
    (role === "engineer" ? "The engineer identity" : "The client identity");
  const info = identityInfo(identity);
  const details = summarizeCertificate(identity.certificatePem);
  const who = `The certificate of ${info.subject}`;
  const problems: string[] = [];
  const warnings: string[] = [];

  const keySpki = createPublicKey(identity.privateKey).export({
    type: "spki",
    format: "der",
  });
  const certificateSpki = createPublicKey(identity.certificatePem).export({
    type: "spki",
    format: "der",
  });
  if (!keySpki.equals(certificateSpki))
    problems.push(
      `${name}: the private key does not belong to the certificate of ${info.subject}.`,
    );

  const keyType = identity.privateKey.asymmetricKeyType;
  const keyDetails = identity.privateKey.asymmetricKeyDetails ?? {};
  if (keyType === "rsa") {
    if ((keyDetails.modulusLength ?? 0) < 2048)
      problems.push(
        `${name} holds a ${keyDetails.modulusLength ?? 0}-bit RSA key; ${role === "engineer" ? "a signing key" : "a key"} needs at least 2048 bits.`,
      );
  } else if (keyType === "ec") {
    if (
      keyDetails.namedCurve !== "prime256v1" &&
      keyDetails.namedCurve !== "secp384r1"
    )
      problems.push(
        `${name} holds an EC key on ${keyDetails.namedCurve ?? "an unknown curve"}; Cellcert uses ECDSA keys on P-256 or P-384.`,
      );
  } else if (role === "engineer") {
    problems.push(
      `${name} holds a ${keyType ?? "unknown"} key; Cellcert signs with RSA or ECDSA P-256 keys.`,
    );
  }

  const notBefore = new Date(info.notBefore);
  const notAfter = new Date(info.notAfter);
  if (now < notBefore)
    problems.push(
      `${who} is not valid until ${formatTime(notBefore)}: check the laptop's clock, or wait until then.`,
    );
  if (now > notAfter) {
    const days = Math.floor((now.getTime() - notAfter.getTime()) / 86_400_000);
    problems.push(
      `${who} expired on ${formatTime(notAfter).slice(0, 10)} (${days} day${days === 1 ? "" : "s"} ago): ${role === "engineer" ? "create or import a current engineer identity" : "import a current client identity"}.`,
    );
  }

  // What the certificate is for, and the path its own chain makes: the one judgement of engine/x509.
  const parsed = parseCertificate(
    details.pem === "" ? new Uint8Array() : pemToDer(details.pem),
  );
  const purpose = role === "engineer" ? DOCUMENT_SIGNING : CLIENT_TLS;
  for (const problem of leafPurposeProblems(parsed, purpose)) {
    if (role === "engineer")
      problems.push(
        problem.kind === "key-usage"
          ? `${who} does not allow digital signatures (its key usage is ${details.keyUsage.join(", ") || "empty"}): use an identity made for signing, or create one in Cellcert.`
          : `${who} is not made for signing documents (${problem.detail}): verifiers will not accept it as a signer. Use an identity made for signing, or create one in Cellcert.`,
      );
    else if (problem.kind === "extended-key-usage")
      // DESIGN §3 "client identity": a warning — the MES may still accept it, and the mtls probe shows whether it does.
      warnings.push(
        `${who} is not made for TLS clients (${problem.detail}): a server that checks the purpose will refuse it. Import the client identity the MES expects.`,
      );
    else
      problems.push(
        `${who} does not allow digital signatures, which a TLS client needs to prove its key (${problem.detail}): import another client identity.`,
      );
  }
  const eku = details.extendedKeyUsage;
  const anyUsage = eku.length === 0 || eku.includes("anyExtendedKeyUsage");
  if (role === "engineer") {
    if (!anyUsage && !eku.includes("emailProtection") && problems.length === 0)
      warnings.push(
        `${who} lacks the emailProtection extended key usage; Poppler-based readers (pdfsig, Okular, Evince) will report an unknown issue with the certificate.`,
      );
    if (details.hasKeyUsage && !details.keyUsage.includes("nonRepudiation"))
      warnings.push(
        `${who} does not carry nonRepudiation; some readers show the signature as an authentication rather than a commitment.`,
      );
  }
  // The chain the identity carries, when it reaches its own root: every issuer a CA that may sign, within its
  // path length — else no verifier (or server) will accept it.
  const chainPems = identity.chainPems;
  const roots = chainPems.filter((pem) => summarizeCertificate(pem).selfSigned);
  if (roots.length > 0 && !info.selfSigned) {
    const path = await validatePath({
      sent: [identity.certificatePem, ...chainPems].map((pem) => pemToDer(pem)),
      anchors: roots,
      publicRoots: false,
      purpose,
      now,
    });
    if (
      path.status !== "valid" &&
      path.status !== "extended-key-usage" &&
      path.status !== "key-usage"
    )
      (role === "engineer" ? problems : warnings).push(
        `${name}: ${path.problem}`,
      );
  }
  const daysLeft = Math.floor(
    (notAfter.getTime() - now.getTime()) / 86_400_000,
  );
  if (daysLeft >= 0 && daysLeft < 30)
    warnings.push(
      `${who} expires on ${formatTime(notAfter).slice(0, 10)} (in ${daysLeft} day${daysLeft === 1 ? "" : "s"}): renew it soon.`,
    );
  return { info, problems, warnings };
}

function formatTime(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
