// The rule catalog, ruleset cells-2021 (DESIGN §4), as data: the one source of truth for the UI, the runner
// and the report. Every check has a stable id, its boundary and vantage, severity, how it is satisfied, which
// endpoint kinds it applies to, the guide's requirement and the IEC 62443-3-3 system requirements it serves.
import { RULESET_VERSION } from "../product";
import {
  endpointKinds,
  type BoundaryId,
  type EndpointKind,
  type Satisfaction,
  type Severity,
  type VantageId,
} from "../plant-words";

export { RULESET_VERSION };

export const GUIDE_TITLE = "Secure Communication between Security Cells";

export interface GuideReference {
  /** The guide's section the requirement comes from. */
  section: string;
  /** The guide's words. */
  quote: string;
}

/** IEC 62443-3-3 system requirements the catalog cites. */
export const SYSTEM_REQUIREMENTS = {
  "1.2": "SR 1.2 Software process and device identification and authentication",
  "3.1": "SR 3.1 Communication integrity",
  "4.1": "SR 4.1 Information confidentiality",
  "5.1": "SR 5.1 Network segmentation",
  "5.2": "SR 5.2 Zone boundary protection",
} as const;
export type SystemRequirement = keyof typeof SYSTEM_REQUIREMENTS;

export interface BoundaryDefinition {
  id: BoundaryId;
  title: string;
  /** What protection the boundary requires, in one line. */
  protection: string;
  /** Where the laptop stands to probe it. */
  vantages: readonly VantageId[];
  guide: GuideReference;
}

export interface CheckDefinition {
  id: string;
  boundary: BoundaryId;
  title: string;
  vantage: VantageId;
  severity: Severity;
  satisfiedBy: Satisfaction;
  /** Endpoint kinds this check is made on. Segmentation is special: see `targets`. */
  appliesTo: readonly EndpointKind[];
  /**
   * Whose endpoints the check is made on: the boundary's own (default), or, for ENT-PER.segmentation,
   * the endpoints of the cells that must not be reachable from the vantage.
   */
  targets: "own" | "protected-cells";
  /** What the check demands, in the catalog's words (DESIGN §3 thresholds where they apply). */
  requirement: string;
  guide: GuideReference;
  sr: readonly SystemRequirement[];
  /** Checks that must not have failed for this one to be judged (DESIGN §2: one fault, one failing check). */
  prerequisites: readonly string[];
  /**
   * Checks that must have found what this one looks at: when one of them fails because it is not there at all
   * (the endpoint does not speak TLS or OPC UA, the chain is too large to read) this one is not judged; a
   * measured failure there (TLS 1.0 accepted, security mode None offered) leaves this one to be judged.
   * Applied with `prerequisites` by shared/verdicts/prerequisites.
   */
  presencePrerequisites: readonly string[];
}

const GUIDE = {
  entPer: {
    section: "Secure communication between Enterprise and MES Security Cells",
    quote:
      "It is mandatory to configure the channels between the Enterprise Security Cell and the Perimeter Security Cell using SSL/TLS with a server certificate.",
  },
  perMes: {
    section: "Secure communication between Enterprise and MES Security Cells",
    quote:
      "It is mandatory to configure the channels between the Perimeter Security Cell to the MES security Cell using SSL/TLS with a server and client certificate.",
  },
  perimeterFilter: {
    section: "Secure communication between Enterprise and MES Security Cells",
    quote:
      "The communication between ERP (enterprise) level and MES level must be filtered by using a specific security cell, known as perimeter cell, in order to decouple the plant network from the external network.",
  },
  iisBind: {
    section: "Secure communication between Enterprise and MES Security Cells",
    quote:
      "To enable secure communication, it is necessary to create an HTTPS protocol binding on the site hosting Opcenter Modular Manufacturing and the Virtual directories.",
  },
  mesPcs: {
    section:
      "Secure Communication between MES and Process and Control Security Cell",
    quote:
      "Communication between applications deployed in the MES Security Cell and the Process and Control Security Cell must be established following the guidelines provided by back-end applications.",
  },
  mesCellColocation: {
    section: "Additional notes on MES Security Cell communication",
    quote:
      "It is highly recommended that you deploy the components related to manufacturing on the same security cell.",
  },
  mesCellCountermeasures: {
    section: "Additional notes on MES Security Cell communication",
    quote:
      "It is advisable to apply additional countermeasures to increase communication security.",
  },
  appDb: {
    section:
      "Secure communication with Opcenter Modular Manufacturing database server",
    quote:
      "The connection between Opcenter Modular Manufacturing applications and the database must be secured following the guidelines provided in the Microsoft SQL Server documentation.",
  },
  appDbAuth: {
    section:
      "Secure communication with Opcenter Modular Manufacturing database server",
    quote:
      "Opcenter Modular Manufacturing must be configured to use SQL Authentication only.",
  },
  appExt: {
    section:
      "Secure communication between Opcenter Modular Manufacturing application server and an external system",
    quote:
      "All communication that makes it possible to join Opcenter Modular Manufacturing applications deployed in the Manufacturing network with other external systems must be based on either application secure protocols that guarantee the goals of confidentiality/integrity or alternative secure solutions provided by your IT department.",
  },
  remoteFirewall: {
    section:
      "Secure communication between Opcenter Modular Manufacturing application server and an external system",
    quote:
      "If Opcenter Modular Manufacturing Clients are located in different geographic areas, you must set up and configure a firewall between your network and the network where the clients are located.",
  },
  remoteVpn: {
    section:
      "Secure communication between Opcenter Modular Manufacturing application server and an external system",
    quote:
      "Siemens recommends using virtual private networks (VPNs) to protect communications between the different plants from external attacks.",
  },
} as const satisfies Record<string, GuideReference>;

