// Realistic plans with results for the certificate, until the probes record real ones: a good plant (every
// boundary commissioned), a broken one (failures, a waiver, untested checks, a boundary out of scope), and a
// large one for the benchmark. Names with Ł, ő, Ș and ñ throughout, so the PDF's font is put to the test.
import forge from "node-forge";
import { generateKeyPairSync, type KeyObject, sign } from "node:crypto";
import {
  CHECKS,
  findCheck,
  type CheckDefinition,
} from "../../shared/catalog/catalog";
import type { CertificateInfo } from "../../shared/evidence/certificate";
import { endpointFingerprint } from "../../shared/model/endpoint-fingerprint";
import { formatHostPort } from "../../shared/model/net";
import {
  Plan,
  type CheckResult,
  type Endpoint,
  type Evidence,
  type PlanInput,
  type Run,
} from "../../shared/model/plan";
import type { MeasuredVerdict, VantageId } from "../../shared/plant-words";
import { RULESET_VERSION } from "../../shared/product";
import { endpointsForCheck } from "../../shared/verdicts/rollup";
import { summarizeCertificate } from "../../electron/engine/x509";

export const UNICODE_NAMES = {
  plant: "Győr body shop",
  site: "Győr, Hungary",
  customer: "Ștefan Industries S.R.L.",
  engineer: "Łukasz Nowak",
  company: "Muñoz Automatización S.L.",
  witness: "María Muñoz",
} as const;

export type FixtureVariant = "good" | "broken";

export interface FixtureOptions {
  practice?: boolean;
  /** How many copies of each probed endpoint; 1 gives ~60 checks, 4 gives ~200. */
  scale?: number;
  /** How many firewall endpoints towards the remote site (4 checks each); default 1. */
  remoteFirewalls?: number;
  /** When the runs took place. */
  at?: Date;
}

/** The benchmark's plant: 200 checks (scale 4 gives 188, three more firewalls 12). */
export const TWO_HUNDRED_CHECKS: FixtureOptions = {
  scale: 4,
  remoteFirewalls: 4,
};

const DEFAULT_TIME = new Date("2026-03-02T08:00:00Z");

