// Issuing a signed commissioning certificate from a plan: number it, judge the plant (assessPlan), write the
// evidence document, lay out the PDF with the signer's validation data (DSS), sign it with the engineer's
// identity and, when a TSA is named, have the signature time-stamped (PAdES B-T). Bytes in, bytes out; the
// caller saves the PDF and appends the returned IssuedCertificate record to plan.certificates. A TSA that fails
// is a UserError: nothing is issued.
import { X509Certificate, createHash } from "node:crypto";
import type { IssuedCertificate, Plan } from "../../../shared/model/plan";
import type { PlantVerdict } from "../../../shared/plant-words";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { TOOL_VERSION } from "../about";
import { UserError } from "../errors";
import { checkSigningIdentity } from "../identity/engineer";
import type { IdentityMaterial } from "../identity/pkcs12";
import {
  nameAttribute,
  shortName,
} from "../../../shared/evidence/distinguished-name";
import { signatureRoom } from "../signing/placeholder";
import { crlSignedBy, parseCertificate, readCrlFile } from "../x509";
import {
  SignatureRoomError,
  signPreparedPdf,
  signPreparedPdfWithTimeStamp,
} from "../signing/sign";
import {
  authorityName,
  requestTimeStamp,
  type TimeStamp,
  type TimeStampAuthority,
} from "../signing/timestamp-authority";
import { renderCertificatePdf } from "./certificate-pdf";
import { nextAuditDate, nextCertificateNumber } from "./certificate-number";
import {
  buildEvidenceDocument,
  serializeEvidence,
  sha256Hex,
} from "./evidence";
import { loadFonts } from "./fonts";

export interface IssueOptions {
  /** The signing time; the laptop clock by default. */
  now?: Date;
  toolVersion?: string;
  /** Where the DejaVu TTF files are; the dejavu-fonts-ttf package by default. */
  fontDirectory?: string;
  /**
   * The TSA that time-stamps the signature (PAdES B-T), asked at signing — once more only when its token needs
   * more room than was reserved; none by default. Choose it with timeStampAuthorityOf.
   */
  timeStampAuthority?: TimeStampAuthority | null;
  /**
   * Where the plan file lies. A plan started from a certificate keeps that certificate's evidence beside it: its
   * certificate then says what changed since ("Changes since certificate <number>", after the findings).
   */
  planPath?: string;
}

/**
 * Which TSA signs a certificate of this plan: the one given for this signing (`cellcert certify --tsa`), else
 * the plan's policy.timestampAuthority, else — for a practice plan only — the practice TSA of this session
 * (the saved practice plans name none); null when none. A practice plan's TSA is named PRACTICE, as everything
 * the practice plant makes.
 */
export function timeStampAuthorityOf(
  plan: Plan,
  choices: { given?: string; practiceSession?: string | null } = {},
): TimeStampAuthority | null {
  const url =
    choices.given ??
    plan.policy.timestampAuthority ??
    (plan.practice ? (choices.practiceSession ?? undefined) : undefined);
  return url === undefined ? null : { url, practice: plan.practice };
}

export interface IssuedCertificateDocument {
  /** The signed PDF. */
  pdf: Uint8Array;
  number: string;
  /** SHA-256 of the embedded evidence JSON and of the signed PDF, lower-case hex. */
  evidenceSha256: string;
  pdfSha256: string;
  plantVerdict: PlantVerdict;
  practice: boolean;
  /** Append to plan.certificates. */
  record: IssuedCertificate;
  /** The embedded evidence JSON, byte for byte. */
  evidence: Uint8Array;
  /** About the signing identity: things that do not stop signing. */
  warnings: string[];
  /**
   * The CA the certificate was signed under, PEM: the top of the chain the identity carries, or the signer itself
   * when self-signed; null when the identity does not carry its issuer.
   */
  signerCaPem: string | null;
  /** The signature's RFC 3161 time-stamp; null when no TSA was asked. */
  timeStamp: TimeStamp | null;
}

/** What the next certificate of this plan will say, before it is signed: for the UI's preview. */
export interface CertificatePreview {
  number: string;
  plantVerdict: PlantVerdict;
  practice: boolean;
  engineer: string;
  company: string;
  witnessName: string;
  nextAuditDate: string;
}

/** The sign-off's names, or the signer certificate's CN and O where the sign-off leaves them empty. */
export function certificatePreview(
  plan: Plan,
  now: Date,
  signerSubject = "",
): CertificatePreview {
  return {
    number: nextCertificateNumber(plan, now),
    plantVerdict: assessPlan(plan, { now }).verdict,
    practice: plan.practice,
    engineer:
      plan.signOff.engineer ||
      (signerSubject === "" ? "" : shortName(signerSubject)),
    company: plan.signOff.company || nameAttribute(signerSubject, "O"),
    witnessName: plan.signOff.witnessName,
    nextAuditDate: nextAuditDate(plan, now),
  };
}

/** Everything of the certificate but the signature: the laid-out PDF with its empty signature field. */
export interface PreparedCertificate extends Omit<
  IssuedCertificateDocument,
  "pdf" | "pdfSha256" | "record" | "signerCaPem" | "timeStamp"
> {
  signerSelfSigned: boolean;
  prepared: Uint8Array;
  signerFingerprint: string;
  issuedAt: Date;
}

