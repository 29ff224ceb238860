// The plan (DESIGN §1): one commissioning project in one `*.cellcert.json` file. This is its one schema;
// the store, the runner, the report and the UI all read plans through it.
import { z } from "zod";
import {
  boundaryIds,
  cellKinds,
  endpointKinds,
  measuredVerdicts,
  plantVerdicts,
  vantageIds,
} from "../plant-words";
import { endpointKindsOfBoundary, findCheck } from "../catalog/catalog";
import { attestationContradiction } from "../verdicts/recordable";
import { currentResult, latestResults } from "../verdicts/rollup";
import { endpointFieldUse } from "./endpoint-kinds";
import { isCidr, isHost, isIpLiteral, URL_PATH, URL_PATH_RULE } from "./net";

/** The schema version this build writes. Older files are migrated on open (see migrate.ts). */
export const PLAN_SCHEMA_VERSION = 3;

/** Plans above this size are refused before they are read. Evidence of a few hundred endpoints fits well inside. */
export const MAX_PLAN_BYTES = 64 * 1024 * 1024;

export { PLAN_FILE_SUFFIX } from "./plan-file-name";

const text = (max: number) => z.string().trim().max(max);
const requiredText = (max: number, what: string) =>
  z.string().trim().min(1, `${what} is required`).max(max);
const isoTime = z.iso.datetime({ offset: true });
const isoDate = z.iso.date();

/** Stable ids: lower-case letters, digits and inner hyphens, as in `mes-web-01`. */
export const Slug = z
  .string()
  .regex(
    /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/,
    "an id is lower-case letters, digits and inner hyphens, like mes-web-01",
  );

export const Port = z
  .number()
  .int("a port is a whole number")
  .min(1, "a port is 1 to 65535")
  .max(65535, "a port is 1 to 65535");

export const Host = z
  .string()
  .trim()
  .refine(
    isHost,
    "a host is a DNS name or an IP address (IPv6 without brackets)",
  );
export const IpAddress = z
  .string()
  .trim()
  .refine(isIpLiteral, "an IP address like 10.20.0.5 or fd00::5");
export const Cidr = z
  .string()
  .trim()
  .refine(isCidr, "a network in CIDR form, like 10.20.0.0/24");

/** How a password or passphrase is found, never the secret itself (DESIGN §1). */
export const SecretRef = z
  .string()
  .regex(
    /^(env:[A-Za-z_][A-Za-z0-9_]*|prompt|keychain:[A-Za-z0-9._-]{1,64})$/,
    'a secret reference is "env:VARIABLE", "prompt" or "keychain:<id>", never the secret itself',
  );
export type SecretRef = z.infer<typeof SecretRef>;

export const CellKind = z.enum(cellKinds);
export const BoundaryId = z.enum(boundaryIds);
export const VantageId = z.enum(vantageIds);
export const EndpointKind = z.enum(endpointKinds);
export type EndpointKind = z.infer<typeof EndpointKind>;
export const MeasuredVerdict = z.enum(measuredVerdicts);

export const PlantData = z.object({
  name: requiredText(200, "the plant's name"),
  site: text(200).default(""),
  customer: text(200).default(""),
  orderNumber: text(100).default(""),
  /** First and last day of the commissioning on site. */
  startDate: isoDate.optional(),
  endDate: isoDate.optional(),
  notes: text(4000).default(""),
});
export type PlantData = z.infer<typeof PlantData>;

export const Cell = z.object({
  id: Slug,
  kind: CellKind,
  name: requiredText(200, "the cell's name"),
  networks: z.array(Cidr).max(64).default([]),
  notes: text(4000).default(""),
});
export type Cell = z.infer<typeof Cell>;

export const Boundary = z.object({
  id: BoundaryId,
  from: Slug,
  to: Slug,
  inScope: z.boolean().default(true),
  /** Why a boundary is out of scope, printed on the certificate. */
  outOfScopeReason: text(2000).default(""),
  notes: text(4000).default(""),
});
export type Boundary = z.infer<typeof Boundary>;