/** A plan with runs, evidence, waivers and attestations, parsed through the plan schema. */
export async function fixturePlan(
  variant: FixtureVariant,
  options: FixtureOptions = {},
): Promise<Plan> {
  const pki = await fixturePki();
  const scale = options.scale ?? 1;
  const at = options.at ?? DEFAULT_TIME;
  const broken = variant === "broken";

  const endpoints: PlanInput["endpoints"] = [];
  for (let i = 1; i <= scale; i++) {
    const n = scale === 1 ? "" : `-${i}`;
    const host = (base: number): string => `10.${base}.0.${10 + i}`;
    endpoints.push(
      {
        id: `perimeter-web${n}`,
        name: `Perimeter portal${n === "" ? "" : ` ${i}`}`,
        boundary: "ENT-PER",
        cell: "perimeter",
        kind: "https",
        host: host(20),
        port: 443,
        serverName: `portal${i}.gyor.plant.example`,
      },
      {
        id: `mes-mtls${n}`,
        name: `MES web services${n === "" ? "" : ` ${i}`}`,
        boundary: "PER-MES",
        cell: "mes",
        kind: "mtls-https",
        host: host(30),
        port: 8443,
        serverName: `mes${i}.gyor.plant.example`,
        clientIdentityId: "perimeter-client",
      },
      {
        id: `mes-site${n}`,
        name: `Opcenter site${n === "" ? "" : ` ${i}`}`,
        boundary: "IIS-BIND",
        cell: "mes",
        kind: "https",
        host: host(30),
        port: 443,
        serverName: `mes${i}.gyor.plant.example`,
        paths: ["/OpcenterMM", "/OpcenterMM/api", "/portal"],
      },
      {
        id: `pcs-historian${n}`,
        name: `Process historian${n === "" ? "" : ` ${i}`}`,
        boundary: "MES-PCS",
        cell: "process-control",
        kind: "https",
        host: host(50),
        port: 443,
      },
      {
        id: `erp-gateway${n}`,
        name: `ERP gateway (Muñoz Logística)${n === "" ? "" : ` ${i}`}`,
        boundary: "APP-EXT",
        cell: "external",
        kind: "tls",
        host: host(60),
        port: 443,
        serverName: `erp${i}.munoz-logistica.example`,
      },
    );
  }
  endpoints.push(
    {
      id: "pcs-opcua",
      name: "PCS 7 OPC UA server",
      boundary: "MES-PCS",
      cell: "process-control",
      kind: "opcua",
      host: "10.50.0.30",
      port: 4840,
    },
    {
      id: "pcs-guideline",
      name: "PCS 7 interface per vendor guideline",
      boundary: "MES-PCS",
      cell: "process-control",
      kind: "manual",
      guideline:
        "SIMATIC PCS 7 Security Concept, §5.3 (Ștefan's copy, rev. 2021-04)",
    },
    {
      id: "mes-cell",
      name: "MES cell composition",
      boundary: "MES-CELL",
      cell: "mes",
      kind: "manual",
    },
    {
      id: "sql01",
      name: "SQL Server of the MES",
      boundary: "APP-DB",
      cell: "database",
      kind: "mssql",
      host: "10.40.0.15",
      port: 1433,
      credentialId: "sql-mes",
      appLogin: "mes_app",
    },
  );
  for (let i = 1; i <= (options.remoteFirewalls ?? 1); i++)
    endpoints.push({
      id: i === 1 ? "remote-fw" : `remote-fw-${i}`,
      name: `Firewall to the Łódź office${i === 1 ? "" : ` ${i}`}`,
      boundary: "REMOTE",
      cell: "mes",
      kind: "tcp",
      host: `10.30.0.${9 + i}`,
      port: 443,
      allowedPorts: [443, 8443],
      deniedPorts: [1433, 445, 3389],
    });

  const input: PlanInput = {
    schemaVersion: 3,
    practice: options.practice ?? false,
    plant: {
      name: UNICODE_NAMES.plant,
      site: UNICODE_NAMES.site,
      customer: UNICODE_NAMES.customer,
      orderNumber: "PO-2026-0118",
      startDate: at.toISOString().slice(0, 10),
      endDate: at.toISOString().slice(0, 10),
      notes: "Body shop line 3; commissioning after the network refit.",
    },
    cells: [
      {
        id: "enterprise",
        kind: "enterprise",
        name: "Enterprise",
        networks: ["10.10.0.0/16"],
      },
      {
        id: "perimeter",
        kind: "perimeter",
        name: "Perimeter (DMZ)",
        networks: ["10.20.0.0/24"],
      },
      { id: "mes", kind: "mes", name: "MES", networks: ["10.30.0.0/24"] },
      {
        id: "process-control",
        kind: "process-control",
        name: "Process control",
        networks: ["10.50.0.0/24"],
      },
      {
        id: "database",
        kind: "database",
        name: "Database",
        networks: ["10.40.0.0/24"],
      },
      {
        id: "external",
        kind: "external",
        name: "Muñoz Logística (external)",
        networks: ["10.60.0.0/24"],
      },
      {
        id: "remote-site",
        kind: "remote-site",
        name: "Remote site Łódź",
        networks: ["10.90.0.0/24"],
      },
    ],
    boundaries: [
      { id: "ENT-PER", from: "enterprise", to: "perimeter" },
      { id: "PER-MES", from: "perimeter", to: "mes" },
      { id: "IIS-BIND", from: "perimeter", to: "mes" },
      { id: "MES-PCS", from: "mes", to: "process-control" },
      { id: "MES-CELL", from: "mes", to: "mes" },
      { id: "APP-DB", from: "mes", to: "database" },
      { id: "APP-EXT", from: "mes", to: "external" },
      {
        id: "REMOTE",
        from: "remote-site",
        to: "mes",
        inScope: !broken,
        outOfScopeReason: broken
          ? "The Łódź office is not connected yet; its firewall is commissioned with the second phase."
          : "",
      },
    ],
    endpoints,
    vantages: [
      { id: "enterprise", cell: "enterprise", sourceAddress: "10.10.4.23" },
      { id: "perimeter", cell: "perimeter", sourceAddress: "10.20.0.200" },
      { id: "mes", cell: "mes", sourceAddress: "10.30.0.200" },
      { id: "remote-site", cell: "remote-site", sourceAddress: "10.90.0.200" },
      {
        id: "remote-site-no-vpn",
        cell: "remote-site",
        notes: "VPN client disconnected",
      },
    ],
    trustAnchors: [
      {
        id: "plant-root",
        name: "Győr plant root CA",
        pem: pki.root.pem,
        subject: pki.root.subject,
        fingerprintSha256: pki.root.fingerprintSha256,
      },
    ],
    identities: [
      {
        id: "perimeter-client",
        role: "client",
        name: "Perimeter reverse proxy client",
        file: "identities/perimeter-client.p12",
        passphrase: "env:CELLCERT_CLIENT_PASSPHRASE",
        subject: "CN=perimeter-proxy.gyor.plant.example",
        fingerprintSha256: pki.leaf.fingerprintSha256,
      },
    ],
    credentials: [
      {
        id: "sql-mes",
        name: "MES read-only check login",
        user: "cellcert_check",
        password: "env:CELLCERT_SQL_PASSWORD",
      },
    ],
    waivers: [],
    attestations: [],
    signOff: {
      engineer: UNICODE_NAMES.engineer,
      company: UNICODE_NAMES.company,
      witnessName: UNICODE_NAMES.witness,
    },
  };
  const draft = Plan.parse(input);
  const runs = makeRuns(draft, variant, pki, at);
  const attestations = makeAttestations(draft, variant, at);
  const waivers = broken
    ? [
        {
          checkId: "APP-EXT.secure-protocol",
          endpointId:
            draft.endpoints.find((e) => e.boundary === "APP-EXT")?.id ??
            "erp-gateway",
          justification:
            "The ERP link runs through the IT department's IPsec tunnel (change RFC-2291); the application protocol itself stays plaintext until the ERP upgrade.",
          name: UNICODE_NAMES.witness,
          approvedBy: "Ștefan Popescu, IT security",
          date: at.toISOString().slice(0, 10),
          notes: "Approved by Ștefan Popescu, IT security.",
        },
      ]
    : [];
  return Plan.parse({ ...draft, runs, attestations, waivers });
}

