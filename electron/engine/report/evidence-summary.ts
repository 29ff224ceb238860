// The evidence as an auditor reads it: each probe's record turned into curated tables that are never cut —
// protocols × accepted, the suites per protocol with the weak ones marked, the client-certificate matrix, port ×
// state, each HTTP hop, the chain as sent and as validated with fingerprints. Pure: record in, tables out.
import {
  THRESHOLDS,
  TLS_PROTOCOL_LABELS,
} from "../../../shared/catalog/thresholds";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  MSSQL_EVIDENCE_SCHEMA,
  MssqlEvidenceAnyVersion,
  type MssqlEvidence,
  type TdsTls,
} from "../../../shared/evidence/mssql";
import {
  OPCUA_EVIDENCE_SCHEMA,
  OpcuaEvidenceAnyVersion,
} from "../../../shared/evidence/opcua";
import {
  TLS_EVIDENCE_SCHEMA,
  TlsEvidenceAnyVersion,
  type TlsEvidence,
} from "../../../shared/evidence/tls";
import {
  MSSQL_EVIDENCE_V1,
  OPCUA_EVIDENCE_V1,
  TLS_EVIDENCE_V1,
} from "../../../shared/evidence/schema-names";
import {
  HTTP_EVIDENCE_SCHEMA,
  HttpEvidence,
  MTLS_EVIDENCE_SCHEMA,
  MtlsEvidence,
  TCP_EVIDENCE_SCHEMA,
  TcpEvidence,
  type ClientAttempt,
} from "../../../shared/evidence/web";
import type { Endpoint, Evidence, Run } from "../../../shared/model/plan";
import { weaknessesOf } from "../../../shared/evidence/cipher-suites";
import {
  chainAsSent,
  isCertificate,
  pathAsValidated,
} from "./evidence-certificates";
import { opcuaTables } from "./opcua-endpoints";
import { type Cell, type Column } from "./pdf-writer";

export interface EvidenceTable {
  kind: "table";
  caption: string;
  columns: Column[];
  rows: Cell[][];
}

export interface EvidenceText {
  kind: "text";
  text: string;
}

export type EvidenceBlock = EvidenceTable | EvidenceText;

export { certificatesIn } from "./evidence-certificates";

/** What the summary needs to know about where the record was made. */
export interface EvidenceSetting {
  run: Pick<Run, "vantage">;
  endpoint: Endpoint | undefined;
  /** TLS 1.2 counts as legacy too when the plan's policy asks for TLS 1.3. */
  minimumTlsVersion: "TLSv1.2" | "TLSv1.3";
}

const LEGACY = new Set(["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"]);
const FAILING = new Set<string>(THRESHOLDS.suites.fail);

/** The curated tables of one evidence record; unknown shapes as plain fields. */
export function summarizeEvidence(
  evidence: Pick<Evidence, "probe" | "data">,
  setting: EvidenceSetting,
): EvidenceBlock[] {
  // Each probe's record names its shape; only that schema is tried.
  const data = evidence.data;
  const schema =
    data !== null && typeof data === "object" && !Array.isArray(data)
      ? (data as Record<string, unknown>).schema
      : undefined;
  switch (schema) {
    case TLS_EVIDENCE_SCHEMA:
    case TLS_EVIDENCE_V1: {
      const tls = TlsEvidenceAnyVersion.safeParse(data);
      if (tls.success) return tlsBlocks(tls.data, setting);
      break;
    }
    case MTLS_EVIDENCE_SCHEMA: {
      const mtls = MtlsEvidence.safeParse(data);
      if (mtls.success) return [clientMatrix(mtls.data)];
      break;
    }
    case TCP_EVIDENCE_SCHEMA: {
      const tcp = TcpEvidence.safeParse(data);
      if (tcp.success) return [portTable(tcp.data, setting)];
      break;
    }
    case HTTP_EVIDENCE_SCHEMA: {
      const http = HttpEvidence.safeParse(data);
      if (http.success) return [httpTable(http.data)];
      break;
    }
    case MSSQL_EVIDENCE_SCHEMA:
    case MSSQL_EVIDENCE_V1: {
      const mssql = MssqlEvidenceAnyVersion.safeParse(data);
      if (mssql.success) return mssqlBlocks(mssql.data);
      break;
    }
    case OPCUA_EVIDENCE_SCHEMA:
    case OPCUA_EVIDENCE_V1: {
      const opcua = OpcuaEvidenceAnyVersion.safeParse(data);
      if (opcua.success) return opcuaTables(opcua.data, setting.endpoint);
      break;
    }
  }
  return plainFields(data);
}

// ---- TLS ----------------------------------------------------------------------------------------------------