export async function issueCertificate(
  plan: Plan,
  identity: IdentityMaterial,
  options: IssueOptions = {},
): Promise<IssuedCertificateDocument> {
  const authority = options.timeStampAuthority ?? null;
  let prepared = await prepareCertificate(plan, identity, options);
  let timeStamp: TimeStamp | null = null;
  let pdf: Uint8Array;
  if (authority === null) pdf = signPreparedPdf(prepared.prepared, identity);
  else {
    const signerCertificate = new X509Certificate(identity.certificatePem);
    const stamped = (document: PreparedCertificate) =>
      signPreparedPdfWithTimeStamp(
        document.prepared,
        identity,
        async (signatureValue) => {
          timeStamp = await requestTimeStamp(authority, signatureValue, {
            timeoutMs: plan.policy.timeoutMs,
            now: () => new Date(),
            signerCertificate,
          });
          return timeStamp.token;
        },
      );
    try {
      pdf = await stamped(prepared);
    } catch (error) {
      if (!(error instanceof SignatureRoomError)) throw error;
      // The TSA's token is larger than the room reserved: lay out again with the room it needs and ask again.
      prepared = await prepareCertificate(plan, identity, {
        ...options,
        signatureRoom: Math.ceil((error.needed + 4096) / 1024) * 1024,
      });
      pdf = await stamped(prepared);
    }
  }
  const pdfSha256 = createHash("sha256").update(pdf).digest("hex");
  return {
    pdf,
    number: prepared.number,
    evidenceSha256: prepared.evidenceSha256,
    pdfSha256,
    plantVerdict: prepared.plantVerdict,
    practice: prepared.practice,
    record: {
      number: prepared.number,
      issuedAt: prepared.issuedAt.toISOString(),
      plantVerdict: prepared.plantVerdict,
      pdfSha256,
      evidenceSha256: prepared.evidenceSha256,
      signerFingerprint: prepared.signerFingerprint,
    },
    evidence: prepared.evidence,
    warnings: prepared.warnings,
    signerCaPem:
      identity.chainPems.at(-1) ??
      (prepared.signerSelfSigned ? identity.certificatePem : null),
    timeStamp,
  };
}

/** Checks the identity, judges the plant, writes the evidence and lays out the PDF, ready to sign. */
export async function prepareCertificate(
  plan: Plan,
  identity: IdentityMaterial,
  options: IssueOptions & {
    /** Bytes for the signature in /Contents; from the signer's chain and whether a TSA is asked by default. */
    signatureRoom?: number;
  } = {},
): Promise<PreparedCertificate> {
  const now = options.now ?? new Date();
  const toolVersion = options.toolVersion ?? TOOL_VERSION;
  const { info: signer, warnings } = await checkSigningIdentity(identity, {
    now,
  });

  const named = plan.signOff.identityFingerprint.trim().toUpperCase();
  if (named !== "" && named !== signer.fingerprintSha256)
    throw new UserError(
      "invalid-input",
      `The plan's sign-off names the engineer identity ${named}, but this identity is ${signer.fingerprintSha256} (${signer.subject}): sign with the identity named in the sign-off, or change the sign-off.`,
    );

  const fonts = loadFonts(options.fontDirectory);
  const authority = options.timeStampAuthority ?? null;
  const signerCertificates = [
    identity.certificatePem,
    ...identity.chainPems,
  ].map((pem) => new Uint8Array(new X509Certificate(pem).raw));
  const assessment = assessPlan(plan, { now });
  const {
    number,
    engineer,
    company,
    nextAuditDate: auditDate,
  } = certificatePreview(plan, now, signer.subject);
  const signOff = {
    engineer,
    company,
    identityFingerprint: signer.fingerprintSha256,
    witnessName: plan.signOff.witnessName,
  };
  const evidence = serializeEvidence(
    buildEvidenceDocument(plan, assessment, {
      number,
      issuedAt: now,
      nextAuditDate: auditDate,
      toolVersion,
      signer,
      signerCertificatesPem: [identity.certificatePem, ...identity.chainPems],
      signOff,
      timeStampAuthority:
        authority === null
          ? null
          : { url: authority.url, name: authorityName(authority) },
    }),
  );
  const evidenceSha256 = sha256Hex(evidence);
  // Only a re-audit's certificate compares with the one before it; the reader of earlier certificates is loaded
  // for those alone.
  const changes =
    plan.previousCertificate === undefined
      ? null
      : await (
          await import("../reaudit/changes-since")
        ).changesSinceCertificate(plan, options.planPath, { now, toolVersion });

  const prepared = await renderCertificatePdf({
    content: {
      plan,
      assessment,
      number,
      issuedAt: now,
      nextAuditDate: auditDate,
      toolVersion,
      signer,
      engineer,
      company,
      witnessName: plan.signOff.witnessName,
      evidence,
      evidenceSha256,
      timeStampAuthorityName:
        authority === null ? null : authorityName(authority),
      validationData: {
        certificates: signerCertificates,
        crls: signerCrls(plan, signerCertificates),
      },
      signatureRoom:
        options.signatureRoom ??
        signatureRoom({
          certificateDers: signerCertificates,
          timeStamped: authority !== null,
        }),
      changes,
    },
    fonts,
  });
  return {
    prepared,
    number,
    evidenceSha256,
    plantVerdict: assessment.verdict,
    practice: plan.practice,
    evidence,
    warnings,
    signerFingerprint: signer.fingerprintSha256,
    signerSelfSigned: signer.selfSigned,
    issuedAt: now,
  };
}

/**
 * The CRLs (DER) the plan holds for the signer's chain, for the /DSS: those a certificate of the chain signed, so a
 * verifier years later finds the revocation data it needs beside the chain.
 */
function signerCrls(
  plan: Plan,
  signerCertificates: readonly Uint8Array[],
): Uint8Array[] {
  const issuers = signerCertificates.map((der) => parseCertificate(der));
  return plan.crls.flatMap((entry) =>
    readCrlFile(Buffer.from(entry.pem), entry.name)
      .filter((crl) => issuers.some((issuer) => crlSignedBy(crl, issuer)))
      .map((crl) => new Uint8Array(crl.der)),
  );
}
