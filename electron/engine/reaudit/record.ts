// One audit as the comparison reads it, whatever it came from: a certificate's signed evidence (read by its
// schema version, evidence-adapters.ts) or the plan being re-audited (plan-record.ts). What each probe observed
// is read here from the runs, by the probe evidence's own schema version; evidence of a version this build does
// not know is listed as unreadable, never guessed at.
import { capitalized } from "../../../shared/wording";
import { createHash } from "node:crypto";
import { z } from "zod";
import type { AuditSide } from "../../../shared/reaudit/changes";
import type {
  BoundaryId,
  BoundaryVerdict,
  CheckVerdict,
  EndpointKind,
  Severity,
} from "../../../shared/plant-words";
import { x509Of } from "../x509";

export interface RecordEndpoint {
  id: string;
  name: string;
  boundary: BoundaryId;
  kind: EndpointKind;
  host: string;
  port: number | null;
  serverName: string;
  paths: string[];
  allowedPorts: number[];
  deniedPorts: number[];
  retired: boolean;
}

/** An endpoint as a comparison reads it, from a plan's endpoint or a certificate's evidence alike. */
export function recordEndpointOf(
  endpoint: Omit<RecordEndpoint, "port" | "retired"> & {
    port?: number | null;
    retired?: boolean;
  },
): RecordEndpoint {
  return {
    id: endpoint.id,
    name: endpoint.name,
    boundary: endpoint.boundary,
    kind: endpoint.kind,
    host: endpoint.host,
    port: endpoint.port ?? null,
    serverName: endpoint.serverName,
    paths: endpoint.paths,
    allowedPorts: endpoint.allowedPorts,
    deniedPorts: endpoint.deniedPorts,
    retired: endpoint.retired === true,
  };
}

export interface RecordCheck {
  checkId: string;
  endpointId: string;
  boundaryId: string;
  severity: Severity;
  verdict: CheckVerdict;
  /** A result was recorded for it (false: never measured, whatever the verdict). */
  measured: boolean;
  waived: boolean;
  attested: boolean;
  summary: string;
}

export interface RecordWaiver {
  checkId: string;
  endpointId: string;
  approvedBy: string;
  expires: string | null;
  /** Past its last day when the audit was judged: it waived nothing. */
  expired: boolean;
}

export interface CertificateSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
  /** SHA-256 of the public key (SubjectPublicKeyInfo, DER); null when the PEM cannot be read. */
  keySha256: string | null;
}

export type PortState = "open" | "closed" | "unknown";

/** What the probes observed of one endpoint, from its latest evidence of each kind. */
export interface EndpointObservations {
  /** The server's own certificate (the first it sent), and from which probe. */
  certificate: { via: string; leaf: CertificateSummary } | null;
  /** Per TLS protocol tried: accepted (true), refused (false), could not tell (null). Null: no TLS evidence. */
  protocols: Map<string, boolean | null> | null;
  /** Per accepted protocol, the suites accepted, and whether the enumeration was complete. */
  suites: Map<string, { suites: Set<string>; complete: boolean }> | null;
  /** The security policies and modes an OPC UA server offers ("Basic256Sha256 sign-and-encrypt"). */
  opcuaOffers: Set<string> | null;
  /** Per vantage and port, as the laptop saw it from there. */
  ports: Map<string, { vantage: string; port: number; state: PortState }>;
}

export interface AuditRecord {
  side: AuditSide;
  boundaries: {
    id: string;
    inScope: boolean;
    verdict: BoundaryVerdict | null;
  }[];
  endpoints: RecordEndpoint[];
  checks: RecordCheck[];
  waivers: RecordWaiver[];
  observations: Map<string, EndpointObservations>;
  /** What could not be read, as sentences (evidence of a version this build does not know…). */
  unreadable: string[];
}

// ---- what the probes observed ---------------------------------------------------------------------------------

