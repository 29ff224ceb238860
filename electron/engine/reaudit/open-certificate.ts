// A certificate handed to `new --from`, `diff` or "Re-audit from a certificate": verified first (DESIGN §2 — an
// intact document whose signer was not checked is accepted, and that is said; a modified, invalid or unreadable
// one is refused), then its signed evidence read by its version.
import { createHash } from "node:crypto";
import { UserError } from "../errors";
import { UnreadableDocumentError, type VerifyResult } from "../signing/verify";
import type { CertificateVerifier } from "../signing/verifier";
import {
  readCertificateEvidence,
  type CertificateEvidence,
} from "./evidence-adapters";

export interface CheckedCertificate {
  fileName: string;
  pdf: Uint8Array;
  pdfSha256: string;
  /** Intact: valid (the signer chains to a given CA) or signer-not-checked (no CA was given). */
  status: "valid" | "signer-not-checked";
  verification: Omit<VerifyResult, "evidenceJson">;
  /** The signed evidence JSON, byte for byte, and its SHA-256 (the signed one). */
  evidenceJson: Uint8Array;
  evidenceSha256: string;
  evidence: CertificateEvidence;
}

export interface OpenCertificateOptions {
  fileName: string;
  caPems: readonly string[];
  crlPems?: readonly string[];
  verifier: CertificateVerifier;
}

/** The certificate verified and read; a UserError with a sentence when it is not intact or cannot be read. */
export async function openCertificate(
  pdf: Uint8Array,
  options: OpenCertificateOptions,
): Promise<CheckedCertificate> {
  let result: VerifyResult;
  try {
    result = await options.verifier(pdf, {
      caPems: options.caPems,
      crlPems: options.crlPems ?? [],
      fileName: options.fileName,
      keepEvidence: true,
    });
  } catch (error) {
    if (error instanceof UnreadableDocumentError)
      throw new UserError("invalid-input", error.message, { cause: error });
    throw error;
  }
  if (result.status === "invalid") {
    const failed = result.checks.find((c) => c.outcome === "fail");
    throw new UserError(
      "invalid-input",
      `${options.fileName} is not valid (${failed?.id ?? "a check"} failed: ${failed?.message ?? "see cellcert verify"}) — a modified or invalid certificate is not read.`,
    );
  }
  const { evidenceJson, ...verification } = result;
  if (evidenceJson === undefined)
    throw new Error(
      `verify passed ${options.fileName} without handing back its evidence`,
    );
  const label = result.certificateNumber ?? options.fileName;
  return {
    fileName: options.fileName,
    pdf,
    pdfSha256: sha256Hex(pdf),
    status: result.status,
    verification,
    evidenceJson,
    evidenceSha256: sha256Hex(evidenceJson),
    evidence: readCertificateEvidence(evidenceJson, `certificate ${label}`),
  };
}

/**
 * What the verification said, in one sentence: valid, or intact with the signer NOT checked — never called valid
 * then (`howToCheck` says how to give the CA where it is read: "--ca COMMISSIONING-CA.pem", "add the CA above").
 */
export function verificationSentence(
  checked: Pick<CheckedCertificate, "status" | "verification" | "fileName">,
  howToCheck: string,
): string {
  const { verification } = checked;
  const number = verification.certificateNumber ?? checked.fileName;
  const signer = verification.signer;
  return checked.status === "valid"
    ? `Certificate ${number} is valid: signed by ${signer?.subject ?? "—"}, who chains to the commissioning CA given, and unchanged since signing.`
    : `Certificate ${number} is intact, but who signed it was NOT checked: signed by ${signer?.subject ?? "—"}, SHA-256 ${signer?.fingerprintSha256 ?? "—"}. To check the signer, ${howToCheck}.`;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