function tlsBlocks(
  evidence: TlsEvidence,
  setting: EvidenceSetting,
): EvidenceBlock[] {
  const blocks: EvidenceBlock[] = [];
  const legacy = (protocol: string): boolean =>
    LEGACY.has(protocol) ||
    (setting.minimumTlsVersion === "TLSv1.3" && protocol === "TLSv1.2");
  const handshake = evidence.handshake;
  const facts = [
    `Connected to ${evidence.target.address || evidence.target.host}:${evidence.target.port}${evidence.target.serverName === "" ? " without a server name" : ` with the server name ${evidence.target.serverName}`}: ${evidence.unreachable === null ? "open" : evidence.unreachable.kind}; speaks TLS: ${evidence.speaksTls.verdict}${evidence.speaksTls.answer === "" ? "" : ` (${evidence.speaksTls.answer})`}.`,
    handshake === null
      ? "No full handshake completed."
      : `Full handshake: ${protocolLabel(handshake.protocol)}, ${handshake.suite.name}${handshake.group === null ? "" : `, group ${handshake.group}${handshake.groupBits === null ? "" : ` (${handshake.groupBits} bits)`}`}${handshake.alpn === null ? "" : `, ALPN ${handshake.alpn}`}.`,
    evidence.dhBits === null ? "" : `DHE group: ${evidence.dhBits} bits.`,
    `OCSP staple: ${evidence.ocspStaple == null ? "none" : "sent"}. Client certificate asked for: ${evidence.clientCertificateRequested === null ? "unknown" : evidence.clientCertificateRequested ? "yes" : "no"}.`,
    ...[
      ...(evidence.unreachable === null ? [] : [evidence.unreachable]),
      ...evidence.errors,
    ].map((e) => `${e.stage}: ${e.message}`),
  ].filter((line) => line !== "");
  blocks.push({ kind: "text", text: facts.join(" ") });
  if (evidence.protocols.length > 0)
    blocks.push({
      kind: "table",
      caption: "Protocols offered and accepted",
      columns: [
        { header: "Protocol", width: 56 },
        { header: "Accepted", width: 74 },
        { header: "Suites", width: 40, align: "right" },
        { header: "What decided it", width: 329 },
      ],
      rows: evidence.protocols.map((scan) => {
        const bad = scan.accepted === true && legacy(scan.protocol);
        return [
          protocolLabel(scan.protocol),
          {
            text: !scan.tried
              ? "not tried"
              : scan.accepted === null
                ? "could not tell"
                : scan.accepted
                  ? bad
                    ? "✖ accepted"
                    : "✔ accepted"
                  : "refused",
            font: bad ? "bold" : "condensed",
          },
          scan.accepted === true
            ? `${scan.suites.length}${scan.suitesComplete ? "" : "+"}`
            : "—",
          scan.detail,
        ];
      }),
    });
  const suites = evidence.protocols
    .filter((scan) => scan.accepted === true)
    .flatMap((scan) =>
      scan.suites.map((suite) => ({ protocol: scan.protocol, suite })),
    );
  if (suites.length > 0)
    blocks.push({
      kind: "table",
      caption: "Cipher suites accepted, per protocol",
      columns: [
        { header: "Protocol", width: 56 },
        { header: "Suite (IANA name)", width: 250 },
        { header: "Standing", width: 193 },
      ],
      rows: suites.map(({ protocol, suite }) => {
        const weaknesses = weaknessesOf(suite.code, protocol);
        const failing = weaknesses.some((w) => FAILING.has(w));
        const standing =
          weaknesses.length === 0
            ? "✔ forward secrecy, AEAD"
            : `${failing ? "✖" : "▲"} ${weaknesses.map(weaknessWords).join(", ")}`;
        return [
          protocolLabel(protocol),
          {
            text: suite.name,
            font: weaknesses.length > 0 ? "bold" : "condensed",
          },
          {
            text: standing,
            font: weaknesses.length > 0 ? "bold" : "condensed",
          },
        ];
      }),
    });
  if (evidence.chain.length > 0)
    blocks.push(chainAsSent(evidence.chain, "TLS handshake"));
  if (evidence.validatedPath != null)
    blocks.push(...pathAsValidated(evidence.validatedPath, evidence.chain));
  return blocks;
}

function weaknessWords(weakness: string): string {
  const words: Record<string, string> = {
    null: "no encryption (NULL)",
    anonymous: "anonymous",
    export: "EXPORT",
    rc4: "RC4",
    des: "DES",
    "3des": "3DES",
    md5: "MD5",
    "no-forward-secrecy": "no forward secrecy",
    "no-aead": "no AEAD (CBC)",
  };
  return words[weakness] ?? weakness;
}