const Certificate = z.object({
  pem: z.string(),
  subject: z.string(),
  issuer: z.string(),
  serialNumber: z.string(),
  notBefore: z.string(),
  notAfter: z.string(),
  fingerprintSha256: z.string(),
});
type Certificate = z.infer<typeof Certificate>;

/** Only what the comparison reads of each probe's evidence, per its schema version (docs/evidence.md). */
const TlsV1 = z.object({
  chain: z.array(Certificate),
  protocols: z.array(
    z.object({
      protocol: z.string(),
      tried: z.boolean(),
      accepted: z.boolean().nullable(),
      suites: z.array(z.object({ name: z.string() })),
      suitesComplete: z.boolean(),
    }),
  ),
});
const TdsTls = z.object({ chain: z.array(Certificate) }).nullable();
const MssqlV1 = z.object({
  prelogin: z.object({ tls: TdsTls }).nullable(),
  tds8: z.object({ tls: TdsTls }).nullable(),
});
const OpcuaV1 = z.object({
  getEndpoints: z
    .object({
      endpoints: z.array(
        z.object({
          securityMode: z.string(),
          securityPolicyUri: z.string(),
          serverCertificateChain: z.array(Certificate),
        }),
      ),
    })
    .nullable(),
});
const TcpV1 = z.object({
  ports: z.array(z.object({ port: z.number().int(), state: z.string() })),
});

/** The evidence schemas read per probe; a probe not listed here is not read (its verdicts say what it found). */
const READ_SCHEMAS: Readonly<Record<string, readonly string[]>> = {
  // /2 changed only the failure records (docs/evidence.md, "Earlier versions"), none of the fields read here.
  tls: ["cellcert.tls-evidence/1", "cellcert.tls-evidence/2"],
  mssql: ["cellcert.mssql-evidence/1", "cellcert.mssql-evidence/2"],
  opcua: ["cellcert.opcua-evidence/1", "cellcert.opcua-evidence/2"],
  tcp: ["cellcert.tcp-evidence/1"],
};

/** The fields of a run the observations come from (a plan's Run, or a run of the evidence). */
export interface ObservedRun {
  sequence: number;
  vantage: string;
  evidence: readonly { endpointId: string; probe: string; data: unknown }[];
}

/**
 * Each endpoint's observations from the runs: for each probe, its latest run's evidence (by run sequence). Evidence
 * of an unknown version, or that does not read as its version says, is listed in `unreadable`.
 */
export function observationsOf(runs: readonly ObservedRun[]): {
  observations: Map<string, EndpointObservations>;
  unreadable: string[];
} {
  const observations = new Map<string, EndpointObservations>();
  const unreadable: string[] = [];
  const of = (endpointId: string): EndpointObservations => {
    let found = observations.get(endpointId);
    if (found === undefined) {
      found = {
        certificate: null,
        protocols: null,
        suites: null,
        opcuaOffers: null,
        ports: new Map(),
      };
      observations.set(endpointId, found);
    }
    return found;
  };
  const ordered = [...runs].sort((a, b) => a.sequence - b.sequence);
  for (const run of ordered) {
    for (const entry of run.evidence) {
      const wanted = READ_SCHEMAS[entry.probe];
      if (wanted === undefined) continue;
      const schema = schemaOf(entry.data);
      const where = `the ${entry.probe} evidence of ${entry.endpointId} in run ${run.sequence}`;
      if (schema === null || !wanted.includes(schema)) {
        unreadable.push(
          `${capitalized(where)} is ${schema === null ? "of no named version" : schema}, which this Cellcert does not read: what it observed is not compared.`,
        );
        continue;
      }
      // A probe Stop interrupted observed nothing to compare: it does not replace what an earlier run saw.
      if (stoppedProbe(entry.data)) continue;
      const observed = of(entry.endpointId);
      if (!readEntry(entry.probe, entry.data, run.vantage, observed))
        unreadable.push(
          `${capitalized(where)} does not read as ${schema}: what it observed is not compared.`,
        );
    }
  }
  return { observations, unreadable };
}