export const Endpoint = z.object({
  id: Slug,
  name: requiredText(200, "the endpoint's name"),
  boundary: BoundaryId,
  /** The cell the endpoint lives in (segmentation and the VPN proof look at it). */
  cell: Slug,
  kind: EndpointKind,
  /** Empty only for `manual` endpoints (which kind has which field: endpoint-kinds.ts). */
  host: z.union([Host, z.literal("")]).default(""),
  /** Required for every kind but `manual` and `mssql` (1433, or the named instance's port). */
  port: Port.optional(),
  /** SNI and name check; the host when absent. */
  serverName: z.union([Host, z.literal("")]).default(""),
  /** Paths to request (https, mtls-https, http-plain). */
  paths: z
    .array(z.string().regex(URL_PATH, URL_PATH_RULE).max(2000))
    .max(64)
    .default(["/"]),
  /**
   * For `opcua`: the /PATH of opc.tcp://HOST:PORT/PATH; absent or "" when the server's URL has none. Optional
   * rather than defaulted, so plans written before it serialize byte for byte as they did.
   */
  opcuaPath: z
    .string()
    .regex(/^(\/[^\s]*)?$/, 'a path starts with "/" and has no spaces')
    .max(1000)
    .optional(),
  /** Ports that must be open (REMOTE.firewall.allowed) or closed (REMOTE.firewall.denied). */
  allowedPorts: z.array(Port).max(256).default([]),
  deniedPorts: z.array(Port).max(256).default([]),
  /** For `tcp`: what the port should be. */
  expect: z.enum(["open", "closed"]).default("open"),
  /** Trust anchors for this endpoint's chain; empty means all of the plan's anchors. */
  trustAnchorIds: z.array(Slug).default([]),
  /** Whether Node's bundled public roots may also anchor the chain. */
  publicRoots: z.boolean().default(false),
  clientIdentityId: Slug.optional(),
  credentialId: Slug.optional(),
  /** SQL Server named instance, found through SQL Browser when no port is given. */
  sqlInstance: text(128).optional(),
  /** The SQL login of the MES application, whose own sessions APP-DB.sql.app-sessions inspects. */
  appLogin: text(128).optional(),
  /** For `manual` endpoints: the guideline followed (e.g. the back-end vendor's document and section). */
  guideline: text(2000).default(""),
  /** A placeholder from the reference template, to be filled in before it is probed. */
  placeholder: z.boolean().default(false),
  notes: text(4000).default(""),
  // ---- schema v3 (issue 15: what is signed is what was measured) ----
  /**
   * Removed after it was probed: kept with its results in the runs and the evidence, left out of new runs and of
   * the roll-up (see shared/model/endpoint-removal.ts). Absent on endpoints that were never retired.
   */
  retired: z.boolean().optional(),
});
export type Endpoint = z.infer<typeof Endpoint>;

export const Vantage = z.object({
  id: VantageId,
  /** The cell the laptop is plugged into; its networks decide VANTAGE.address. */
  cell: Slug,
  /** The laptop's address to probe from (one network card per cell). */
  sourceAddress: IpAddress.optional(),
  /** The network interface to probe from, by name. */
  interface: text(64).optional(),
  notes: text(4000).default(""),
});
export type Vantage = z.infer<typeof Vantage>;

export const TrustAnchor = z.object({
  id: Slug,
  name: requiredText(200, "the trust anchor's name"),
  pem: z
    .string()
    .max(64 * 1024)
    .regex(
      /-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----/,
      "a trust anchor is one PEM certificate",
    ),
  subject: text(1000),
  fingerprintSha256: z
    .string()
    .regex(
      /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/,
      "a SHA-256 fingerprint as AA:BB:…",
    ),
});
export type TrustAnchor = z.infer<typeof TrustAnchor>;

// ---- schema 3, trust decisions (issue 14): CRLs as trust material --------------------------------------------
/**
 * A certificate revocation list imported beside the trust anchors (DESIGN §1 "trust material"), kept as PEM
 * (a DER file is converted on import). Used for every endpoint: a CRL only counts where its issuer is on a path
 * and its signature verifies.
 */
