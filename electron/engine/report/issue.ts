// Issuing a signed commissioning certificate from a plan: number it, judge the plant (assessPlan), write the
// evidence document, lay out the PDF, sign it with the engineer's identity. Bytes in, bytes out; the caller
// saves the PDF and appends the returned IssuedCertificate record to plan.certificates.
import { createHash } from "node:crypto";
import type { IssuedCertificate, Plan } from "../../../shared/model/plan";
import type { PlantVerdict } from "../../../shared/plant-words";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { TOOL_VERSION } from "../about";
import { UserError } from "../errors";
import { checkSigningIdentity } from "../identity/engineer";
import type { IdentityMaterial } from "../identity/pkcs12";
import { commonName, nameAttribute } from "../identity/x509";
import { signPreparedPdf } from "../signing/sign";
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
      (signerSubject === "" ? "" : commonName(signerSubject)),
    company: plan.signOff.company || nameAttribute(signerSubject, "O"),
    witnessName: plan.signOff.witnessName,
    nextAuditDate: nextAuditDate(plan, now),
  };
}

/** Everything of the certificate but the signature: the laid-out PDF with its empty signature field. */
export interface PreparedCertificate extends Omit<
  IssuedCertificateDocument,
  "pdf" | "pdfSha256" | "record" | "signerCaPem"
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
  const prepared = await prepareCertificate(plan, identity, options);
  const pdf = signPreparedPdf(prepared.prepared, identity);
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
  };
}

/** Checks the identity, judges the plant, writes the evidence and lays out the PDF, ready to sign. */
export async function prepareCertificate(
  plan: Plan,
  identity: IdentityMaterial,
  options: IssueOptions = {},
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
    }),
  );
  const evidenceSha256 = sha256Hex(evidence);

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