// ---- results ----------------------------------------------------------------------------------------------

interface Measurement {
  verdict: MeasuredVerdict;
  measured: string;
  threshold: string;
  headroom: string;
  message: string;
  reason: string;
}

function makeRuns(
  plan: Plan,
  variant: FixtureVariant,
  pki: FixturePki,
  at: Date,
): Run[] {
  const order: VantageId[] = [
    "enterprise",
    "perimeter",
    "mes",
    "remote-site",
    "remote-site-no-vpn",
  ];
  const runs: Run[] = [];
  order.forEach((vantage, index) => {
    const runId = `run-${index + 1}`;
    const startedAt = new Date(at.getTime() + index * 45 * 60_000);
    const vantageDefinition = plan.vantages.find((v) => v.id === vantage);
    if (vantageDefinition === undefined) return;
    const results: CheckResult[] = [];
    const evidence: Evidence[] = [];
    const evidenceFor = new Map<string, string>();
    const checks = CHECKS.filter(
      (c) =>
        c.vantage === vantage &&
        c.satisfiedBy !== "attest" &&
        !c.id.startsWith("MES-PCS.opcua"),
    );
    for (const check of checks) {
      const boundary = plan.boundaries.find((b) => b.id === check.boundary);
      if (boundary === undefined || !boundary.inScope) continue;
      for (const endpoint of endpointsForCheck(plan, check)) {
        const key = `${endpoint.id}:${probeOf(check)}`;
        let evidenceId = evidenceFor.get(key);
        if (evidenceId === undefined) {
          evidenceId = `e${index + 1}-${evidence.length + 1}`;
          evidenceFor.set(key, evidenceId);
          evidence.push(
            makeEvidence(
              evidenceId,
              endpoint,
              check,
              pki,
              variant,
              startedAt,
              evidence.length,
            ),
          );
        }
        const m = measure(check, endpoint, variant);
        results.push({
          checkId: check.id,
          endpointId: endpoint.id,
          runId,
          ...m,
          endpointFingerprint: endpointFingerprint(plan, endpoint),
          evidenceIds: [evidenceId],
          finishedAt: new Date(
            startedAt.getTime() + (results.length + 1) * 4000,
          ).toISOString(),
        });
      }
    }
    const address = vantageDefinition.sourceAddress ?? "10.90.0.201";
    runs.push({
      id: runId,
      sequence: index + 1,
      vantage,
      scope: { kind: "vantage" },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date(
        startedAt.getTime() + (results.length + 2) * 4000,
      ).toISOString(),
      status: "completed",
      laptop: {
        hostName: "LT-ŁNOWAK-07",
        addresses: [
          {
            interface: "eth0",
            address,
            cidr: `${address.split(".").slice(0, 3).join(".")}.0/24`,
          },
        ],
        clockSkewMs: index === 2 ? -1800 : 350,
      },
      vantageAddress: {
        verdict: "pass",
        message: `${address} lies in the ${vantageDefinition.cell} cell's networks.`,
      },
      toolVersion: "0.1.0",
      rulesetVersion: RULESET_VERSION,
      results,
      evidence,
    });
  });
  return runs;
}