function protocolLabel(protocol: string): string {
  return (
    (TLS_PROTOCOL_LABELS as Readonly<Record<string, string>>)[protocol] ??
    protocol
  );
}

// ---- client certificates ------------------------------------------------------------------------------------

const CLIENT_WORDS: Record<ClientAttempt["client"], string> = {
  anonymous: "no certificate",
  untrusted: "certificate of an unknown CA (made on the spot)",
  identity: "the plan's client identity",
};

function clientMatrix(evidence: MtlsEvidence): EvidenceTable {
  return {
    kind: "table",
    caption: `Client certificates × TLS versions at ${evidence.host}:${evidence.port}${evidence.path === "" ? "" : evidence.path}`,
    columns: [
      { header: "Client", width: 96 },
      { header: "TLS", width: 34 },
      { header: "Outcome", width: 52 },
      { header: "Refused at", width: 46 },
      { header: "Alert or HTTP status", width: 86 },
      { header: "Asked for a certificate", width: 44 },
      { header: "Detail", width: 141 },
    ],
    rows: evidence.attempts.map((attempt) => {
      const wantsRefusal = attempt.client !== "identity";
      const good =
        attempt.result === "unsupported" || attempt.result === "error"
          ? null
          : (attempt.result === "refused") === wantsRefusal;
      const outcome =
        attempt.result === "accepted"
          ? "served"
          : attempt.result === "refused"
            ? "refused"
            : attempt.result === "unsupported"
              ? "version not offered"
              : "no answer";
      return [
        CLIENT_WORDS[attempt.client],
        protocolLabel(attempt.version),
        {
          text: `${good === null ? "" : good ? "✔ " : "✖ "}${outcome}`,
          font: good === false ? "bold" : "condensed",
        },
        attempt.refusedAt === "" ? "—" : attempt.refusedAt.replace("-", " "),
        [
          attempt.alert,
          attempt.httpStatus === null ? "" : `HTTP ${attempt.httpStatus}`,
        ]
          .filter((s) => s !== "")
          .join("; ") || "—",
        attempt.certificateRequested === null
          ? "unknown"
          : attempt.certificateRequested
            ? "yes"
            : "no",
        attempt.detail,
      ];
    }),
  };
}

// ---- ports --------------------------------------------------------------------------------------------------

function portTable(
  evidence: TcpEvidence,
  setting: EvidenceSetting,
): EvidenceTable {
  const endpoint = setting.endpoint;
  const wanted = (port: number): string => {
    const vantage = setting.run.vantage;
    if (vantage === "remote-site" && endpoint !== undefined) {
      if (endpoint.allowedPorts.includes(port)) return "open";
      if (endpoint.deniedPorts.includes(port)) return "closed";
    }
    if (vantage === "enterprise" || vantage === "remote-site-no-vpn")
      return "closed";
    return "—";
  };
  return {
    kind: "table",
    caption: `Ports of ${evidence.host}${evidence.localAddress === null ? "" : ` from ${evidence.localAddress}`}`,
    columns: [
      { header: "Port", width: 40, align: "right" },
      { header: "Wanted", width: 46 },
      { header: "State", width: 66 },
      { header: "Address", width: 80 },
      { header: "Code", width: 70 },
      { header: "Time", width: 40, align: "right" },
      { header: "What happened", width: 157 },
    ],
    rows: evidence.ports.map((port) => {
      const want = wanted(port.port);
      const open = port.state === "open";
      const bad = want !== "—" && (want === "open") !== open;
      return [
        String(port.port),
        want,
        {
          text: `${want === "—" ? "" : bad ? "✖ " : "✔ "}${port.state}`,
          font: bad ? "bold" : "condensed",
        },
        port.address === "" ? "—" : port.address,
        port.code === "" ? "—" : port.code,
        `${Math.round(port.durationMs)} ms`,
        port.message,
      ];
    }),
  };
}

// ---- HTTP ---------------------------------------------------------------------------------------------------

function httpTable(evidence: HttpEvidence): EvidenceTable {
  return {
    kind: "table",
    caption: `${evidence.scheme === "https" ? "HTTPS" : "Plain HTTP"} requests to ${evidence.host}:${evidence.port}${evidence.clientIdentity ? " with the plan's client identity" : ""}`,
    columns: [
      { header: "Path", width: 62 },
      { header: "Request", width: 150 },
      { header: "Answer", width: 60 },
      { header: "Location", width: 110 },
      { header: "Strict-Transport-Security", width: 117 },
    ],
    rows: evidence.paths.flatMap((path) =>
      path.hops.map((hop, index): Cell[] => [
        index === 0 ? path.path : "↳",
        hop.url,
        hop.status === null
          ? hop.outcome
          : `${hop.status}${hop.error === "" ? "" : ` (${hop.error})`}`,
        headerOf(hop.headers, "location") ?? "—",
        headerOf(hop.headers, "strict-transport-security") ??
          (evidence.scheme === "https" ? "none" : "—"),
      ]),
    ),
  };
}