export const BOUNDARIES: readonly BoundaryDefinition[] = [
  {
    id: "ENT-PER",
    title: "Enterprise ↔ Perimeter",
    protection: "HTTPS with a server certificate",
    vantages: ["enterprise"],
    guide: GUIDE.entPer,
  },
  {
    id: "PER-MES",
    title: "Perimeter ↔ MES",
    protection: "TLS with server and client certificates",
    vantages: ["perimeter"],
    guide: GUIDE.perMes,
  },
  {
    id: "IIS-BIND",
    title: "MES site HTTPS binding and virtual directories",
    protection: "HTTPS binding on the site and its virtual directories",
    vantages: ["perimeter"],
    guide: GUIDE.iisBind,
  },
  {
    id: "MES-PCS",
    title: "MES ↔ Process and Control",
    protection: "per the back-end vendor's guideline",
    vantages: ["mes"],
    guide: GUIDE.mesPcs,
  },
  {
    id: "MES-CELL",
    title: "Composition of the MES cell",
    protection:
      "manufacturing components in one cell, with added countermeasures",
    vantages: ["mes"],
    guide: GUIDE.mesCellColocation,
  },
  {
    id: "APP-DB",
    title: "MES application ↔ SQL Server",
    protection: "encrypted, SQL authentication only",
    vantages: ["mes"],
    guide: GUIDE.appDb,
  },
  {
    id: "APP-EXT",
    title: "MES application server ↔ external systems",
    protection: "a secure application protocol (TLS)",
    vantages: ["mes"],
    guide: GUIDE.appExt,
  },
  {
    id: "REMOTE",
    title: "Clients in other geographic areas",
    protection: "a firewall, and a VPN between the sites",
    vantages: ["remote-site", "remote-site-no-vpn"],
    guide: GUIDE.remoteFirewall,
  },
];

/** The six checks of the TLS server profile (DESIGN §4), made for each TLS endpoint of a boundary. */
export const TLS_PROFILE = [
  {
    suffix: "tls.protocol",
    title: "Protocol versions",
    requirement:
      "Only TLS 1.2 and TLS 1.3 accepted (SSLv2, SSLv3, TLS 1.0 and 1.1 fail); TLS 1.3 offered, or a warning.",
  },
  {
    suffix: "tls.suites",
    title: "Cipher suites",
    requirement:
      "No NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5 suite accepted; TLS 1.2 suites without forward secrecy or AEAD warn.",
  },
  {
    suffix: "cert.chain",
    title: "Certificate chain",
    requirement:
      "The chain validates to the plan's trust anchors (or public roots, where the endpoint allows them) and the server sends every intermediate.",
  },
  {
    suffix: "cert.name",
    title: "Certificate name",
    requirement:
      "The host or SNI name is in the certificate's subjectAltName (DNS or IP); the CN alone does not count.",
  },
  {
    suffix: "cert.validity",
    title: "Certificate validity",
    requirement:
      "Valid now; expiring within the policy's headroom (30 days by default) warns.",
  },
  {
    suffix: "cert.strength",
    title: "Key and signature strength",
    requirement:
      "RSA/DSA/DH keys of at least 2048 bits, EC keys of at least 256 bits; no MD5 or SHA-1 signature on the leaf or an intermediate.",
  },
] as const;