export const TrustCrl = z.object({
  id: Slug,
  name: requiredText(200, "the CRL's name"),
  pem: z
    .string()
    .max(4 * 1024 * 1024)
    .regex(
      /-----BEGIN X509 CRL-----[\s\S]+-----END X509 CRL-----/,
      "a CRL is one PEM block (-----BEGIN X509 CRL-----)",
    ),
  issuer: text(1000),
  thisUpdate: isoTime,
  nextUpdate: isoTime.nullable(),
  /** Revoked certificates it lists. */
  entries: z.number().int().nonnegative(),
});
export type TrustCrl = z.infer<typeof TrustCrl>;
// ---- end of schema 3, trust decisions ----------------------------------------------------------------------------

/** A PKCS#12 file (client identity for mTLS, or the engineer's signing identity), with its passphrase's reference. */
export const Identity = z.object({
  id: Slug,
  role: z.enum(["client", "engineer"]),
  name: requiredText(200, "the identity's name"),
  /**
   * The PKCS#12 file, relative to the plan's folder and inside it (Cellcert keeps identities in identities/
   * beside the plan); never an absolute path or one that climbs out, so a plan cannot point at other files.
   */
  file: z
    .string()
    .max(255)
    .regex(
      /^(?!.*(^|\/)\.\.?(\/|$))[A-Za-z0-9._ -]+(\/[A-Za-z0-9._ -]+)*\.(p12|pfx)$/,
      "an identity file is a .p12 or .pfx inside the plan's folder, like identities/engineer.p12",
    ),
  passphrase: SecretRef,
  subject: text(1000).default(""),
  fingerprintSha256: z.string().default(""),
  notAfter: isoTime.optional(),
});
export type Identity = z.infer<typeof Identity>;

export const SqlCredential = z.object({
  id: Slug,
  name: requiredText(200, "the credential's name"),
  user: requiredText(128, "the SQL login"),
  password: SecretRef,
});
export type SqlCredential = z.infer<typeof SqlCredential>;

// ---- schema 3, the signature for years (issue 19): the plant's time-stamping authority ----------------------
/**
 * Why a URL cannot name a time-stamping authority, or null: RFC 3161 over plain HTTP (§3.4) to a host the plan
 * names; no https (the token is signed and checked on its own, docs/cli-json.md says why), no user name or
 * password in it (secrets never go into a plan).
 */