function probeOf(check: CheckDefinition): string {
  if (check.id.includes(".http.") || check.id.includes(".vdir.")) return "http";
  if (check.id.includes(".segmentation")) return "tcp";
  if (check.boundary === "APP-DB") return "mssql";
  if (check.boundary === "REMOTE") return "firewall";
  if (check.id.includes(".mtls.")) return "mtls";
  return "tls";
}

function makeEvidence(
  id: string,
  endpoint: Endpoint,
  check: CheckDefinition,
  pki: FixturePki,
  variant: FixtureVariant,
  startedAt: Date,
  index: number,
): Evidence {
  const probe = probeOf(check);
  const target =
    endpoint.port === undefined
      ? endpoint.host
      : formatHostPort(endpoint.host, endpoint.port);
  const chain = [pki.leaf, pki.intermediate].map(
    ({ key: _key, ...info }) => info,
  );
  const broken = variant === "broken";
  const data: Record<string, unknown> =
    probe === "tls"
      ? {
          serverName: endpoint.serverName || endpoint.host,
          negotiated: {
            protocol: "TLSv1.3",
            cipher: "TLS_AES_256_GCM_SHA384",
            group: "x25519",
            alpn: "http/1.1",
          },
          accepted: {
            "TLSv1.3": true,
            "TLSv1.2": true,
            "TLSv1.1": false,
            TLSv1: broken && endpoint.boundary === "ENT-PER",
            SSLv3: false,
          },
          suitesTls12: [
            "ECDHE-RSA-AES256-GCM-SHA384",
            "ECDHE-RSA-AES128-GCM-SHA256",
            "ECDHE-RSA-CHACHA20-POLY1305",
          ],
          chain,
          ocspStapled: false,
        }
      : probe === "mtls"
        ? {
            anonymous: {
              "TLSv1.3": "alert 116 certificate_required",
              "TLSv1.2": broken
                ? "accepted; HTTP 200"
                : "alert 40 handshake_failure",
            },
            untrusted: {
              subject: "CN=Cellcert throwaway",
              result: "alert 48 unknown_ca",
            },
            identity: {
              subject: "CN=perimeter-proxy.gyor.plant.example",
              status: 200,
            },
            chain,
          }
        : probe === "http"
          ? {
              plain: {
                port: 80,
                status: 301,
                location: `https://${endpoint.serverName || endpoint.host}/`,
              },
              hsts: "max-age=31536000; includeSubDomains",
              dateHeader: new Date(startedAt.getTime() - 350).toUTCString(),
              paths: endpoint.paths.map((path, i) => ({
                path,
                https: i === 1 ? 401 : 200,
                plain: "closed",
              })),
            }
          : probe === "mssql"
            ? {
                schema: "cellcert.mssql-evidence/1",
                prelogin: {
                  encryption: broken ? "off" : "required",
                  version: "16.0.4105 (SQL Server 2022)",
                },
                tls: broken
                  ? null
                  : {
                      protocol: "TLSv1.2",
                      cipher: "ECDHE-RSA-AES256-GCM-SHA384",
                      chain,
                    },
                session: broken
                  ? null
                  : {
                      encryptOption: true,
                      authScheme: "SQL",
                      isIntegratedSecurityOnly: 0,
                      appSessions: 12,
                    },
              }
            : probe === "firewall"
              ? {
                  ports: [
                    ...endpoint.allowedPorts.map((port) => ({
                      port,
                      state: "open",
                      ms: 3,
                    })),
                    ...endpoint.deniedPorts.map((port, i) => ({
                      port,
                      state: i === 1 ? "refused" : "filtered",
                      ms: i === 1 ? 2 : 5000,
                    })),
                  ],
                }
              : { target, state: "filtered", waitedMs: 5000 };
  return {
    id,
    endpointId: endpoint.id,
    probe,
    target,
    startedAt: new Date(startedAt.getTime() + index * 3000).toISOString(),
    durationMs: probe === "tcp" ? 5002 : 180 + (index % 7) * 23,
    data: data as Evidence["data"],
  };
}

