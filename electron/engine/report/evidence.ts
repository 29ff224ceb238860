// The evidence document (docs/evidence.md): everything the certificate states, as JSON, embedded in the PDF
// and hashed into its signed document information. Built from the plan and the roll-up; it never holds a
// secret, a secret's reference or a file path (identities and credentials are listed by name only).
import { createHash } from "node:crypto";
import type {
  Attestation,
  Boundary,
  Cell,
  Endpoint,
  IssuedCertificate,
  Plan,
  PlantData,
  Policy,
  Run,
  SignOff,
  Vantage,
  Waiver,
} from "../../../shared/model/plan";
import { GUIDE_TITLE } from "../../../shared/catalog/catalog";
import type {
  BoundaryVerdict,
  CheckVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import { PRODUCT_NAME, RULESET_VERSION } from "../../../shared/product";
import type { PlantAssessment } from "../../../shared/verdicts/rollup";
import {
  SIGNER_FIELDS,
  summaryPart,
  type CertificateSummary,
} from "../../../shared/evidence/certificate";
import type { IdentityInfo } from "../identity/engineer";

export const EVIDENCE_SCHEMA = "cellcert.evidence/2";
/** The attachment's name, shared with the verifier. */
export { EVIDENCE_FILE_NAME } from "../signing/document-format";
export const PRACTICE_NOTICE =
  "PRACTICE: made with the practice plant. This is not a commissioning certificate.";
export const CLOCK_NOTICE =
  "The signing time and every time in this document come from the commissioning laptop's clock; they are not certified by a timestamp authority.";

/** The clock notice of a certificate whose signature the plant's (or the practice) TSA time-stamps. */
export function timeStampedClockNotice(authorityName: string): string {
  return `Every time in this document comes from the commissioning laptop's clock; the signature carries an RFC 3161 time-stamp from ${authorityName}, which certifies when it was signed.`;
}

/** The certificate that signs, as the evidence states it: a part of CertificateSummary, with its chain's PEM. */
export type EvidenceSigner = Pick<
  CertificateSummary,
  (typeof SIGNER_FIELDS)[number]
> & {
  /** The signer's certificate, then its issuers, PEM. */
  certificatesPem: string[];
};

export interface EvidenceCheck {
  checkId: string;
  title: string;
  severity: "mandatory" | "recommended";
  satisfiedBy: "probe" | "attest" | "either";
  sr: string[];
  endpointId: string;
  verdict: CheckVerdict;
  /** The run the latest measured result came from; null when never measured. */
  runId: string | null;
  summary: string;
  waived: boolean;
  attested: boolean;
  /** The waiver's expiry date had passed at signing: it waived nothing. */
  waiverExpired: boolean;
  /** The latest result measured the endpoint as it was before a change (after this run): counted as not-tested. */
  outOfDate: { afterRun: number } | null;
  /** The certificate's ids (`R<run>-E<n>`) of the evidence behind the latest result. */
  evidenceRefs: string[];
}

/** A run's evidence record as the certificate names it: `ref` is `R<run sequence>-E<position, from 1>`. */
export type EvidenceRecord = Run["evidence"][number] & { ref: string };

export interface EvidenceBoundary {
  id: string;
  title: string;
  protection: string;
  inScope: boolean;
  outOfScopeReason: string;
  /** Null when out of scope. */
  verdict: BoundaryVerdict | null;
  gaps: string[];
  checks: EvidenceCheck[];
  /** Ids of the boundary's retired endpoints: in the runs, not judged. */
  retired: string[];
}

export interface EvidenceDocument {
  schema: typeof EVIDENCE_SCHEMA;
  practice: boolean;
  /** Present (and first to read) on practice certificates only. */
  practiceNotice?: string;
  certificate: {
    number: string;
    /** The signing time, laptop clock, ISO 8601 UTC. */
    issuedAt: string;
    clockNotice: string;
    /** The RFC 3161 TSA asked to time-stamp the signature (PAdES B-T); null when none was. */
    timeStampAuthority: string | null;
    nextAuditDate: string;
    plantVerdict: PlantVerdict;
  };
  tool: { name: string; version: string };
  rulesetVersion: string;
  guide: string;
  plant: PlantData;
  signOff: SignOff;
  signer: EvidenceSigner;
  policy: Policy;
  cells: Cell[];
  boundaries: Boundary[];
  endpoints: Endpoint[];
  vantages: Vantage[];
  trustAnchors: Plan["trustAnchors"];
  /** Identities by name and certificate only: never their file or passphrase. */
  identities: {
    id: string;
    role: "client" | "engineer";
    name: string;
    subject: string;
    fingerprintSha256: string;
    notAfter: string | null;
  }[];
  /** SQL credentials by name and login only: never the password's reference. */
  credentials: { id: string; name: string; user: string }[];
  /** Every run, oldest first; each evidence record carries its certificate id `ref`. */
  runs: (Omit<Run, "evidence"> & { evidence: EvidenceRecord[] })[];
  waivers: Waiver[];
  attestations: Attestation[];
  assessment: {
    plantVerdict: PlantVerdict;
    waiversNeeded: boolean;
    counts: Record<CheckVerdict, number>;
    boundaries: EvidenceBoundary[];
    blockers: PlantAssessment["blockers"];
  };
  /** Certificates issued from this plan before this one. */
  previousCertificates: IssuedCertificate[];
}

export interface EvidenceContext {
  number: string;
  issuedAt: Date;
  nextAuditDate: string;
  toolVersion: string;
  signer: IdentityInfo;
  signerCertificatesPem: string[];
  signOff: SignOff;
  /** The TSA that time-stamps the signature: its URL and its name for sentences; null when none does. */
  timeStampAuthority: { url: string; name: string } | null;
}

export function buildEvidenceDocument(
  plan: Plan,
  assessment: PlantAssessment,
  context: EvidenceContext,
): EvidenceDocument {
  const refs = evidenceRefs(plan.runs);
  return {
    schema: EVIDENCE_SCHEMA,
    practice: plan.practice,
    ...(plan.practice && { practiceNotice: PRACTICE_NOTICE }),
    certificate: {
      number: context.number,
      issuedAt: context.issuedAt.toISOString(),
      clockNotice:
        context.timeStampAuthority === null
          ? CLOCK_NOTICE
          : timeStampedClockNotice(context.timeStampAuthority.name),
      timeStampAuthority: context.timeStampAuthority?.url ?? null,
      nextAuditDate: context.nextAuditDate,
      plantVerdict: assessment.verdict,
    },
    tool: { name: PRODUCT_NAME, version: context.toolVersion },
    rulesetVersion: RULESET_VERSION,
    guide: GUIDE_TITLE,
    plant: plan.plant,
    signOff: context.signOff,
    signer: {
      ...summaryPart(context.signer, SIGNER_FIELDS),
      certificatesPem: context.signerCertificatesPem,
    },
    policy: plan.policy,
    cells: plan.cells,
    boundaries: plan.boundaries,
    endpoints: plan.endpoints,
    vantages: plan.vantages,
    trustAnchors: plan.trustAnchors,
    identities: plan.identities.map((identity) => ({
      id: identity.id,
      role: identity.role,
      name: identity.name,
      subject: identity.subject,
      fingerprintSha256: identity.fingerprintSha256,
      notAfter: identity.notAfter ?? null,
    })),
    credentials: plan.credentials.map((credential) => ({
      id: credential.id,
      name: credential.name,
      user: credential.user,
    })),
    runs: [...plan.runs]
      .sort((a, b) => a.sequence - b.sequence)
      .map((run) => ({
        ...run,
        evidence: run.evidence.map((record) => ({
          ...record,
          ref: refs.get(refKey(run.id, record.id)) ?? record.id,
        })),
      })),
    waivers: plan.waivers,
    attestations: plan.attestations,
    assessment: {
      plantVerdict: assessment.verdict,
      waiversNeeded: assessment.waiversNeeded,
      counts: assessment.counts,
      boundaries: assessment.boundaries.map((b) => ({
        id: b.boundary.id,
        title: b.boundary.title,
        protection: b.boundary.protection,
        inScope: b.inScope,
        outOfScopeReason: b.outOfScopeReason,
        verdict: b.verdict,
        gaps: b.gaps,
        checks: b.checks.map((c) => ({
          checkId: c.check.id,
          title: c.check.title,
          severity: c.check.severity,
          satisfiedBy: c.check.satisfiedBy,
          sr: [...c.check.sr],
          endpointId: c.endpoint.id,
          verdict: c.verdict,
          runId: c.run?.id ?? null,
          summary: c.summary,
          waived: c.waiver !== null,
          attested: c.attestation !== null,
          waiverExpired: c.waiverExpired,
          outOfDate: c.outOfDate,
          evidenceRefs:
            c.result === null || c.run === null
              ? []
              : c.result.evidenceIds.map(
                  (id) => refs.get(refKey(c.run?.id ?? "", id)) ?? id,
                ),
        })),
        retired: b.retired.map((e) => e.id),
      })),
      blockers: assessment.blockers,
    },
    previousCertificates: plan.certificates,
  };
}

/** "runId\0evidenceId": the key of `evidenceRefs`. */
export function refKey(runId: string, evidenceId: string): string {
  return `${runId}\u0000${evidenceId}`;
}

/**
 * Each evidence record's id on the certificate and in its evidence file: `R<run sequence>-E<n>`, n its position in
 * the run from 1. Unique across the plan, where the runs' own ids (ev-1, ev-2, …) repeat from run to run.
 */
export function evidenceRefs(runs: readonly Run[]): Map<string, string> {
  const refs = new Map<string, string>();
  for (const run of runs)
    run.evidence.forEach((record, index) =>
      refs.set(refKey(run.id, record.id), `R${run.sequence}-E${index + 1}`),
    );
  return refs;
}

/** The exact bytes that are embedded and hashed: pretty-printed UTF-8 JSON with a final newline. */
export function serializeEvidence(document: EvidenceDocument): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}
