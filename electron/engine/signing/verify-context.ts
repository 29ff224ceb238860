// The shapes of `verify`: what it answers (VerifyResult, one VerifyCheck per step), what it is given, and the
// context its steps share — each step reads what the steps before it found and adds what it finds.
import type { X509Certificate } from "node:crypto";
import type {
  CertificateOutline,
  CertificateSummary,
  KEPT_CERTIFICATE_FIELDS,
} from "../../../shared/evidence/certificate";
import type { PlantVerdict } from "../../../shared/plant-words";
import type { ParsedCms } from "./cms-reader";
import type { PdfDict, PdfFile, PdfString } from "./pdf-objects";

/** The steps, in the order they run and are reported (verify.ts lists them). */
export const verifyCheckIds = [
  "signature-field",
  "byte-range",
  "whole-file",
  "dss",
  "cms",
  "message-digest",
  "signature",
  "time-stamp",
  "signing-certificate",
  "certificate-validity",
  "signer-usage",
  "chain",
  "evidence",
  "plant-verdict",
] as const;
export type VerifyCheckId = (typeof verifyCheckIds)[number];

export type VerifyOutcome = "pass" | "fail" | "skipped";

export interface VerifyCheck {
  id: VerifyCheckId;
  outcome: VerifyOutcome;
  /** What was found, as a sentence. */
  message: string;
}

/**
 * valid: intact, and the signer chains to a given CA; signer-not-checked: intact, but no CA was given, so who
 * signed it is not judged (never called valid); invalid: a check failed — modified, not a Cellcert
 * certificate, a signer no verifier accepts or none of the given CAs issued, or a verdict shown that is not the
 * signed one.
 */
export type VerifyStatus = "valid" | "signer-not-checked" | "invalid";

/**
 * The signature's RFC 3161 time-stamp (PAdES B-T) as its token states it. status "checked": the token holds
 * (its imprint is the signature value's; its signature, ESS signing-certificate and timeStamping usage hold) and
 * its TSA chains to a given CA, so the signer was judged at its time; "not-checked": the token holds, but its TSA
 * chains to none of the given CAs (or none was given), so the signer was judged at /M; "invalid": it does not
 * hold (the document is invalid).
 */
export interface TimeStampSummary {
  /** genTime, ISO 8601 UTC: the TSA's clock. */
  time: string;
  /** The TSA's certificate: its subject ("CN=…, O=…"), issuer and SHA-256 fingerprint. */
  tsa: string;
  tsaIssuer: string;
  tsaFingerprintSha256: string;
  /** TSAPolicyId, an OID. */
  policy: string;
  /** The token's serial number, hex. */
  serialNumber: string;
  status: "checked" | "not-checked" | "invalid";
}

/** What the signed revision's /DSS keeps for verification years later (ETSI EN 319 142-1 §5.4.2). */
export interface ValidationDataSummary {
  certificates: Pick<
    CertificateSummary,
    (typeof KEPT_CERTIFICATE_FIELDS)[number]
  >[];
  crls: {
    issuer: string;
    thisUpdate: string;
    nextUpdate: string | null;
    entries: number;
  }[];
  /** Entries that are neither (unreadable, or beyond what Cellcert reads): named, not used. */
  ignored: string[];
}

export interface VerifyResult {
  status: VerifyStatus;
  /** status "valid": intact, and the signer chains to a given CA. */
  valid: boolean;
  /** No check failed (valid, or intact with the signer not checked). */
  intact: boolean;
  checks: VerifyCheck[];
  /** The signer's certificate: its name, issuer, serial number, validity and fingerprint. */
  signer: CertificateOutline | null;
  /** /M of the signature: the laptop's clock when it signed, ISO 8601 UTC. */
  signingTime: string | null;
  certificateNumber: string | null;
  /** As the signed evidence states it (the document information's where the evidence cannot be read). */
  plantVerdict: PlantVerdict | null;
  practice: boolean | null;
  evidenceSha256: string | null;
  /** Whether the signer chains to one of the given CAs; null when none was given or it was not judged. */
  trusted: boolean | null;
  /** Bytes after the end of the signed revision. */
  appendedBytes: number;
  // ---- the signature for years (issue 19) ----
  /** The signature's time-stamp; null when it carries none Cellcert can read. */
  timeStamp: TimeStampSummary | null;
  /** When the signer's validity and chain were judged: at the checked time-stamp's time, else at /M (the
   * signer's laptop clock); null when neither was read. */
  judgedAt: { time: string; by: "time-stamp" | "signing-time" } | null;
  /** The signed revision's /DSS; null when it has none. */
  validationData: ValidationDataSummary | null;
  /**
   * The embedded evidence JSON, byte for byte, once it hashed to the signed value — only when asked for with
   * `keepEvidence` (re-audit and diff read it; `verify` never prints it).
   */
  evidenceJson?: Uint8Array;
}