function readEntry(
  probe: string,
  data: unknown,
  vantage: string,
  observed: EndpointObservations,
): boolean {
  switch (probe) {
    case "tls": {
      const tls = TlsV1.safeParse(data);
      if (!tls.success) return false;
      const leaf = tls.data.chain[0];
      if (leaf !== undefined)
        observed.certificate = { via: "tls", leaf: summarize(leaf) };
      observed.protocols = new Map(
        tls.data.protocols
          .filter((p) => p.tried)
          .map((p) => [p.protocol, p.accepted]),
      );
      observed.suites = new Map(
        tls.data.protocols
          .filter((p) => p.accepted === true)
          .map((p) => [
            p.protocol,
            {
              suites: new Set(p.suites.map((s) => s.name)),
              complete: p.suitesComplete,
            },
          ]),
      );
      return true;
    }
    case "mssql": {
      const mssql = MssqlV1.safeParse(data);
      if (!mssql.success) return false;
      const leaf =
        mssql.data.prelogin?.tls?.chain[0] ?? mssql.data.tds8?.tls?.chain[0];
      if (leaf !== undefined)
        observed.certificate = { via: "mssql", leaf: summarize(leaf) };
      return true;
    }
    case "opcua": {
      const opcua = OpcuaV1.safeParse(data);
      if (!opcua.success) return false;
      const endpoints = opcua.data.getEndpoints?.endpoints;
      if (endpoints === undefined) return true;
      const leaf = endpoints.find((e) => e.serverCertificateChain.length > 0)
        ?.serverCertificateChain[0];
      if (leaf !== undefined && observed.certificate?.via !== "tls")
        observed.certificate = { via: "opcua", leaf: summarize(leaf) };
      observed.opcuaOffers = new Set(
        endpoints.map(
          (e) => `${policyName(e.securityPolicyUri)} ${e.securityMode}`,
        ),
      );
      return true;
    }
    case "tcp": {
      const tcp = TcpV1.safeParse(data);
      if (!tcp.success) return false;
      for (const { port, state } of tcp.data.ports)
        observed.ports.set(`${vantage} ${port}`, {
          vantage,
          port,
          state: portState(state),
        });
      return true;
    }
    default:
      return true;
  }
}

/** DESIGN §2: refused, filtered or reset is closed (the measurement where closed is wanted); the rest unknown. */
function portState(state: string): PortState {
  if (state === "open") return "open";
  if (state === "refused" || state === "filtered" || state === "reset")
    return "closed";
  return "unknown";
}

/** "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256" → "Basic256Sha256" */
function policyName(uri: string): string {
  const hash = uri.lastIndexOf("#");
  return hash >= 0 ? uri.slice(hash + 1) : uri;
}

function summarize(certificate: Certificate): CertificateSummary {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    serialNumber: certificate.serialNumber,
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    fingerprintSha256: certificate.fingerprintSha256,
    keySha256: publicKeySha256(certificate.pem),
  };
}

/** SHA-256 of the certificate's SubjectPublicKeyInfo, hex; null when the PEM cannot be read. */
export function publicKeySha256(pem: string): string | null {
  try {
    const der = x509Of(pem).publicKey.export({ type: "spki", format: "der" });
    return createHash("sha256").update(der).digest("hex");
  } catch {
    return null;
  }
}

function schemaOf(data: unknown): string | null {
  return typeof data === "object" &&
    data !== null &&
    "schema" in data &&
    typeof data.schema === "string"
    ? data.schema
    : null;
}

/** Evidence whose failure record says Stop interrupted its probe (docs/evidence.md, "One failure record, and Stop"). */
function stoppedProbe(data: unknown): boolean {
  if (data === null || typeof data !== "object" || !("unreachable" in data))
    return false;
  const unreachable = data.unreachable;
  return (
    unreachable !== null &&
    typeof unreachable === "object" &&
    "kind" in unreachable &&
    unreachable.kind === "stopped"
  );
}