export function timeStampAuthorityUrlProblem(text: string): string | null {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return "not a URL, like http://tsa.plant.local/tsr";
  if (scheme === "https")
    return "Cellcert asks a TSA over plain http:// only: the time-stamp is signed and checked on its own, so TLS adds nothing to trust in it";
  if (scheme !== "http") return `an http:// URL, not ${scheme}:`;
  const rest = text.slice("http://".length);
  const authority = /^[^/?#]*/.exec(rest)?.[0] ?? "";
  if (authority.includes("@"))
    return "a user name or password does not belong in the URL";
  if (rest.includes("#")) return "a #fragment does not belong in the URL";
  if (/\s/.test(rest)) return "a URL has no spaces";
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(authority);
  const host = match?.[1] ?? match?.[2] ?? "";
  if (match === null || !isHost(host))
    return `"${authority}" is not a host name or address, with a port if any`;
  const port = match[3] === undefined ? 80 : Number(match[3]);
  if (port < 1 || port > 65535) return `port ${port} is not 1 to 65535`;
  return null;
}

/** The plant's RFC 3161 time-stamping authority: when set, every certificate is signed with its time-stamp. */
export const TimeStampAuthorityUrl = z
  .string()
  .trim()
  .max(2000)
  .superRefine((text, context) => {
    const problem = timeStampAuthorityUrlProblem(text);
    if (problem !== null)
      context.addIssue({ code: "custom", message: problem });
  });
// ---- end of schema 3, the signature for years ----------------------------------------------------------------

/** The plan's policy may only make DESIGN §3's thresholds stricter, never looser. */
export const Policy = z.object({
  /** Warn when a certificate expires within this many days (at least the default 30). */
  headroomDays: z
    .number()
    .int()
    .min(30, "headroom may only be made stricter than 30 days")
    .max(3650)
    .default(30),
  /** Next audit date on the certificate: this many months after sign-off. */
  reauditMonths: z.number().int().min(1).max(120).default(12),
  /** Where plain HTTP is tried next to each HTTPS endpoint. */
  plainHttpPort: Port.default(80),
  /** Other hosts an HTTPS redirect may lead to; none by default. */
  allowedRedirectHosts: z.array(Host).max(64).default([]),
  /** Lowest protocol version accepted: TLS 1.2 (DESIGN §3) or, stricter, TLS 1.3. */
  minimumTlsVersion: z.enum(["TLSv1.2", "TLSv1.3"]).default("TLSv1.2"),
  /** Probing limits (DESIGN §5): may only be lowered. */
  maxConnectionsPerHost: z.number().int().min(1).max(2).default(2),
  maxConnections: z.number().int().min(1).max(16).default(16),
  /** Per connection attempt. */
  timeoutMs: z.number().int().min(500).max(30_000).default(5000),
  /** Schema 3 (trust decisions): a chain without revocation information (CRL or OCSP staple) fails cert.chain. */
  requireRevocation: z.boolean().default(false),
  /** Schema 3 (the signature for years): the TSA that time-stamps every certificate (PAdES B-T); none when absent. */
  timestampAuthority: TimeStampAuthorityUrl.optional(),
});
export type Policy = z.infer<typeof Policy>;

export const Evidence = z.object({
  id: Slug,
  endpointId: Slug,
  /** Which probe recorded it: tls, mtls, https, http, tcp, firewall, mssql, opcua, vantage. */
  probe: z.string().regex(/^[a-z][a-z0-9-]{0,31}$/),
  /** host:port (IPv6 in brackets) as probed. */
  target: text(300),
  startedAt: isoTime,
  durationMs: z.number().nonnegative(),
  /** The raw observations, immutable once recorded; each probe documents its own shape. */
  data: z.json(),
});
export type Evidence = z.infer<typeof Evidence>;

export const CheckResult = z.object({
  checkId: z
    .string()
    .regex(/^[A-Z-]+\.[a-z0-9.-]+$/, "a check id from the rule catalog"),
  endpointId: Slug,
  runId: Slug,
  verdict: MeasuredVerdict,
  /** What was measured, against which threshold, with how much room: for people, as the report prints them. */
  measured: text(2000).default(""),
  threshold: text(2000).default(""),
  headroom: text(500).default(""),
  /** The sentence to act on. */
  message: requiredText(4000, "a result's message"),
  /** Why not tested: unreachable, no credentials, no permission, prerequisite failed, … */
  reason: text(500).default(""),
  evidenceIds: z.array(Slug).default([]),
  finishedAt: isoTime,
  // ---- schema v3 (issue 15) ----
  /**
   * What the result measured: SHA-256 of the endpoint's probe-relevant fields and of its trust material and client
   * identity by content (shared/model/endpoint-fingerprint.ts). When the endpoint no longer gives the same
   * fingerprint, the result is out of date (DESIGN §1).
   */
  endpointFingerprint: z
    .string()
    .regex(/^[0-9a-f]{64}$/, "an endpoint fingerprint is 64 hex digits"),
});
export type CheckResult = z.infer<typeof CheckResult>;

export const LaptopAddress = z.object({
  interface: text(64),
  address: IpAddress,
  /** The interface's own network, as the OS reports it. */
  cidr: z.union([Cidr, z.literal("")]).default(""),
});

// ---- schema v3 (issue 18) ----
export const RunInstrument = z.object({
  /** The git commit Cellcert was built from (7 hex digits), or "unknown". */
  build: text(40),
  /** process.version, e.g. "v20.20.2". */
  node: text(40),
  /** The OpenSSL that Node's TLS is built on, e.g. "3.0.15+quic". */
  openssl: text(60),
  /** Electron's version when the desktop app probed. */
  electron: text(40).optional(),
  /** The operating system, e.g. "Debian 12" or "Windows 11 Pro (10.0.22631)". */
  os: text(200),
});
export type RunInstrument = z.infer<typeof RunInstrument>;
// ---- end of schema v3, issue 18 ----

export const Run = z.object({
  id: Slug,
  /** 1, 2, 3…: the order runs were made in, which decides the latest result. */
  sequence: z.number().int().positive(),
  vantage: VantageId,
  /** The whole vantage, or one check on one endpoint (a re-run). */
  scope: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("vantage") }),
    z.object({
      kind: z.literal("check"),
      checkId: z.string(),
      endpointId: Slug,
    }),
  ]),
  startedAt: isoTime,
  finishedAt: isoTime.optional(),
  status: z.enum(["running", "completed", "stopped", "failed"]),
  laptop: z.object({
    hostName: text(253),
    addresses: z.array(LaptopAddress).max(256),
    /** The laptop clock minus the servers' (HTTP Date headers, OPC UA response timestamps): the median of the run. */
    clockSkewMs: z.number().optional(),
  }),
  /** VANTAGE.address: warn when none of the laptop's addresses lies in the vantage cell's networks. */
  vantageAddress: z.object({
    verdict: z.enum(["pass", "warn"]),
    message: requiredText(2000, "the vantage check's message"),
  }),
  toolVersion: requiredText(50, "the tool version"),
  rulesetVersion: requiredText(50, "the ruleset version"),
  results: z.array(CheckResult),
  evidence: z.array(Evidence),
  // ---- schema v3 (issue 18: the instrument that probed, recorded when the run starts) ----
  /** Cellcert's build and the runtime it probed with: they decide what a probe could send. Absent in older runs. */
  instrument: RunInstrument.optional(),
  /** The source address the probes bound (the vantage's own, or its interface's); absent when the system chose. */
  sourceAddress: IpAddress.optional(),
  // ---- end of schema v3, issue 18 ----
});
export type Run = z.infer<typeof Run>;