export interface VerifyOptions {
  /** Trusted commissioning CAs (PEM). Without any, the signer is not judged: at best "signer-not-checked". */
  caPems?: readonly string[];
  /** CRLs (PEM) the signer's path is checked against (`--crl`). */
  crlPems?: readonly string[];
  /** For messages: the file's name. */
  fileName?: string;
  /** Today, for the words only ("it has expired since"): the signer is judged at the time it signed. */
  now?: Date;
  /** Hand back the embedded evidence JSON in `evidenceJson` once it hashes to the signed value. */
  keepEvidence?: boolean;
}

/** The file is not a PDF at all: nothing could be judged (exit 2). */
export class UnreadableDocumentError extends Error {
  override readonly name = "UnreadableDocumentError";
}

/** What the embedded evidence file states, once it hashes to the signed value. */
export interface SignedEvidence {
  number: string | null;
  /** certificate.plantVerdict and assessment.plantVerdict (null where absent or not a verdict). */
  plantVerdicts: {
    certificate: PlantVerdict | null;
    assessment: PlantVerdict | null;
  };
  signerFingerprint: string | null;
  /** Texts of the evidence (names, notes, justifications…) that hold a verdict's words without being a verdict:
   * "Commissioned Systems Ltd." shown on page 1 is the customer's name, not a stamp. */
  textsWithVerdictWords: string[];
}

/** Shared by the steps: the input, the report being filled in, and what earlier steps found. */
export interface VerifyContext {
  readonly pdf: Uint8Array;
  readonly options: VerifyOptions;
  readonly file: PdfFile;
  readonly result: VerifyResult;
  /** signature-field: the one signature dictionary and its /M. */
  signature?: PdfDict;
  signingTime?: Date;
  /** byte-range: the /Contents hole, the two signed byte ranges and the revision they sign. */
  contents?: PdfString;
  signedBytes?: Uint8Array[];
  signed?: PdfFile;
  /** byte-range: the signed document information. */
  info?: {
    plantVerdict: string | undefined;
    keywords: string | undefined;
    evidenceSha256: string | undefined;
  };
  /** cms: the SignedData and the signer's certificate in it. */
  cms?: ParsedCms;
  signer?: X509Certificate;
  /** When the signer is judged: /M; the time-stamp step (PAdES B-T) sets the token's time instead, once the
   * token holds and its TSA chains to a given CA (judgedBy "time-stamp": a proven time). */
  judgedAt?: Date;
  judgedBy?: "time-stamp" | "signing-time";
  /** Beyond the CMS's certificates, what the signer's (and the TSA's) path is validated with: the --crl files,
   * and the certificates and CRLs of the document's /DSS (the dss step). */
  validation: { certificates: Uint8Array[]; crls: (string | Uint8Array)[] };
  /** evidence: what the signed evidence states. */
  evidence?: SignedEvidence;
}

export interface StepOutcome {
  outcome: VerifyOutcome;
  message: string;
}

/** One named check over the shared context. It runs only when every step it `needs` passed. */
export interface VerifyStep {
  id: VerifyCheckId;
  needs: readonly VerifyCheckId[];
  run(context: VerifyContext): StepOutcome | Promise<StepOutcome>;
}

export const pass = (message: string): StepOutcome => ({
  outcome: "pass",
  message,
});
export const fail = (message: string): StepOutcome => ({
  outcome: "fail",
  message,
});
export const skipped = (message: string): StepOutcome => ({
  outcome: "skipped",
  message,
});

/** What an earlier step put into the context; its absence is a fault of ours (a step ran without its needs). */
export function found<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null)
    throw new Error(`verify: ${what} was not found by an earlier step`);
  return value;
}

/** Ends a sentence with one period, also after a name that ends in one ("S.L."). */
export function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}