function headerOf(
  headers: Record<string, string>,
  name: string,
): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}

// ---- SQL Server ---------------------------------------------------------------------------------------------

function mssqlBlocks(evidence: MssqlEvidence): EvidenceBlock[] {
  const tlsText = (tls: TdsTls | null): string =>
    tls === null
      ? "—"
      : tls.completed
        ? `${protocolLabel(tls.protocol ?? "")} ${tls.cipher?.standardName ?? ""}`.trim()
        : (tls.error?.message ?? "handshake failed");
  const prelogin = evidence.prelogin;
  const rows: Cell[][] = [
    [
      "PRELOGIN, encryption OFF sent",
      prelogin === null
        ? "not sent"
        : prelogin.answer === null
          ? prelogin.outcome
          : `encryption ${prelogin.answer.encryption.toUpperCase()} (0x${prelogin.answer.encryptionByte.toString(16).padStart(2, "0")})${prelogin.answer.version === null ? "" : `; ${prelogin.answer.version.product} ${prelogin.answer.version.text}`}`,
    ],
    ["TLS inside PRELOGIN (TDS 7)", tlsText(prelogin?.tls ?? null)],
    [
      "TDS 8.0 (TLS first, ALPN tds/8.0)",
      evidence.tds8 === null
        ? evidence.tds8Skipped === ""
          ? "not tried"
          : `not tried: ${evidence.tds8Skipped}`
        : `${evidence.tds8.outcome}${evidence.tds8.tls === null ? "" : `; ${tlsText(evidence.tds8.tls)}`}`,
    ],
    [
      "SQL login",
      evidence.credentialed === null
        ? evidence.credentialsSkipped === ""
          ? "no credentials in the plan"
          : evidence.credentialsSkipped
        : evidence.credentialed.connected
          ? `${evidence.credentialed.login}: connected; encrypt_option ${evidence.credentialed.session?.encryptOption ?? "unknown"}, auth_scheme ${evidence.credentialed.session?.authScheme ?? "unknown"}; Windows logins only: ${evidence.credentialed.integratedSecurityOnly === null ? "unknown" : evidence.credentialed.integratedSecurityOnly === 1 ? "yes" : "no"}`
          : `${evidence.credentialed.login}: ${evidence.credentialed.error?.message ?? "not connected"}`,
    ],
  ];
  const blocks: EvidenceBlock[] = [
    {
      kind: "table",
      caption: `SQL Server at ${evidence.target.host}:${evidence.target.port ?? "?"} (name ${evidence.target.serverName})`,
      columns: [
        { header: "Exchange", width: 150 },
        { header: "What came back", width: 349 },
      ],
      rows,
    },
  ];
  const chain =
    prelogin?.tls?.chain.length === 0 || prelogin?.tls === undefined
      ? (evidence.tds8?.tls?.chain ?? [])
      : (prelogin.tls?.chain ?? []);
  if (chain.length > 0) blocks.push(chainAsSent(chain, "TLS inside TDS"));
  return blocks;
}

// ---- anything else ------------------------------------------------------------------------------------------

/** Evidence of a shape this report does not know: its certificates as a chain, the rest as named fields. */
function plainFields(data: unknown): EvidenceBlock[] {
  const chains: CertificateInfo[][] = [];
  const rows: Cell[][] = [];
  const walk = (value: unknown, name: string): void => {
    if (
      Array.isArray(value) &&
      value.length > 0 &&
      value.every(isCertificate)
    ) {
      chains.push(value);
      return;
    }
    if (isCertificate(value)) {
      chains.push([value]);
      return;
    }
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
      for (const [key, child] of Object.entries(value))
        if (key !== "pem")
          walk(child, name === "" ? words(key) : `${name}, ${words(key)}`);
      return;
    }
    const text = Array.isArray(value)
      ? value
          .map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v)))
          .join("; ")
      : String(value);
    rows.push([name || "value", text === "" ? "—" : text]);
  };
  walk(data, "");
  const blocks: EvidenceBlock[] = [];
  if (rows.length > 0)
    blocks.push({
      kind: "table",
      caption: "Recorded fields",
      columns: [
        { header: "Field", width: 170 },
        { header: "Value", width: 329 },
      ],
      rows,
    });
  for (const chain of chains) blocks.push(chainAsSent(chain, "as recorded"));
  return blocks;
}

/** "serverName" → "server name" */
function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase();
}