const BROKEN: Readonly<Record<string, Partial<Measurement>>> = {
  "ENT-PER.tls.protocol": {
    verdict: "fail",
    measured: "TLS 1.0, TLS 1.2, TLS 1.3 accepted",
    message:
      "The server accepts TLS 1.0: disable TLS 1.0 and 1.1 in the perimeter's HTTPS binding.",
  },
  "PER-MES.mtls.anonymous-refused": {
    verdict: "fail",
    measured: "TLS 1.2 without a client certificate: HTTP 200",
    message:
      "A client without a certificate gets HTTP 200 over TLS 1.2: require client certificates on the MES binding.",
  },
  "IIS-BIND.cert.validity": {
    verdict: "warn",
    measured: "valid 2025-03-24 to 2026-03-23",
    headroom: "21 days to expiry; warns below 30",
    message:
      "The certificate for mes1.gyor.plant.example expires on 2026-03-23 (in 21 days): renew it.",
  },
  "APP-DB.tds.encryption": {
    verdict: "fail",
    measured: "PRELOGIN ENCRYPT_OFF (encryption available, not forced)",
    message:
      "SQL Server offers encryption but does not force it: set Force Encryption on the SQL Server instance.",
  },
  "APP-EXT.secure-protocol": {
    verdict: "fail",
    measured: "plaintext HTTP on 10.60.0.11:443",
    message: "The external system answers in plaintext, not TLS.",
  },
};

const PREREQUISITE_FAILED: readonly string[] = [
  "APP-DB.tds.cert",
  "APP-DB.tds.protocol",
  "APP-DB.sql.",
  "APP-EXT.tls.",
  "APP-EXT.cert.",
];

function measure(
  check: CheckDefinition,
  endpoint: Endpoint,
  variant: FixtureVariant,
): Measurement {
  const base = goodMeasurement(check, endpoint);
  if (variant !== "broken") return base;
  if (PREREQUISITE_FAILED.some((prefix) => check.id.startsWith(prefix)))
    return {
      verdict: "not-tested",
      measured: "",
      threshold: base.threshold,
      headroom: "",
      message: `Not tested: ${check.prerequisites.join(" and ")} failed on ${endpoint.name}.`,
      reason: "prerequisite failed",
    };
  const override = BROKEN[check.id];
  return override === undefined ? base : { ...base, ...override };
}