const Signature = {
  name: requiredText(200, "a name"),
  date: isoDate,
  notes: text(4000).default(""),
};

export const Waiver = z.object({
  checkId: z.string(),
  endpointId: Slug,
  justification: requiredText(4000, "a waiver's justification"),
  ...Signature,
  // ---- schema v3 (issue 15) ----
  /** Who accepted the risk on the plant's side (DESIGN §10: "the waivers with who approved them and until when"). */
  approvedBy: requiredText(200, "who approved the waiver"),
  /** The last day the waiver waives; after it the check counts as measured again. None: no end. */
  expires: isoDate.optional(),
});
export type Waiver = z.infer<typeof Waiver>;

export const Attestation = z.object({
  checkId: z.string(),
  endpointId: Slug,
  statement: requiredText(4000, "an attestation's statement"),
  ...Signature,
  // ---- schema v3 (issue 15) ----
  /**
   * The run whose measurement failed after this attestation was made: the attestation is kept, and no longer
   * counts. Set by the engine when it records that failure; an attestation without it may not stand next to a
   * current measured failure (shared/verdicts/recordable.ts).
   */
  contradictedByRun: z.number().int().positive().optional(),
});
export type Attestation = z.infer<typeof Attestation>;

export const SignOff = z.object({
  engineer: text(200).default(""),
  company: text(200).default(""),
  /** SHA-256 fingerprint of the engineer identity that signs. */
  identityFingerprint: text(200).default(""),
  witnessName: text(200).default(""),
});
export type SignOff = z.infer<typeof SignOff>;

