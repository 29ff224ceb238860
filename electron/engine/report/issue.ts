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
}

export async function issueCertificate(
  plan: Plan,
  identity: IdentityMaterial,
  options: IssueOptions = {},
): Promise<IssuedCertificateDocument> {
  const now = options.now ?? new Date();
  const toolVersion = options.toolVersion ?? TOOL_VERSION;
  const { info: signer, warnings } = checkSigningIdentity(identity, { now });

  const named = plan.signOff.identityFingerprint.trim().toUpperCase();
  if (named !== "" && named !== signer.fingerprintSha256)
    throw new UserError(
      "invalid-input",
      `The plan's sign-off names the engineer identity ${named}, but this identity is ${signer.fingerprintSha256} (${signer.subject}): sign with the identity named in the sign-off, or change the sign-off.`,
    );

  const fonts = loadFonts(options.fontDirectory);
  const assessment = assessPlan(plan);
  const number = nextCertificateNumber(plan, now);
  const auditDate = nextAuditDate(plan, now);
  const engineer = plan.signOff.engineer || commonName(signer.subject);
  const company = plan.signOff.company || nameAttribute(signer.subject, "O");
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

  const prepared = await renderCertificatePdf(
    {
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
  );
  const pdf = signPreparedPdf(prepared, identity);
  const pdfSha256 = createHash("sha256").update(pdf).digest("hex");
  return {
    pdf,
    number,
    evidenceSha256,
    pdfSha256,
    plantVerdict: assessment.verdict,
    practice: plan.practice,
    record: {
      number,
      issuedAt: now.toISOString(),
      plantVerdict: assessment.verdict,
      pdfSha256,
      evidenceSha256,
      signerFingerprint: signer.fingerprintSha256,
    },
    evidence,
    warnings,
  };
}
