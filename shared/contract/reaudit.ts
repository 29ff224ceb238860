// Contract payloads for re-audits (issue 20): a new plan started from an earlier certificate, and what changed
// since that certificate. On the desktop the PDF comes from main's open dialog and the plan goes where main's save
// dialog says; in browser mode the PDF is uploaded and the plan goes into the workspace, in a folder of its own.
import { z } from "zod";
import { plantVerdicts } from "../plant-words";
import { PlanChanges } from "../reaudit/changes";
import { FileSource } from "./documents";
import { PlanDocumentView } from "./plan";

export const PlanReaudit = z.object({
  source: FileSource,
  /** Commissioning CAs to check who signed the certificate (PEM); none: intact is accepted, and said. */
  caPems: z
    .array(z.string().max(64 * 1024))
    .max(16)
    .default([]),
});

export const PlanReauditResult = z.object({
  document: PlanDocumentView,
  /** How the certificate verified: valid, or intact with the signer not checked (never called valid). */
  verification: z.object({
    status: z.enum(["valid", "signer-not-checked"]),
    certificateNumber: z.string(),
    plantVerdict: z.enum(plantVerdicts),
    signer: z
      .object({ subject: z.string(), fingerprintSha256: z.string() })
      .nullable(),
    /** The one sentence to show. */
    sentence: z.string(),
  }),
  /** What was left out or is to be done again (also in the plan's previousCertificate.notes). */
  notes: z.array(z.string()),
});
export type PlanReauditResult = z.infer<typeof PlanReauditResult>;

export { PlanChanges };
