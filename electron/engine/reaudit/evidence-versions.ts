// The adapters for `cellcert.evidence/1` and `/2` (docs/evidence.md, "The certificate's evidence file"): what the
// certificate states — its assessment's verdicts, its waivers, what its runs observed — and the plan's parts.
// Only the fields read here are required; anything else the file holds is left alone, so evidence written by an
// older build of the same version (no `retired`, no validated path) reads too. Version 2 adds each evidence
// record's `ref`, each check's `evidenceRefs`, each run's `instrument` and `sourceAddress`: read where present
// (refs name the evidence behind a change), never required of version 1.
import { z } from "zod";
import { plantVerdicts } from "../../../shared/plant-words";
import { UserError } from "../errors";
import type { CertificateEvidence, EvidenceAdapter } from "./evidence-adapters";
import {
  observationsOf,
  recordEndpointOf,
  type RecordEndpoint,
} from "./record";

export const EVIDENCE_V1 = "cellcert.evidence/1";
export const EVIDENCE_V2 = "cellcert.evidence/2";

const Check = z.object({
  checkId: z.string(),
  severity: z.enum(["mandatory", "recommended"]),
  endpointId: z.string(),
  verdict: z.enum(["pass", "warn", "fail", "not-tested", "waived", "attested"]),
  runId: z.string().nullable(),
  summary: z.string(),
  waived: z.boolean(),
  attested: z.boolean(),
  waiverExpired: z.boolean().default(false),
});

const Endpoint = z.looseObject({
  id: z.string(),
  name: z.string(),
  boundary: z.enum([
    "ENT-PER",
    "PER-MES",
    "IIS-BIND",
    "MES-PCS",
    "MES-CELL",
    "APP-DB",
    "APP-EXT",
    "REMOTE",
  ]),
  kind: z.enum([
    "https",
    "mtls-https",
    "http-plain",
    "tls",
    "tcp",
    "mssql",
    "opcua",
    "manual",
  ]),
  host: z.string().default(""),
  port: z.number().int().optional(),
  serverName: z.string().default(""),
  paths: z.array(z.string()).default([]),
  allowedPorts: z.array(z.number().int()).default([]),
  deniedPorts: z.array(z.number().int()).default([]),
  retired: z.boolean().optional(),
});

/** The fields both versions share, as the comparison reads them; `schema` is each version's own literal. */
const shape = <S extends string>(schema: S) =>
  z.object({
    schema: z.literal(schema),
    practice: z.boolean(),
    certificate: z.object({
      number: z.string(),
      issuedAt: z.string(),
      plantVerdict: z.enum(plantVerdicts),
    }),
    tool: z.object({ version: z.string() }),
    rulesetVersion: z.string(),
    plant: z.looseObject({ name: z.string(), site: z.string().default("") }),
    signer: z.object({ subject: z.string(), fingerprintSha256: z.string() }),
    policy: z.unknown(),
    cells: z.array(z.unknown()),
    boundaries: z.array(z.unknown()),
    endpoints: z.array(Endpoint),
    vantages: z.array(z.unknown()),
    trustAnchors: z.array(z.unknown()),
    identities: z.array(
      z.object({
        id: z.string(),
        role: z.enum(["client", "engineer"]),
        name: z.string(),
        subject: z.string().default(""),
        fingerprintSha256: z.string().default(""),
        notAfter: z.string().nullable().default(null),
      }),
    ),
    credentials: z.array(
      z.object({ id: z.string(), name: z.string(), user: z.string() }),
    ),
    runs: z.array(
      z.object({
        sequence: z.number().int(),
        vantage: z.string(),
        evidence: z.array(
          z.object({
            endpointId: z.string(),
            probe: z.string(),
            data: z.unknown(),
          }),
        ),
      }),
    ),
    waivers: z.array(
      z.object({
        checkId: z.string(),
        endpointId: z.string(),
        name: z.string(),
        approvedBy: z.string().optional(),
        expires: z.string().optional(),
      }),
    ),
    attestations: z.array(
      z.object({
        checkId: z.string(),
        endpointId: z.string(),
        statement: z.string(),
        name: z.string(),
        date: z.string(),
        contradictedByRun: z.number().optional(),
      }),
    ),
    assessment: z.object({
      plantVerdict: z.enum(plantVerdicts),
      boundaries: z.array(
        z.object({
          id: z.string(),
          inScope: z.boolean(),
          verdict: z.enum(["pass", "warn", "incomplete", "fail"]).nullable(),
          checks: z.array(Check),
        }),
      ),
    }),
  });