function goodMeasurement(
  check: CheckDefinition,
  endpoint: Endpoint,
): Measurement {
  const name = endpoint.serverName || endpoint.host;
  const suffix = check.id.slice(check.id.indexOf(".") + 1);
  const pass = (
    measured: string,
    threshold: string,
    headroom: string,
    message: string,
  ): Measurement => ({
    verdict: "pass",
    measured,
    threshold,
    headroom,
    message,
    reason: "",
  });
  switch (suffix) {
    case "reach":
      return pass(
        "TLS handshake completed in 18 ms",
        "answers a TLS handshake",
        "",
        `${name} answers HTTPS from the enterprise cell.`,
      );
    case "tls.protocol":
      return pass(
        "TLS 1.2, TLS 1.3 accepted; SSLv3, TLS 1.0, TLS 1.1 refused",
        "TLS 1.2 or newer only; TLS 1.3 offered",
        "",
        "Only TLS 1.2 and TLS 1.3 are accepted.",
      );
    case "tls.suites":
      return pass(
        "TLS 1.3: 3 AEAD suites; TLS 1.2: ECDHE-RSA-AES256-GCM-SHA384, ECDHE-RSA-AES128-GCM-SHA256, ECDHE-RSA-CHACHA20-POLY1305",
        "no NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5 suite",
        "",
        "Every accepted suite has forward secrecy and AEAD.",
      );
    case "cert.chain":
      return pass(
        `${name} → Győr Plant Issuing CA → Győr plant root CA (plan anchor plant-root)`,
        "validates to the plan's trust anchors, intermediates sent",
        "",
        "The chain validates to the plan's anchor and is complete.",
      );
    case "cert.name":
      return pass(
        `${name} in subjectAltName (DNS)`,
        "host or SNI name in subjectAltName",
        "",
        `The certificate names ${name}.`,
      );
    case "cert.validity":
      return pass(
        "valid 2026-01-10 to 2027-01-10",
        "valid now; warns within 30 days of expiry",
        "314 days to expiry; warns below 30",
        "The certificate is valid for another 314 days.",
      );
    case "cert.strength":
      return pass(
        "RSA 2048 bits, sha256WithRSAEncryption (leaf and intermediate)",
        "RSA ≥ 2048 bits, EC ≥ 256 bits; no MD5 or SHA-1",
        "at the minimum RSA size",
        "Keys and signatures are strong enough.",
      );
    case "http.plain":
      return pass(
        `port 80: 301 to https://${name}/`,
        "closed, or a redirect to https on the same host",
        "",
        "Plain HTTP only redirects to HTTPS on the same host.",
      );
    case "http.hsts":
      return pass(
        "max-age=31536000; includeSubDomains",
        "max-age ≥ 15552000 s",
        "15984000 s above the minimum",
        "HSTS is set for a year.",
      );
    case "segmentation":
      return pass(
        `${endpoint.port === undefined ? endpoint.host : formatHostPort(endpoint.host, endpoint.port)} filtered (no answer in 5 s)`,
        "refused or filtered from the enterprise cell",
        "",
        `${endpoint.name} is not reachable from the enterprise cell.`,
      );
    case "mtls.anonymous-refused":
      return pass(
        "TLS 1.3: alert 116 certificate_required; TLS 1.2: alert 40 handshake_failure",
        "refused without a client certificate",
        "",
        "Clients without a certificate are refused.",
      );
    case "mtls.untrusted-refused":
      return pass(
        "throwaway certificate: alert 48 unknown_ca",
        "refused",
        "",
        "A certificate from an unknown CA is refused.",
      );
    case "mtls.identity-accepted":
      return pass(
        "HTTP 200 with CN=perimeter-proxy.gyor.plant.example",
        "accepted",
        "",
        "The plan's client identity is accepted.",
      );
    case "vdir.https":
      return pass(
        endpoint.paths.map((p, i) => `${p} ${i === 1 ? 401 : 200}`).join(", "),
        "2xx, same-host 3xx, 401 or 403",
        "",
        "Every virtual directory answers over HTTPS.",
      );
    case "vdir.plain":
      return pass(
        endpoint.paths.map((p) => `${p} closed`).join(", "),
        "closed or redirected to https",
        "",
        "No virtual directory is served over plain HTTP.",
      );
    case "tds.encryption":
      return pass(
        "PRELOGIN ENCRYPT_REQ (encryption required)",
        "required or strict",
        "",
        "SQL Server requires encryption.",
      );
    case "tds.cert":
      return pass(
        "sql01.gyor.plant.example, issued by Győr Plant Issuing CA, RSA 2048",
        "the certificate rules; not the self-signed fallback",
        "",
        "SQL Server presents the plant's certificate.",
      );
    case "tds.protocol":
      return pass(
        "TLS 1.2",
        "TLS 1.2 or newer",
        "",
        "The TDS session uses TLS 1.2.",
      );
    case "sql.auth":
      return pass(
        "login cellcert_check: encrypt_option TRUE, auth_scheme SQL",
        "SQL login over an encrypted session",
        "",
        "SQL authentication works over an encrypted session.",
      );
    case "sql.mixed-mode":
      return pass(
        "IsIntegratedSecurityOnly = 0",
        "0 (mixed mode)",
        "",
        "SQL Server accepts SQL logins.",
      );
    case "sql.app-sessions":
      return pass(
        "12 sessions of mes_app: all encrypted, auth_scheme SQL",
        "every session encrypted and SQL-authenticated",
        "",
        "The MES application's own sessions are encrypted.",
      );
    case "secure-protocol":
      return pass(
        "TLS 1.3 handshake on 443",
        "speaks TLS",
        "",
        "The external system speaks TLS.",
      );
    case "firewall.allowed":
      return pass(
        endpoint.allowedPorts.map((p) => `${p} open`).join(", "),
        "listed ports open",
        "",
        "Every allowed port is open from the remote site.",
      );
    case "firewall.denied":
      return pass(
        endpoint.deniedPorts
          .map((p, i) => `${p} ${i === 1 ? "refused" : "filtered"}`)
          .join(", "),
        "refused or filtered",
        "",
        "Every denied port is closed from the remote site.",
      );
    case "vpn":
      return pass(
        "VPN down: 443, 8443 unreachable",
        "unreachable without the VPN",
        "",
        "The MES is reachable only through the VPN.",
      );
    default:
      return pass("as required", "see requirement", "", "Passed.");
  }
}