/** What names one signed certificate: its number, when, its verdict, and the SHA-256 of its PDF and evidence JSON. */
const CertificateFacts = z.object({
  /** `<PLANT>-<YYYYMMDD>-<n>` */
  number: requiredText(200, "the certificate number"),
  issuedAt: isoTime,
  plantVerdict: z.enum(plantVerdicts),
  /** SHA-256 of the signed PDF and of its embedded evidence JSON, hex. */
  pdfSha256: z.string().regex(/^[0-9a-f]{64}$/),
  evidenceSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

/** A signed commissioning certificate issued from this plan (DESIGN §10), newest last. */
export const IssuedCertificate = CertificateFacts.extend({
  signerFingerprint: text(200),
  // ---- schema v3 (issue 15) ----
  /**
   * The copy of the signer's CA certificate (PEM) kept beside the plan, relative to its folder
   * (`certificates/<number>-signer-ca.pem`), so the certificate verifies after the engineer's identity is renewed.
   */
  signerCaFile: z
    .string()
    .regex(
      /^certificates\/[A-Za-z0-9._-]+\.pem$/,
      "a signer CA file is a .pem in the plan's certificates/ folder",
    )
    .optional(),
  /** The signed PDF as kept in the plan's certificates/ folder, relative to the plan's folder. */
  pdfFile: z
    .string()
    .regex(
      /^certificates\/[A-Za-z0-9._-]+\.pdf$/,
      "a certificate file is a .pdf in the plan's certificates/ folder",
    )
    .optional(),
});
export type IssuedCertificate = z.infer<typeof IssuedCertificate>;

// ---- schema 3, re-audit (issue 20): a plan started from an earlier certificate -------------------------------
/**
 * An identity the earlier certificate's plan used, known there by name and certificate only (a certificate never
 * carries an identity's file or passphrase): to be imported again. The endpoints that used it carry no
 * clientIdentityId until it is (the plan stays valid meanwhile); importing a file "for" this entry links them again.
 */
export const IdentityToImport = z.object({
  /** The id it had in the earlier plan. */
  id: Slug,
  role: z.enum(["client", "engineer"]),
  name: requiredText(200, "the identity's name"),
  subject: text(1000).default(""),
  fingerprintSha256: text(200).default(""),
  notAfter: isoTime.optional(),
  /** The endpoints that used it as their client identity. */
  endpointIds: z.array(Slug).max(2000).default([]),
});
export type IdentityToImport = z.infer<typeof IdentityToImport>;

/**
 * A check the earlier certificate shows attested: each audit attests anew, so it is listed here, never carried
 * over. What the earlier attestation said, by whom and when, is kept for reference only.
 */
export const AttestationToRenew = z.object({
  checkId: z.string(),
  endpointId: Slug,
  previous: z.object({
    statement: text(4000),
    name: text(200),
    date: isoDate,
  }),
});
export type AttestationToRenew = z.infer<typeof AttestationToRenew>;

/** The certificate a re-audit plan was made from (`cellcert new --from`, "Re-audit from a certificate"). */
export const PreviousCertificate = CertificateFacts.extend({
  /** The evidence's `schema` (`cellcert.evidence/1`) and the ruleset it was judged by. */
  evidenceSchema: requiredText(100, "the evidence schema"),
  rulesetVersion: text(50),
  signer: z.object({ subject: text(1000), fingerprintSha256: text(200) }),
  /**
   * How the certificate verified when the plan was made: `valid` (its signer chains to a CA given then) or
   * `signer-not-checked` (intact, but no CA was given, so who signed it was not judged).
   */
  verified: z.enum(["valid", "signer-not-checked"]),
  /** Copies kept in the plan's certificates/ folder, relative to its folder: the PDF and its evidence JSON. */
  pdfFile: z
    .string()
    .regex(
      /^certificates\/[A-Za-z0-9._-]+\.pdf$/,
      "a certificate file is a .pdf in the plan's certificates/ folder",
    )
    .optional(),
  evidenceFile: z
    .string()
    .regex(
      /^certificates\/[A-Za-z0-9._-]+\.json$/,
      "an evidence file is a .json in the plan's certificates/ folder",
    )
    .optional(),
  identitiesToImport: z.array(IdentityToImport).max(64).default([]),
  attestationsToRenew: z.array(AttestationToRenew).max(2000).default([]),
  /** What was left out or could not be carried over, as sentences (retired endpoints, waivers, CRLs…). */
  notes: z.array(text(2000)).max(500).default([]),
});
export type PreviousCertificate = z.infer<typeof PreviousCertificate>;
// ---- end of schema 3, re-audit -----------------------------------------------------------------------------------

const PlanShape = z.object({
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  /** A practice plan (DESIGN §9): everything it produces says PRACTICE. */
  practice: z.boolean().default(false),
  plant: PlantData,
  cells: z.array(Cell).max(64),
  boundaries: z.array(Boundary).max(boundaryIds.length),
  endpoints: z.array(Endpoint).max(2000),
  vantages: z.array(Vantage).max(vantageIds.length),
  trustAnchors: z.array(TrustAnchor).max(64).default([]),
  /** Schema 3 (trust decisions): the CRLs of the trust material. */
  crls: z.array(TrustCrl).max(64).default([]),
  identities: z.array(Identity).max(64).default([]),
  credentials: z.array(SqlCredential).max(64).default([]),
  policy: Policy.default(Policy.parse({})),
  runs: z.array(Run).default([]),
  waivers: z.array(Waiver).default([]),
  attestations: z.array(Attestation).default([]),
  signOff: SignOff.default(SignOff.parse({})),
  certificates: z.array(IssuedCertificate).default([]),
  /** Where the wizard stands, so a reload or a reopen continues there. */
  wizard: z.object({ position: text(100) }).default({ position: "" }),
  // ---- schema 3, re-audit (issue 20) ----
  /** The earlier certificate this plan was started from; absent on plans started any other way. */
  previousCertificate: PreviousCertificate.optional(),
});

/** The plan, with its references checked: unique ids, nothing dangling, options that fit the endpoint's kind. */
export const Plan = PlanShape.superRefine((plan, context) => {
  const issue = (path: (string | number)[], message: string): void => {
    context.addIssue({ code: "custom", path, message });
  };
  const unique = <T>(
    items: readonly T[],
    key: (item: T) => string,
    field: string,
    what: string,
  ): Set<string> => {
    const seen = new Set<string>();
    items.forEach((item, index) => {
      const id = key(item);
      if (seen.has(id))
        issue([field, index, "id"], `duplicate ${what} id "${id}"`);
      seen.add(id);
    });
    return seen;
  };
  const cells = unique(plan.cells, (c) => c.id, "cells", "cell");
  unique(plan.boundaries, (b) => b.id, "boundaries", "boundary");
  const endpoints = unique(
    plan.endpoints,
    (e) => e.id,
    "endpoints",
    "endpoint",
  );
  unique(plan.vantages, (v) => v.id, "vantages", "vantage");
  const anchors = unique(
    plan.trustAnchors,
    (a) => a.id,
    "trustAnchors",
    "trust anchor",
  );
  const identities = new Map(plan.identities.map((i) => [i.id, i]));
  unique(plan.identities, (i) => i.id, "identities", "identity");
  const credentials = unique(
    plan.credentials,
    (c) => c.id,
    "credentials",
    "credential",
  );
  unique(plan.runs, (r) => r.id, "runs", "run");

  plan.boundaries.forEach((boundary, index) => {
    for (const side of ["from", "to"] as const) {
      if (!cells.has(boundary[side]))
        issue(["boundaries", index, side], `no cell "${boundary[side]}"`);
    }
  });
  plan.vantages.forEach((vantage, index) => {
    if (!cells.has(vantage.cell))
      issue(["vantages", index, "cell"], `no cell "${vantage.cell}"`);
  });
  plan.endpoints.forEach((endpoint, index) => {
    const at = (field: string): (string | number)[] => [
      "endpoints",
      index,
      field,
    ];
    if (!cells.has(endpoint.cell))
      issue(at("cell"), `no cell "${endpoint.cell}"`);
    const judged = endpointKindsOfBoundary(endpoint.boundary);
    if (!judged.includes(endpoint.kind)) {
      issue(
        at("kind"),
        `no check of ${endpoint.boundary} applies to a ${endpoint.kind} endpoint, so it would go unjudged; choose ${judged.join(", ")}`,
      );
    }
    // Which fields a kind must fill in: ENDPOINT_KIND_FIELDS, as the editor shows them.
    const required = (field: "host" | "port"): boolean =>
      endpointFieldUse(endpoint.kind, field) === "required";
    if (required("host") && endpoint.host === "")
      issue(at("host"), `a ${endpoint.kind} endpoint needs a host`);
    if (required("port") && endpoint.port === undefined)
      issue(at("port"), `a ${endpoint.kind} endpoint needs a port`);
    endpoint.trustAnchorIds.forEach((id, i) => {
      if (!anchors.has(id))
        issue(
          ["endpoints", index, "trustAnchorIds", i],
          `no trust anchor "${id}"`,
        );
    });
    if (endpoint.clientIdentityId !== undefined) {
      const identity = identities.get(endpoint.clientIdentityId);
      if (identity === undefined)
        issue(
          at("clientIdentityId"),
          `no identity "${endpoint.clientIdentityId}"`,
        );
      else if (identity.role !== "client")
        issue(
          at("clientIdentityId"),
          `identity "${identity.id}" is not a client identity`,
        );
    }
    if (
      endpoint.credentialId !== undefined &&
      !credentials.has(endpoint.credentialId)
    ) {
      issue(at("credentialId"), `no credential "${endpoint.credentialId}"`);
    }
    const overlap = endpoint.allowedPorts.filter((port) =>
      endpoint.deniedPorts.includes(port),
    );
    if (overlap.length > 0)
      issue(
        at("deniedPorts"),
        `port ${overlap.join(", ")} is both allowed and denied`,
      );
  });
  plan.runs.forEach((run, runIndex) => {
    const evidence = new Set(run.evidence.map((e) => e.id));
    run.results.forEach((result, resultIndex) => {
      const at = ["runs", runIndex, "results", resultIndex];
      if (result.runId !== run.id)
        issue(
          [...at, "runId"],
          `a result of run "${run.id}" names run "${result.runId}"`,
        );
      if (!endpoints.has(result.endpointId))
        issue(
          [...at, "endpointId"],
          `no endpoint "${result.endpointId}": an endpoint that was probed is retired, never removed`,
        );
      if (findCheck(result.checkId) === undefined)
        issue(
          [...at, "checkId"],
          `no check "${result.checkId}" in the rule catalog`,
        );
      result.evidenceIds.forEach((id, i) => {
        if (!evidence.has(id))
          issue(
            [...at, "evidenceIds", i],
            `no evidence "${id}" in run "${run.id}"`,
          );
      });
    });
  });
  // An attestation never stands next to a measured failure (DESIGN §4): one rule, shared with the UI and the
  // engine's handlers. Retired endpoints are skipped: nothing about them is judged any more.
  const latest = latestResults(plan.runs);
  plan.attestations.forEach((attestation, index) => {
    const check = findCheck(attestation.checkId);
    const endpoint = plan.endpoints.find(
      (e) => e.id === attestation.endpointId,
    );
    if (
      check === undefined ||
      endpoint === undefined ||
      endpoint.retired === true ||
      check.satisfiedBy === "probe" ||
      attestation.contradictedByRun !== undefined
    )
      return;
    const refusal = attestationContradiction(
      check,
      currentResult(plan, check.id, endpoint.id, latest),
    );
    if (refusal !== null) issue(["attestations", index], refusal);
  });
  for (const field of ["waivers", "attestations"] as const) {
    const seen = new Set<string>();
    plan[field].forEach((entry, index) => {
      if (!endpoints.has(entry.endpointId))
        issue(
          [field, index, "endpointId"],
          `no endpoint "${entry.endpointId}"`,
        );
      const check = findCheck(entry.checkId);
      if (check === undefined)
        issue(
          [field, index, "checkId"],
          `no check "${entry.checkId}" in the rule catalog`,
        );
      else if (field === "attestations" && check.satisfiedBy === "probe")
        issue(
          [field, index, "checkId"],
          attestationContradiction(check, null) ?? "",
        );
      const key = `${entry.checkId} ${entry.endpointId}`;
      if (seen.has(key))
        issue(
          [field, index],
          `a second entry for ${entry.checkId} on "${entry.endpointId}"`,
        );
      seen.add(key);
    });
  }
});
export type Plan = z.infer<typeof Plan>;
/** What a plan file may omit: every field with a default. */
export type PlanInput = z.input<typeof Plan>;