type CheckSpec = Omit<
  CheckDefinition,
  "targets" | "prerequisites" | "presencePrerequisites"
> &
  Partial<
    Pick<CheckDefinition, "targets" | "prerequisites" | "presencePrerequisites">
  >;

const check = (spec: CheckSpec): CheckDefinition => ({
  targets: "own",
  prerequisites: [],
  presencePrerequisites: [],
  ...spec,
});

/** Within the TLS server profile: every check needs TLS found (tls.protocol), the certificate aspects a chain read. */
const TLS_PROFILE_PRESENCE: ReadonlyMap<string, readonly string[]> = new Map([
  ["tls.protocol", []],
  ["tls.suites", ["tls.protocol"]],
  ["cert.chain", ["tls.protocol"]],
  ["cert.name", ["tls.protocol", "cert.chain"]],
  ["cert.validity", ["tls.protocol", "cert.chain"]],
  ["cert.strength", ["tls.protocol", "cert.chain"]],
]);

/** The TLS server profile for one boundary, with the checks it builds on before it. */
function tlsProfile(
  boundary: BoundaryId,
  vantage: VantageId,
  appliesTo: readonly EndpointKind[],
  guide: GuideReference,
  prerequisites: readonly string[] = [],
): CheckDefinition[] {
  return TLS_PROFILE.map((item) =>
    check({
      id: `${boundary}.${item.suffix}`,
      boundary,
      title: item.title,
      vantage,
      severity: "mandatory",
      satisfiedBy: "probe",
      appliesTo,
      requirement: item.requirement,
      guide,
      sr: ["3.1", "4.1"],
      prerequisites,
      presencePrerequisites: (TLS_PROFILE_PRESENCE.get(item.suffix) ?? []).map(
        (suffix) => `${boundary}.${suffix}`,
      ),
    }),
  );
}

const WEB: readonly EndpointKind[] = ["https", "mtls-https"];
/** Plain HTTP is tried beside each HTTPS endpoint (on the policy's port), or at an http-plain endpoint itself. */
const PLAIN: readonly EndpointKind[] = [...WEB, "http-plain"];

