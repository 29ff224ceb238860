// Contract payloads for what moves in and out as files: trust anchors, identities (PKCS#12), the signed
// certificate and its verification, and the practice plant. On the desktop files come from main's own dialogs;
// in browser mode the page uploads bytes and downloads exports.
import { z } from "zod";
import { KeptCertificate, VerifiedSigner } from "../evidence/certificate";
import { SecretRef, TrustAnchor, TrustCrl } from "../model/plan";
import { plantVerdicts } from "../plant-words";
import { PlanDocumentView } from "./plan";

/** 24 MiB of file, as base64. */
export const MAX_UPLOAD_BASE64 = 32 * 1024 * 1024;

export const FileSource = z.discriminatedUnion("kind", [
  /** Desktop: main shows its open dialog. */
  z.object({ kind: z.literal("dialog") }),
  /** Browser mode: the bytes the user chose or dropped. */
  z.object({
    kind: z.literal("upload"),
    fileName: z.string().min(1).max(255),
    base64: z.string().max(MAX_UPLOAD_BASE64),
  }),
]);
export type FileSource = z.infer<typeof FileSource>;

export const AnchorImport = z.object({ source: FileSource });
export const AnchorImportResult = z.object({
  document: PlanDocumentView,
  added: z.array(TrustAnchor),
  /** Certificates already in the plan, by subject. */
  alreadyPresent: z.array(z.string()),
  /** What to know about what was added: a leaf certificate that only pins itself, a CA that may not sign… */
  warnings: z.array(z.string()).default([]),
});

// ---- trust decisions (issue 14): CRLs beside the trust anchors ----
export const CrlImport = z.object({ source: FileSource });
export const CrlImportResult = z.object({
  document: PlanDocumentView,
  added: z.array(TrustCrl),
  /** CRLs already in the plan, by issuer. */
  alreadyPresent: z.array(z.string()),
});

export const IdentityView = z.object({
  id: z.string(),
  role: z.enum(["client", "engineer"]),
  name: z.string(),
  subject: z.string(),
  issuer: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
  keyType: z.string(),
  keyUsage: z.array(z.string()),
  extendedKeyUsage: z.array(z.string()),
  selfSigned: z.boolean(),
  /** What stops it from serving its role (expired, no digitalSignature…), as sentences. */
  problems: z.array(z.string()),
  /** What does not stop it but should be known (a client identity without clientAuth…), as sentences. */
  warnings: z.array(z.string()).default([]),
});
export type IdentityView = z.infer<typeof IdentityView>;

const Passphrase = {
  passphraseRef: SecretRef,
  passphrase: z.string().min(1).max(4096),
  /** Keep a `keychain:` passphrase in the desktop keychain. */
  remember: z.boolean().default(false),
};

export const IdentityImport = z.object({
  role: z.enum(["client", "engineer"]),
  name: z.string().trim().min(1).max(200),
  source: FileSource,
  ...Passphrase,
  // ---- re-audit (issue 20) ----
  /**
   * The id of an entry of previousCertificate.identitiesToImport this file is imported for: the endpoints that
   * used that identity in the earlier certificate are linked to the new one.
   */
  replaces: z.string().min(1).max(64).optional(),
});

export const IdentityCreate = z.object({
  /** The engineer's full name (the certificate's CN). */
  name: z.string().trim().min(1).max(200),
  company: z.string().trim().min(1).max(200),
  email: z.email().optional(),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/)
    .optional(),
  validityDays: z.number().int().min(30).max(3650).default(1095),
  /** Issue it from a commissioning CA that Cellcert creates too, and hand the customer its PEM. */
  withCommissioningCa: z.boolean(),
  ...Passphrase,
});

export const IdentityResult = z.object({
  document: PlanDocumentView,
  identity: IdentityView,
  /** The commissioning CA's certificate (PEM) for the customer, when one was created. */
  caPem: z.string().nullable(),
});

export const ReportPreview = z.object({
  number: z.string(),
  plantVerdict: z.enum(plantVerdicts),
  practice: z.boolean(),
  engineer: z.string(),
  company: z.string(),
  witnessName: z.string(),
  nextAuditDate: z.string(),
  engineerIdentity: IdentityView.nullable(),
  /** Why the certificate cannot be signed yet (no identity, passphrase missing…); empty when it can. */
  problems: z.array(z.string()),
  // ---- the signature for years (issue 19) ----
  /**
   * The TSA that will time-stamp the signature (PAdES B-T); null: none, the laptop's clock alone. `session`:
   * the running practice plant's TSA, used for this session's practice certificates (the plan names none).
   */
  timeStampAuthority: z
    .object({ url: z.string(), practice: z.boolean(), session: z.boolean() })
    .nullable(),
});
export type ReportPreview = z.infer<typeof ReportPreview>;

