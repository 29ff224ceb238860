// Verifying a signed commissioning certificate, independently of how it was made, as a list of named steps over
// a shared context (verify-context.ts). Each step is one check of the report; it runs when the steps it needs
// passed, and is reported "skipped" otherwise. The answer has three states: valid (intact, and the signer
// chains to a given CA), signer-not-checked (intact, but no CA was given: never called valid), invalid.
//
// For the years (verify-long-term.ts): "dss" reads the signed revision's /DSS and adds its certificates and CRLs
// to `context.validation`, which the TSA's path and "chain" are validated with; "time-stamp" (after "signature",
// whose value its imprint is over) checks the signature time-stamp token (PAdES B-T, the unsigned attribute
// id-aa-signatureTimeStampToken) in full and, once its TSA chains to a given CA, sets `context.judgedAt` to the
// token's time — a proven time, which "certificate-validity" and "chain" then judge the signer at; without one
// they judge it at /M, the signer's laptop clock, and say so. A new step goes into VERIFY_STEPS and its id into
// verifyCheckIds, in the same place.
import { PdfFile } from "./pdf-objects";
import {
  byteRangeStep,
  signatureFieldStep,
  wholeFileStep,
} from "./verify-document";
import { evidenceStep, plantVerdictStep } from "./verify-evidence";
import { dssStep, timeStampStep } from "./verify-long-term";
import {
  cmsStep,
  messageDigestStep,
  signatureStep,
  signingCertificateStep,
} from "./verify-signature";
import {
  certificateValidityStep,
  chainStep,
  signerUsageStep,
} from "./verify-signer";
import {
  UnreadableDocumentError,
  verifyCheckIds,
  type VerifyCheck,
  type VerifyCheckId,
  type VerifyContext,
  type VerifyOptions,
  type VerifyResult,
  type VerifyStep,
} from "./verify-context";

export {
  UnreadableDocumentError,
  verifyCheckIds,
  type VerifyCheck,
  type VerifyCheckId,
  type VerifyOptions,
  type VerifyResult,
  type VerifyStatus,
  type TimeStampSummary,
  type ValidationDataSummary,
} from "./verify-context";

/** The largest document `verify` takes, from any side: browser mode's upload limit (MAX_UPLOAD_BASE64 decoded;
 * a test keeps them equal) and the desktop's import limit. A certificate of a 200-check plant is about 300 KiB. */
export const MAX_CERTIFICATE_BYTES = 24 * 1024 * 1024;

/** The steps, in the order of verifyCheckIds. */
export const VERIFY_STEPS: readonly VerifyStep[] = [
  signatureFieldStep,
  byteRangeStep,
  wholeFileStep,
  dssStep,
  cmsStep,
  messageDigestStep,
  signatureStep,
  timeStampStep,
  signingCertificateStep,
  certificateValidityStep,
  signerUsageStep,
  chainStep,
  evidenceStep,
  plantVerdictStep,
];

/** Judges a document; whatever its bytes, the answer is a result or an UnreadableDocumentError with a sentence. */
export async function verifyCertificate(
  pdf: Uint8Array,
  options: VerifyOptions = {},
): Promise<VerifyResult> {
  try {
    return await runSteps(pdf, options);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error;
    // The reader is bounded and every step catches what it expects; this is the net under a fault of ours.
    throw new UnreadableDocumentError(
      `${options.fileName ?? "The document"} could not be read: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error },
    );
  }
}

async function runSteps(
  pdf: Uint8Array,
  options: VerifyOptions,
): Promise<VerifyResult> {
  const context: VerifyContext = {
    pdf,
    options,
    file: new PdfFile(pdf),
    result: {
      status: "invalid",
      valid: false,
      intact: false,
      checks: [],
      signer: null,
      signingTime: null,
      certificateNumber: null,
      plantVerdict: null,
      practice: null,
      evidenceSha256: null,
      trusted: null,
      appendedBytes: 0,
      timeStamp: null,
      judgedAt: null,
      validationData: null,
    },
    validation: { certificates: [], crls: [...(options.crlPems ?? [])] },
  };
  const checks = new Map<VerifyCheckId, VerifyCheck>();
  for (const step of VERIFY_STEPS) {
    const blocker = step.needs.find((id) => checks.get(id)?.outcome !== "pass");
    const outcome =
      blocker === undefined
        ? await step.run(context)
        : {
            outcome: "skipped" as const,
            message: `Not checked: it needs ${blocker}, which ${checks.get(blocker)?.outcome === "fail" ? "failed" : "was not checked"}.`,
          };
    checks.set(step.id, { id: step.id, ...outcome });
  }
  const result = context.result;
  if (context.judgedAt !== undefined)
    result.judgedAt = {
      time: context.judgedAt.toISOString(),
      by: context.judgedBy ?? "signing-time",
    };
  result.checks = verifyCheckIds.flatMap((id) => {
    const check = checks.get(id);
    return check === undefined ? [] : [check];
  });
  result.intact = result.checks.every((c) => c.outcome !== "fail");
  result.valid = result.intact && checks.get("chain")?.outcome === "pass";
  result.status = result.valid
    ? "valid"
    : result.intact
      ? "signer-not-checked"
      : "invalid";
  return result;
}