function makeAttestations(
  plan: Plan,
  variant: FixtureVariant,
  at: Date,
): Plan["attestations"] {
  const date = at.toISOString().slice(0, 10);
  const attest = (checkId: string, endpointId: string, statement: string) => ({
    checkId,
    endpointId,
    statement,
    name: UNICODE_NAMES.engineer,
    date,
    notes: plan.practice ? "PRACTICE" : "",
  });
  const list = [
    attest(
      "MES-CELL.colocation",
      "mes-cell",
      "The MES application, database and historian clients are deployed in the MES cell (rack B3).",
    ),
    attest(
      "MES-CELL.countermeasures",
      "mes-cell",
      "Host firewalls, application whitelisting and monthly patching are in place on all MES servers.",
    ),
    attest(
      "MES-PCS.guideline",
      "pcs-guideline",
      "The PCS 7 interface follows the vendor's security concept §5.3, reviewed with Ștefan Popescu.",
    ),
  ];
  if (variant === "good")
    for (const suffix of ["mode", "policy", "anonymous", "user-token", "cert"])
      list.push(
        attest(
          `MES-PCS.opcua.${suffix}`,
          "pcs-opcua",
          `Checked in UaExpert: ${suffix === "mode" ? "only SignAndEncrypt endpoints" : suffix === "policy" ? "only Basic256Sha256 and Aes256_Sha256_RsaPss" : suffix === "anonymous" ? "anonymous access disabled" : suffix === "user-token" ? "user names only over encrypted policies" : "server certificate from the plant CA, fingerprint compared"}.`,
        ),
      );
  return list.filter((a) => findCheck(a.checkId) !== undefined);
}