export const CHECKS: readonly CheckDefinition[] = [
  // ENT-PER, from the enterprise cell.
  check({
    id: "ENT-PER.reach",
    boundary: "ENT-PER",
    title: "Perimeter reachable over HTTPS",
    vantage: "enterprise",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: WEB,
    requirement:
      "The perimeter's HTTPS endpoint answers a TLS handshake from the enterprise cell.",
    guide: GUIDE.entPer,
    sr: ["5.2"],
  }),
  ...tlsProfile("ENT-PER", "enterprise", WEB, GUIDE.entPer, ["ENT-PER.reach"]),
  check({
    id: "ENT-PER.http.plain",
    boundary: "ENT-PER",
    title: "No content over plain HTTP",
    vantage: "enterprise",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: PLAIN,
    requirement:
      "Plain HTTP is closed, or only redirects to https on the same host; serving content fails.",
    guide: GUIDE.entPer,
    sr: ["4.1"],
  }),
  check({
    id: "ENT-PER.http.hsts",
    boundary: "ENT-PER",
    title: "HTTP Strict Transport Security",
    vantage: "enterprise",
    severity: "recommended",
    satisfiedBy: "probe",
    appliesTo: WEB,
    requirement:
      "HTTPS answers carry Strict-Transport-Security with max-age of at least 15552000 s (180 days).",
    guide: GUIDE.entPer,
    sr: ["4.1"],
    prerequisites: ["ENT-PER.reach"],
    presencePrerequisites: ["ENT-PER.tls.protocol"],
  }),
  check({
    id: "ENT-PER.segmentation",
    boundary: "ENT-PER",
    title: "Inner cells not reachable from the enterprise",
    vantage: "enterprise",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: endpointKinds.filter((kind) => kind !== "manual"),
    targets: "protected-cells",
    requirement:
      "MES, database and process-control endpoints are not reachable from the enterprise cell (refused or filtered).",
    guide: GUIDE.perimeterFilter,
    sr: ["5.1", "5.2"],
  }),

  // PER-MES, from the perimeter cell.
  ...tlsProfile("PER-MES", "perimeter", ["mtls-https", "tls"], GUIDE.perMes),
  check({
    id: "PER-MES.mtls.anonymous-refused",
    boundary: "PER-MES",
    title: "Clients without a certificate refused",
    vantage: "perimeter",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mtls-https", "tls"],
    requirement:
      "Over TLS 1.2 and TLS 1.3, a client without a certificate is refused: at the handshake, on the first read, or with an HTTP 4xx other than 404.",
    guide: GUIDE.perMes,
    sr: ["1.2"],
    presencePrerequisites: ["PER-MES.tls.protocol"],
  }),
  check({
    id: "PER-MES.mtls.untrusted-refused",
    boundary: "PER-MES",
    title: "Certificates from unknown CAs refused",
    vantage: "perimeter",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mtls-https", "tls"],
    requirement:
      "A client certificate from an unknown CA, made on the spot, is refused.",
    guide: GUIDE.perMes,
    sr: ["1.2"],
    presencePrerequisites: ["PER-MES.tls.protocol"],
  }),
  check({
    id: "PER-MES.mtls.identity-accepted",
    boundary: "PER-MES",
    title: "The plan's client identity accepted",
    vantage: "perimeter",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mtls-https", "tls"],
    requirement:
      "The plan's client identity (PKCS#12) is accepted, proving the refusals come from enforcement.",
    guide: GUIDE.perMes,
    sr: ["1.2", "3.1"],
    presencePrerequisites: ["PER-MES.tls.protocol"],
  }),

  // IIS-BIND, from the perimeter cell.
  ...tlsProfile("IIS-BIND", "perimeter", WEB, GUIDE.iisBind),
  check({
    id: "IIS-BIND.vdir.https",
    boundary: "IIS-BIND",
    title: "Virtual directories over HTTPS",
    vantage: "perimeter",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: WEB,
    requirement:
      "Each configured path answers over HTTPS (2xx, same-host 3xx, 401 or 403); 404, 5xx or no answer fail. At most 5 redirects, never to another host unless the policy allows it.",
    guide: GUIDE.iisBind,
    sr: ["4.1"],
    presencePrerequisites: ["IIS-BIND.tls.protocol"],
  }),
  check({
    id: "IIS-BIND.vdir.plain",
    boundary: "IIS-BIND",
    title: "Virtual directories not over plain HTTP",
    vantage: "perimeter",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: PLAIN,
    requirement:
      "Each path over plain HTTP is closed or redirected to https on the same host.",
    guide: GUIDE.iisBind,
    sr: ["4.1"],
  }),

  // MES-PCS, from the MES cell. The OPC UA checks are measured by the opcua probe (GetEndpoints on the discovery
  // channel) and stay "either": a measured failure is never attested away (rollup's effectiveVerdict), but where
  // the probe could not judge — no trust anchors for `.cert` (compare the fingerprint), a server that refuses
  // discovery without security, an endpoint out of reach — the engineer may attest what the vendor's tool shows,
  // as plans did before the probe existed (a probe-only check would make their attestations invalid).
  ...tlsProfile("MES-PCS", "mes", ["https", "tls"], GUIDE.mesPcs),
  check({
    id: "MES-PCS.opcua.mode",
    boundary: "MES-PCS",
    title: "OPC UA security mode",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["opcua"],
    requirement:
      "GetEndpoints lists no endpoint with security mode None (fails); Sign without encryption warns; only SignAndEncrypt passes. An endpoint that does not answer as OPC UA fails here.",
    guide: GUIDE.mesPcs,
    sr: ["3.1", "4.1"],
  }),
  check({
    id: "MES-PCS.opcua.policy",
    boundary: "MES-PCS",
    title: "OPC UA security policies",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["opcua"],
    requirement:
      "No endpoint and no user token offers the deprecated policies Basic128Rsa15 or Basic256; a policy Cellcert does not know warns.",
    guide: GUIDE.mesPcs,
    sr: ["3.1", "4.1"],
    presencePrerequisites: ["MES-PCS.opcua.mode"],
  }),
  check({
    id: "MES-PCS.opcua.anonymous",
    boundary: "MES-PCS",
    title: "OPC UA anonymous access",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["opcua"],
    requirement:
      "No endpoint GetEndpoints lists offers the Anonymous user token.",
    guide: GUIDE.mesPcs,
    sr: ["1.2"],
    presencePrerequisites: ["MES-PCS.opcua.mode"],
  }),
  check({
    id: "MES-PCS.opcua.user-token",
    boundary: "MES-PCS",
    title: "OPC UA user-name tokens encrypted",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["opcua"],
    requirement:
      "A user-name (or issued) token is never offered where its password travels in clear: its own policy, or the endpoint's when it names none, is None and the endpoint does not encrypt.",
    guide: GUIDE.mesPcs,
    sr: ["1.2", "4.1"],
    presencePrerequisites: ["MES-PCS.opcua.mode"],
  }),
  check({
    id: "MES-PCS.opcua.cert",
    boundary: "MES-PCS",
    title: "OPC UA application certificate",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["opcua"],
    requirement:
      "The application certificate GetEndpoints carries passes the certificate rules (chain, name, validity, strength) against the plan's anchors; with no anchors it is not tested, its SHA-256 fingerprint shown for the engineer to compare and attest.",
    guide: GUIDE.mesPcs,
    sr: ["1.2", "3.1"],
    presencePrerequisites: ["MES-PCS.opcua.mode"],
  }),
  check({
    id: "MES-PCS.guideline",
    boundary: "MES-PCS",
    title: "Back-end vendor's guideline followed",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "attest",
    appliesTo: ["manual"],
    requirement:
      "The link follows the back-end vendor's guideline named on the endpoint; the engineer attests it.",
    guide: GUIDE.mesPcs,
    sr: ["3.1", "4.1"],
  }),

  // MES-CELL, attested.
  check({
    id: "MES-CELL.colocation",
    boundary: "MES-CELL",
    title: "Manufacturing components in one cell",
    vantage: "mes",
    severity: "recommended",
    satisfiedBy: "attest",
    appliesTo: ["manual"],
    requirement:
      "The components related to manufacturing are deployed in the same security cell.",
    guide: GUIDE.mesCellColocation,
    sr: ["5.1"],
  }),
  check({
    id: "MES-CELL.countermeasures",
    boundary: "MES-CELL",
    title: "Additional countermeasures listed",
    vantage: "mes",
    severity: "recommended",
    satisfiedBy: "attest",
    appliesTo: ["manual"],
    requirement:
      "The additional countermeasures applied inside the MES cell are listed in the attestation.",
    guide: GUIDE.mesCellCountermeasures,
    sr: ["5.1"],
  }),

  // APP-DB, from the MES cell.
  check({
    id: "APP-DB.tds.encryption",
    boundary: "APP-DB",
    title: "SQL Server encryption forced",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement:
      "PRELOGIN answers encryption required, or TDS 8.0 strict encryption is enforced; available-but-not-forced and not-supported fail.",
    guide: GUIDE.appDb,
    sr: ["3.1", "4.1"],
  }),
  check({
    id: "APP-DB.tds.cert",
    boundary: "APP-DB",
    title: "SQL Server certificate",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement:
      "The certificate inside TDS passes the certificate rules (chain, name, validity, strength); the self-signed fallback certificate fails by name.",
    guide: GUIDE.appDb,
    sr: ["1.2", "3.1"],
    prerequisites: ["APP-DB.tds.encryption"],
  }),
  check({
    id: "APP-DB.tds.protocol",
    boundary: "APP-DB",
    title: "SQL Server TLS version",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement: "The TLS inside TDS is version 1.2 or newer.",
    guide: GUIDE.appDb,
    sr: ["3.1", "4.1"],
    prerequisites: ["APP-DB.tds.encryption"],
  }),
  check({
    id: "APP-DB.sql.auth",
    boundary: "APP-DB",
    title: "SQL login over an encrypted session",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement:
      "With the plan's SQL credentials: the session is encrypted (encrypt_option TRUE) and SQL-authenticated.",
    guide: GUIDE.appDbAuth,
    sr: ["1.2", "4.1"],
    prerequisites: ["APP-DB.tds.encryption", "APP-DB.tds.cert"],
  }),
  check({
    id: "APP-DB.sql.mixed-mode",
    boundary: "APP-DB",
    title: "SQL authentication enabled",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement:
      "The server accepts SQL logins (IsIntegratedSecurityOnly = 0), as the MES application requires.",
    guide: GUIDE.appDbAuth,
    sr: ["1.2"],
    prerequisites: ["APP-DB.tds.encryption", "APP-DB.tds.cert"],
  }),
  check({
    id: "APP-DB.sql.app-sessions",
    boundary: "APP-DB",
    title: "The MES application's sessions",
    vantage: "mes",
    severity: "recommended",
    satisfiedBy: "probe",
    appliesTo: ["mssql"],
    requirement:
      "Where VIEW SERVER STATE is granted: the MES application's own sessions are encrypted and SQL-authenticated.",
    guide: GUIDE.appDbAuth,
    sr: ["1.2", "4.1"],
    prerequisites: ["APP-DB.tds.encryption", "APP-DB.tds.cert"],
  }),

  // APP-EXT, from the MES cell.
  check({
    id: "APP-EXT.secure-protocol",
    boundary: "APP-EXT",
    title: "External link speaks TLS",
    vantage: "mes",
    severity: "mandatory",
    satisfiedBy: "probe",
    appliesTo: ["https", "tls"],
    requirement:
      "The external system answers with TLS; plaintext fails unless waived, naming the IT department's alternative.",
    guide: GUIDE.appExt,
    sr: ["3.1", "4.1"],
  }),
  ...tlsProfile("APP-EXT", "mes", ["https", "tls"], GUIDE.appExt, [
    "APP-EXT.secure-protocol",
  ]),

  // REMOTE, from the remote site, with and without the VPN.
  check({
    id: "REMOTE.firewall.allowed",
    boundary: "REMOTE",
    title: "Allowed ports open",
    vantage: "remote-site",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["tcp"],
    requirement:
      "Every port the firewall should allow is open from the remote site.",
    guide: GUIDE.remoteFirewall,
    sr: ["5.2"],
  }),
  check({
    id: "REMOTE.firewall.denied",
    boundary: "REMOTE",
    title: "Denied ports closed",
    vantage: "remote-site",
    severity: "mandatory",
    satisfiedBy: "either",
    appliesTo: ["tcp"],
    requirement:
      "Every port the firewall should deny is refused or filtered from the remote site.",
    guide: GUIDE.remoteFirewall,
    sr: ["5.1", "5.2"],
  }),
  check({
    id: "REMOTE.vpn",
    boundary: "REMOTE",
    title: "MES reachable only through the VPN",
    vantage: "remote-site-no-vpn",
    severity: "recommended",
    satisfiedBy: "either",
    appliesTo: ["tcp"],
    requirement:
      "With the VPN down, the allowed ports are unreachable from the remote site; with it up they are open (REMOTE.firewall.allowed).",
    guide: GUIDE.remoteVpn,
    sr: ["5.1", "5.2"],
  }),
];