export const ReportExport = z.object({ identityId: z.string().min(1).max(64) });
export const ReportExportResult = z.object({
  number: z.string(),
  plantVerdict: z.enum(plantVerdicts),
  fileName: z.string(),
  /** Desktop: where main saved it. */
  savedTo: z.string().nullable(),
  /** Browser mode: the PDF to download. */
  download: z.object({ fileName: z.string(), base64: z.string() }).nullable(),
  warnings: z.array(z.string()),
  document: PlanDocumentView,
  // ---- the signature for years (issue 19) ----
  /** The signature's RFC 3161 time-stamp: its time (ISO 8601 UTC), the TSA asked and the certificate that signed. */
  timeStamp: z
    .object({
      time: z.string(),
      url: z.string(),
      practice: z.boolean(),
      tsaName: z.string(),
    })
    .nullable(),
});
export type ReportExportResult = z.infer<typeof ReportExportResult>;

export const ReportVerify = z.object({
  source: FileSource,
  /** Commissioning CAs to check the signer against (PEM). */
  caPems: z
    .array(z.string().max(64 * 1024))
    .max(16)
    .default([]),
});

export const VerifyReport = z.object({
  fileName: z.string(),
  // The three answers of `verify` (DESIGN §2): "valid" (intact, the signer chains to a given CA),
  // "signer-not-checked" (intact, no CA given: never called valid), "invalid". `valid` is status "valid";
  // `intact` is no check failed.
  status: z.enum(["valid", "signer-not-checked", "invalid"]),
  intact: z.boolean(),
  valid: z.boolean(),
  checks: z.array(
    z.object({
      id: z.string(),
      outcome: z.enum(["pass", "fail", "skipped"]),
      message: z.string(),
    }),
  ),
  /** The signer's certificate (a part of CertificateSummary, shared/evidence/certificate.ts). */
  signer: VerifiedSigner.nullable(),
  signingTime: z.string().nullable(),
  certificateNumber: z.string().nullable(),
  plantVerdict: z.enum(plantVerdicts).nullable(),
  practice: z.boolean().nullable(),
  trusted: z.boolean().nullable(),
  appendedBytes: z.number().int(),
  // ---- the signature for years (issue 19): the time-stamp, when the signer was judged, the /DSS ----
  /** The signature's RFC 3161 time-stamp; status "checked" (its TSA chains to a given CA: the signer was judged
   * at its time), "not-checked" (chains to none of them), "invalid". Null when there is none Cellcert can read. */
  timeStamp: z
    .object({
      time: z.string(),
      tsa: z.string(),
      tsaIssuer: z.string(),
      tsaFingerprintSha256: z.string(),
      policy: z.string(),
      serialNumber: z.string(),
      status: z.enum(["checked", "not-checked", "invalid"]),
    })
    .nullable(),
  /** When the signer was judged: the checked time-stamp's time, else /M (the signer's laptop clock). */
  judgedAt: z
    .object({
      time: z.string(),
      by: z.enum(["time-stamp", "signing-time"]),
    })
    .nullable(),
  /** What the signed revision's /DSS keeps for verification years later. */
  validationData: z
    .object({
      certificates: z.array(KeptCertificate),
      crls: z.array(
        z.object({
          issuer: z.string(),
          thisUpdate: z.string(),
          nextUpdate: z.string().nullable(),
          entries: z.number().int(),
        }),
      ),
      ignored: z.array(z.string()),
    })
    .nullable(),
});
export type VerifyReport = z.infer<typeof VerifyReport>;

// ---- issue 15 ----
/**
 * A CA this plan's certificates were signed under, from the copy kept beside them in certificates/ (DESIGN §11):
 * what the verifier screen offers to check a certificate against.
 */
export const SignerCa = z.object({
  subject: z.string(),
  fingerprintSha256: z.string(),
  notAfter: z.string(),
  /** Where the copy is, relative to the plan's folder. */
  file: z.string(),
  pem: z.string(),
  /** The numbers of the plan's certificates signed under it. */
  certificates: z.array(z.string()),
});
export type SignerCa = z.infer<typeof SignerCa>;

export const PracticeStatus = z.object({
  running: z.boolean(),
  broken: z.boolean(),
  /** Where the practice plan and identities are. */
  folder: z.string(),
  /** The practice passphrase of its identities (documented; it protects nothing real). */
  passphraseHint: z.string(),
});
export type PracticeStatus = z.infer<typeof PracticeStatus>;