export const evidenceV1: EvidenceAdapter = adapterOf(EVIDENCE_V1);
export const evidenceV2: EvidenceAdapter = adapterOf(EVIDENCE_V2);

/** One version's adapter: the shared fields read under that version's own `schema`. */
function adapterOf(schema: string): EvidenceAdapter {
  const version = shape(schema);
  return {
    schema,
    read: (json, label) => readVersion(version, schema, json, label),
  };
}

function readVersion(
  version: ReturnType<typeof shape>,
  schema: string,
  json: Record<string, unknown>,
  label: string,
): CertificateEvidence {
  const parsed = version.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(
      "invalid-input",
      `The evidence of ${label} says it is ${schema} but does not read as one (${issue === undefined ? "" : `${issue.path.join(".")}: ${issue.message}`}).`,
    );
  }
  const evidence = parsed.data;
  const checks = evidence.assessment.boundaries.flatMap((boundary) =>
    boundary.checks.map((check) => ({
      checkId: check.checkId,
      endpointId: check.endpointId,
      boundaryId: boundary.id,
      severity: check.severity,
      verdict: check.verdict,
      measured: check.runId !== null,
      waived: check.waived,
      attested: check.attested,
      summary: check.summary,
    })),
  );
  const expired = new Set(
    evidence.assessment.boundaries.flatMap((b) =>
      b.checks
        .filter((c) => c.waiverExpired)
        .map((c) => `${c.checkId} ${c.endpointId}`),
    ),
  );
  const issuedDay = evidence.certificate.issuedAt.slice(0, 10);
  const endpoints: RecordEndpoint[] = evidence.endpoints.map(recordEndpointOf);
  const { observations, unreadable } = observationsOf(evidence.runs);
  return {
    schema,
    number: evidence.certificate.number,
    issuedAt: evidence.certificate.issuedAt,
    plantVerdict: evidence.certificate.plantVerdict,
    practice: evidence.practice,
    rulesetVersion: evidence.rulesetVersion,
    toolVersion: evidence.tool.version,
    signer: evidence.signer,
    record: {
      side: {
        certificateNumber: evidence.certificate.number,
        issuedAt: evidence.certificate.issuedAt,
        plantName: evidence.plant.name,
        site: evidence.plant.site,
        plantVerdict: evidence.certificate.plantVerdict,
        practice: evidence.practice,
        evidenceSchema: schema,
        rulesetVersion: evidence.rulesetVersion,
        toolVersion: evidence.tool.version,
      },
      boundaries: evidence.assessment.boundaries.map((b) => ({
        id: b.id,
        inScope: b.inScope,
        verdict: b.verdict,
      })),
      endpoints,
      checks,
      waivers: evidence.waivers.map((w) => ({
        checkId: w.checkId,
        endpointId: w.endpointId,
        approvedBy: w.approvedBy ?? w.name,
        expires: w.expires ?? null,
        expired:
          expired.has(`${w.checkId} ${w.endpointId}`) ||
          (w.expires !== undefined && w.expires < issuedDay),
      })),
      observations,
      unreadable,
    },
    plan: {
      practice: evidence.practice,
      plant: evidence.plant,
      policy: evidence.policy,
      cells: evidence.cells,
      boundaries: evidence.boundaries,
      endpoints: evidence.endpoints,
      vantages: evidence.vantages,
      trustAnchors: evidence.trustAnchors,
      crls: null, // neither version carries the plan's CRLs
      identities: evidence.identities,
      credentials: evidence.credentials,
      attestations: evidence.attestations.map((a) => ({
        checkId: a.checkId,
        endpointId: a.endpointId,
        statement: a.statement,
        name: a.name,
        date: a.date,
        contradicted: a.contradictedByRun !== undefined,
      })),
      waivers: evidence.waivers.length,
    },
  };
}