const checksById = new Map(CHECKS.map((c) => [c.id, c]));

export function findCheck(id: string): CheckDefinition | undefined {
  return checksById.get(id);
}

/**
 * What a check builds on (DESIGN §2): the catalog's declaration, or for a TLS server profile check named without
 * its boundary (`cellcert probe tls` reports "tls.suites") the profile's own, the same on every boundary.
 */
export function prerequisitesOf(
  id: string,
): Pick<CheckDefinition, "prerequisites" | "presencePrerequisites"> {
  const check = findCheck(id);
  if (check !== undefined) return check;
  return {
    prerequisites: [],
    presencePrerequisites: TLS_PROFILE_PRESENCE.get(id) ?? [],
  };
}

/** The endpoint kinds a boundary's own checks apply to: an endpoint of another kind there would go unjudged. */
export function endpointKindsOfBoundary(boundary: BoundaryId): EndpointKind[] {
  const kinds = new Set(
    CHECKS.filter(
      (c) => c.boundary === boundary && c.targets === "own",
    ).flatMap((c) => c.appliesTo),
  );
  return endpointKinds.filter((kind) => kinds.has(kind));
}

export function boundaryDefinition(id: BoundaryId): BoundaryDefinition {
  const found = BOUNDARIES.find((b) => b.id === id);
  if (found === undefined) throw new Error(`No boundary ${id} in the catalog.`);
  return found;
}