// ---- a small PKI for the certificates in evidence ---------------------------------------------------------

interface FixtureCertificate extends CertificateInfo {
  key: KeyObject;
}

export interface FixturePki {
  root: FixtureCertificate;
  intermediate: FixtureCertificate;
  leaf: FixtureCertificate;
}

let pkiPromise: Promise<FixturePki> | null = null;

/** Root, issuing CA and a server certificate, RSA 2048, made once per process. */
export function fixturePki(): Promise<FixturePki> {
  pkiPromise ??= Promise.resolve().then(() => {
    const root = makeCertificate("Győr plant root CA", null, true, []);
    const intermediate = makeCertificate(
      "Győr Plant Issuing CA",
      root,
      true,
      [],
    );
    const leaf = makeCertificate("*.gyor.plant.example", intermediate, false, [
      "*.gyor.plant.example",
      "sql01.gyor.plant.example",
    ]);
    return { root, intermediate, leaf };
  });
  return pkiPromise;
}

function makeCertificate(
  commonName: string,
  issuer: FixtureCertificate | null,
  isCA: boolean,
  dnsNames: string[],
): FixtureCertificate {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
  });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(
    publicKey.export({ type: "spki", format: "pem" }).toString(),
  );
  certificate.serialNumber = `0${Math.floor(Math.random() * 1e12).toString(16)}`;
  certificate.validity.notBefore = new Date("2026-01-10T00:00:00Z");
  certificate.validity.notAfter = new Date(
    isCA ? "2036-01-10T00:00:00Z" : "2027-01-10T00:00:00Z",
  );
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const subject = [
    { shortName: "O", value: "Ștefan Industries", valueTagClass: utf8 },
    { shortName: "CN", value: commonName, valueTagClass: utf8 },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(
    issuer === null
      ? subject
      : forge.pki
          .certificateFromPem(issuer.pem)
          .subject.attributes.map((a) => ({
            ...a,
            value: forge.util.decodeUtf8(String(a.value)),
          })),
  );
  certificate.setExtensions([
    { name: "basicConstraints", cA: isCA, critical: true },
    isCA
      ? { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true }
      : {
          name: "keyUsage",
          digitalSignature: true,
          keyEncipherment: true,
          critical: true,
        },
    ...(dnsNames.length > 0
      ? [
          { name: "extKeyUsage", serverAuth: true },
          {
            name: "subjectAltName",
            altNames: dnsNames.map((value) => ({ type: 2, value })),
          },
        ]
      : []),
  ]);
  const signingKey = issuer?.key ?? privateKey;
  certificate.sign(
    {
      sign: () =>
        sign(
          "sha256",
          Buffer.from(
            forge.asn1
              .toDer(
                (certificate as unknown as { tbsCertificate: forge.asn1.Asn1 })
                  .tbsCertificate,
              )
              .getBytes(),
            "binary",
          ),
          signingKey,
        ).toString("binary"),
    } as unknown as forge.pki.rsa.PrivateKey,
    forge.md.sha256.create(),
  );
  const pem = forge.pki.certificateToPem(certificate);
  const details = summarizeCertificate(pem);
  return {
    pem: details.pem,
    subject: details.subject,
    issuer: details.issuer,
    serialNumber: details.serialNumber,
    subjectAltNames: details.subjectAltNames,
    notBefore: details.notBefore,
    notAfter: details.notAfter,
    keyType: details.keyType,
    keyBits: details.keyBits,
    curve: details.curve,
    signatureAlgorithm: details.signatureAlgorithm,
    fingerprintSha256: details.fingerprintSha256,
    selfSigned: details.selfSigned,
    isCA: details.isCA,
    key: privateKey,
  };
}
