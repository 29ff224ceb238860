// A certificate's signed evidence JSON read BY ITS VERSION: one adapter per `schema` (cellcert.evidence/1 and /2;
// a new version is one more adapter in EVIDENCE_ADAPTERS, the others untouched). Each adapter turns its version
// into the same two things: the audit as the comparison reads it (AuditRecord) and the plan's parts a re-audit
// plan is made from. Evidence of a version no adapter reads is refused with a sentence, never guessed at.
import type { PlantVerdict } from "../../../shared/plant-words";
import { UserError } from "../errors";
import type { AuditRecord } from "./record";
import { evidenceV1, evidenceV2 } from "./evidence-versions";

/** The plan's parts as a certificate states them, each still to be read by the plan schema (plan-from.ts). */
export interface EvidencePlanParts {
  practice: boolean;
  plant: unknown;
  policy: unknown;
  cells: readonly unknown[];
  boundaries: readonly unknown[];
  endpoints: readonly unknown[];
  vantages: readonly unknown[];
  trustAnchors: readonly unknown[];
  /** Null: this version of the evidence does not hold the plan's CRLs. */
  crls: readonly unknown[] | null;
  /** By name and certificate only: a certificate never holds an identity's file or passphrase. */
  identities: readonly {
    id: string;
    role: "client" | "engineer";
    name: string;
    subject: string;
    fingerprintSha256: string;
    notAfter: string | null;
  }[];
  /** By name and login only: never the password's reference. */
  credentials: readonly { id: string; name: string; user: string }[];
  attestations: readonly {
    checkId: string;
    endpointId: string;
    statement: string;
    name: string;
    date: string;
    /** A later measured failure contradicted it: it no longer counted. */
    contradicted: boolean;
  }[];
  waivers: number;
}

export interface CertificateEvidence {
  schema: string;
  number: string;
  issuedAt: string;
  plantVerdict: PlantVerdict;
  practice: boolean;
  rulesetVersion: string;
  toolVersion: string;
  signer: { subject: string; fingerprintSha256: string };
  record: AuditRecord;
  plan: EvidencePlanParts;
}

export interface EvidenceAdapter {
  schema: string;
  /** The evidence of this version; a UserError with a sentence when it does not read as this version. */
  read(json: Record<string, unknown>, label: string): CertificateEvidence;
}

/** Every version this build reads (docs/evidence.md); a new version is one more entry here. */
export const EVIDENCE_ADAPTERS: readonly EvidenceAdapter[] = [
  evidenceV1,
  evidenceV2,
];

/** Reads a certificate's evidence JSON (already proven to be the signed one) by its `schema`. */
export function readCertificateEvidence(
  bytes: Uint8Array,
  label: string,
): CertificateEvidence {
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new UserError(
      "invalid-input",
      `The evidence of ${label} is not JSON Cellcert can read.`,
    );
  }
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new UserError(
      "invalid-input",
      `The evidence of ${label} is not a JSON object.`,
    );
  const record = json as Record<string, unknown>;
  const schema = typeof record.schema === "string" ? record.schema : null;
  const adapter = EVIDENCE_ADAPTERS.find((a) => a.schema === schema);
  if (adapter === undefined)
    throw new UserError(
      "invalid-input",
      `The evidence of ${label} is ${schema === null ? "of no named version" : schema}; this Cellcert reads ${EVIDENCE_ADAPTERS.map((a) => a.schema).join(", ")}. Update Cellcert to read it.`,
    );
  return adapter.read(record, label);
}
