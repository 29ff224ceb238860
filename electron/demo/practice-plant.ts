// The practice plant (DESIGN §9): every cell on its own loopback network, each vantage probing from its cell's
// address, servers that refuse sources a real firewall would block, and a plan for all of it — good, or with
// the planted faults of `--broken`, each one failing exactly one check. Everything it makes says PRACTICE.
import { X509Certificate } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Plan, type Endpoint, type PlanInput } from "../../shared/model/plan";
import {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
  writePkcs12,
} from "../engine/identity";
import { writePlanFile } from "../engine/plan-store/plan-file";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../engine/practice/protocol";
import {
  DEFAULT_PORT_BASE,
  practiceAddress,
  practiceNetwork,
} from "./addresses";
import { allowSources } from "./firewall";
import {
  createPracticePki,
  daysFrom,
  issueCertificate,
  pemBundle,
  type PracticeCertificate,
} from "./pki";
import { OPCUA_SECURITY, startOpcuaServer } from "./opcua-server";
import { startTdsEmulator } from "./tds/emulator";
import { selfSignedFallback } from "./tds/fallback";
import { MOZILLA_INTERMEDIATE_CIPHERS } from "./tls-servers";
import { startTimeStampAuthority } from "./practice-tsa";
import { startWebServer } from "./web-servers";

/** What the plant writes into its folder; the broken plant's names end in -broken, so both can live side by side. */
export function practiceFiles(dir: string, broken: boolean) {
  const suffix = broken ? "-broken" : "";
  return {
    plan: join(dir, `practice-plant${suffix}.cellcert.json`),
    identities: `identities${suffix}`,
    rootCa: join(dir, `practice-root-ca${suffix}.pem`),
    engineerCa: join(dir, `practice-engineer-ca${suffix}.pem`),
    certificate: join(dir, `practice-certificate${suffix}.pdf`),
  };
}

/** Where each service listens: base + offset, on its cell's address. */
export const PORT_OFFSETS = {
  http: 80,
  https: 443,
  sql: 1433,
  rdp: 3389,
  opcua: 4840,
  external: 8443,
  /** The practice time-stamping authority (318: the TSP port of RFC 3161 §3.2). */
  tsa: 318,
} as const;

/** The laptop's source address per vantage; the remote site has two, with the VPN up and down. */
export const VANTAGE_SOURCES = {
  enterprise: practiceAddress("enterprise", 10),
  perimeter: practiceAddress("perimeter", 10),
  mes: practiceAddress("mes", 10),
  "remote-site": practiceAddress("remote-site", 10),
  "remote-site-no-vpn": practiceAddress("remote-site", 20),
} as const;

const HOSTS = {
  perimeter: practiceAddress("perimeter", 1),
  mesGateway: practiceAddress("mes", 1),
  mesSite: practiceAddress("mes", 2),
  sql: practiceAddress("database", 1),
  opcua: practiceAddress("process-control", 1),
  external: practiceAddress("external", 1),
  /** The plant's time-stamping authority sits with the enterprise IT. */
  tsa: practiceAddress("enterprise", 5),
} as const;

const NAMES = {
  perimeter: "perimeter.practice.cellcert",
  mesGateway: "mes.practice.cellcert",
  mesSite: "opcenter.practice.cellcert",
  sql: "sql.practice.cellcert",
  opcua: "pcs.practice.cellcert",
  external: "erp.practice.cellcert",
} as const;

const cellPrefix = (cell: Parameters<typeof practiceAddress>[0]): string =>
  practiceAddress(cell, 1).replace(/1$/, "");
const FROM = {
  enterprise: cellPrefix("enterprise"),
  perimeter: cellPrefix("perimeter"),
  mes: cellPrefix("mes"),
  remoteWithVpn: VANTAGE_SOURCES["remote-site"],
};

export interface PracticePlantOptions {
  /** Where the plan, identities and CA files go. */
  dir: string;
  broken: boolean;
  portBase?: number;
  now?: Date;
  /**
   * How the MES gateway asks for client certificates: in the handshake (the good plant's default), or per path
   * after the request as IIS does with "Require client certificates" on a virtual directory — TLS 1.2
   * renegotiation, and over TLS 1.3 a reset as Windows Server 2022 gives (the broken plant's default, where it
   * also serves clients without a certificate). A variant for tests: the good plant stays commissioned with it.
   */
  gatewayClientCertificates?: "handshake" | "per-path";
}

export interface PracticePlant {
  planPath: string;
  /**
   * The practice TSA's URL (http://127.0.1.5:…/), for signing in this session only: the saved plan names no
   * TSA, so a later `certify --plan` works without it.
   */
  timestampAuthority: string;
  /** One line per server: what it is and where. */
  servers: string[];
  stop(): Promise<void>;
}

export async function startPracticePlant(
  options: PracticePlantOptions,
): Promise<PracticePlant> {
  const base = options.portBase ?? DEFAULT_PORT_BASE;
  const port = (service: keyof typeof PORT_OFFSETS): number =>
    base + PORT_OFFSETS[service];
  const now = options.now ?? new Date();
  const broken = options.broken;
  const perPathGateway =
    (options.gatewayClientCertificates ??
      (broken ? "per-path" : "handshake")) === "per-path";
  const gatewayMode = broken
    ? perPathGateway
      ? ("per-path-optional" as const)
      : ("optional" as const)
    : perPathGateway
      ? ("per-path" as const)
      : ("required" as const);
  const files = practiceFiles(options.dir, broken);
  await mkdir(join(options.dir, files.identities), { recursive: true });

  // The plant's PKI: one for servers, one for clients (the perimeter's identity), and the engineer's own.
  const serverPki = createPracticePki({ name: "Cellcert Practice Plant", now });
  const clientPki = createPracticePki({
    name: "Cellcert Practice Clients",
    now,
  });
  const leaf = (
    name: string,
    address: string,
    validity?: { notAfter: Date },
  ): PracticeCertificate =>
    serverPki.issueLeaf({
      commonName: name,
      dnsNames: [name],
      ipAddresses: [address],
      ...validity,
    });
  const perimeterLeaf = leaf(NAMES.perimeter, HOSTS.perimeter);
  const gatewayLeaf = leaf(NAMES.mesGateway, HOSTS.mesGateway);
  // One certificate expires inside the 30-day headroom: the good plant's one warning.
  const siteLeaf = leaf(NAMES.mesSite, HOSTS.mesSite, {
    notAfter: daysFrom(now, 20),
  });
  const sqlLeaf = leaf(NAMES.sql, HOSTS.sql);
  const externalLeaf = leaf(NAMES.external, HOSTS.external);
  const opcuaLeaf = leaf(NAMES.opcua, HOSTS.opcua);
  const clientLeaf = issueCertificate(clientPki.intermediate, {
    commonName: "perimeter-proxy.practice.cellcert",
    organization: "Cellcert Practice Clients",
    extendedKeyUsage: ["clientAuth"],
    notBefore: daysFrom(now, -1),
    notAfter: daysFrom(now, 365),
  });
  const tlsOf = (certificate: PracticeCertificate) => ({
    key: certificate.key.privateKeyPem,
    cert: pemBundle(serverPki.chainOf(certificate)),
  });

  const stops: (() => Promise<void>)[] = [];
  const servers: string[] = [];
  const started = <T extends { close(): Promise<void> }>(
    what: string,
    where: string,
    server: T,
  ): T => {
    stops.push(() => server.close());
    servers.push(`${what.padEnd(52)} ${where}`);
    return server;
  };
  const at = (host: string, p: number): string => `${host}:${p}`;

  try {
    // Perimeter: HTTPS for the enterprise (TLS 1.0 accepted when broken), plain HTTP redirecting to it.
    started(
      `perimeter HTTPS${broken ? " (TLS 1.0 accepted)" : ""}`,
      at(HOSTS.perimeter, port("https")),
      await startWebServer({
        address: HOSTS.perimeter,
        port: port("https"),
        tls: {
          ...tlsOf(perimeterLeaf),
          ...(broken
            ? {
                minVersion: "TLSv1" as const,
                ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:ECDHE-RSA-AES128-SHA:@SECLEVEL=0`,
              }
            : { ciphers: MOZILLA_INTERMEDIATE_CIPHERS }),
        },
        hsts: "max-age=31536000; includeSubDomains",
        routes: { "/": { status: 200, body: "<h1>Practice perimeter</h1>" } },
        allowSource: allowSources(FROM.enterprise, FROM.perimeter),
      }),
    );
    started(
      "perimeter plain HTTP (redirects to https)",
      at(HOSTS.perimeter, port("http")),
      await startWebServer({
        address: HOSTS.perimeter,
        port: port("http"),
        routes: {},
        redirectAllTo: `https://${NAMES.perimeter}:${port("https")}`,
        allowSource: allowSources(FROM.enterprise, FROM.perimeter),
      }),
    );

    // MES: the gateway behind the perimeter requires client certificates — asked for in the handshake, or per
    // path after the request as IIS does; when broken it asks per path and serves clients without one.
    started(
      `MES gateway (${broken ? "anonymous clients accepted" : "client certificates required"}${perPathGateway ? ", per path" : ""})`,
      at(HOSTS.mesGateway, port("https")),
      await startWebServer({
        address: HOSTS.mesGateway,
        port: port("https"),
        tls: {
          ...tlsOf(gatewayLeaf),
          ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
          clientCertificates: {
            mode: gatewayMode,
            ca: [clientPki.root.pem, clientPki.intermediate.pem],
          },
        },
        routes: { "/": { status: 200, body: "<h1>Practice MES</h1>" } },
        allowSource: allowSources(FROM.perimeter, FROM.mes),
      }),
    );

    // The IIS-like site: two virtual directories over HTTPS on an SNI-only binding (HTTP.sys resets a hello
    // without its name; the plan gives the name), plain HTTP redirecting, a port only insiders reach.
    started(
      "MES site HTTPS, SNI only: /Opcenter, /OpcenterApi",
      at(HOSTS.mesSite, port("https")),
      await startWebServer({
        address: HOSTS.mesSite,
        port: port("https"),
        tls: {
          ...tlsOf(siteLeaf),
          ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
          requireServerName: true,
        },
        hsts: "max-age=31536000",
        routes: {
          "/Opcenter": { status: 302, location: "/Opcenter/" },
          "/Opcenter/": { status: 200, body: "<h1>Opcenter</h1>" },
          "/OpcenterApi": {
            status: 401,
            headers: { "WWW-Authenticate": 'Bearer realm="practice"' },
          },
        },
        allowSource: allowSources(FROM.perimeter, FROM.mes, FROM.remoteWithVpn),
      }),
    );
    started(
      "MES site plain HTTP (redirects to https)",
      at(HOSTS.mesSite, port("http")),
      await startWebServer({
        address: HOSTS.mesSite,
        port: port("http"),
        routes: {},
        redirectAllTo: `https://${NAMES.mesSite}:${port("https")}`,
        allowSource: allowSources(FROM.perimeter, FROM.mes),
      }),
    );
    started(
      "MES site remote desktop (insiders only)",
      at(HOSTS.mesSite, port("rdp")),
      await startWebServer({
        address: HOSTS.mesSite,
        port: port("rdp"),
        routes: {},
        allowSource: allowSources(FROM.mes),
      }),
    );

    // The database: forced encryption with a proper certificate, or the self-signed fallback when broken;
    // reachable from the MES cell only — and from the enterprise too when broken.
    started(
      `SQL Server (${broken ? "self-signed fallback, reachable from the enterprise" : "encryption forced"})`,
      at(HOSTS.sql, port("sql")),
      await startTdsEmulator({
        host: HOSTS.sql,
        port: port("sql"),
        encryption: "required",
        certificate: broken
          ? selfSignedFallback(now)
          : {
              key: sqlLeaf.key.privateKeyPem,
              cert: pemBundle(serverPki.chainOf(sqlLeaf)),
            },
        ...(broken && { registryCertificate: "" }),
        serverName: "PRACTICE-SQL",
        logins: [
          {
            user: "mes_app",
            password: PRACTICE_PASSPHRASE,
            viewServerState: true,
          },
        ],
        sessions: [
          {
            login: "mes_app",
            hostName: "MES-APP01",
            programName: "Opcenter Execution",
            encrypted: true,
            authScheme: "SQL",
          },
        ],
        acceptFrom: broken
          ? allowSources(FROM.mes, FROM.enterprise)
          : allowSources(FROM.mes),
      }),
    );

    // Process control: an OPC UA server as the vendor's guideline wants it (SignAndEncrypt, Basic256Sha256, no
    // anonymous access) — or, broken, with a None endpoint, the deprecated Basic128Rsa15 and anonymous access.
    started(
      `OPC UA server (${broken ? "None, Basic128Rsa15, anonymous" : "SignAndEncrypt, Basic256Sha256"})`,
      at(HOSTS.opcua, port("opcua")),
      await startOpcuaServer({
        address: HOSTS.opcua,
        port: port("opcua"),
        security: broken ? OPCUA_SECURITY.broken : OPCUA_SECURITY.good,
        certificatePem: pemBundle(serverPki.chainOf(opcuaLeaf)),
        privateKeyPem: opcuaLeaf.key.privateKeyPem,
        pkiFolder: join(options.dir, `opcua-pki${broken ? "-broken" : ""}`),
        applicationName: "Cellcert Practice Process Control",
        allowSource: allowSources(FROM.mes),
      }),
    );

    // An external system: TLS, or plaintext when broken.
    started(
      `external system (${broken ? "plaintext" : "TLS"})`,
      at(HOSTS.external, port("external")),
      await startWebServer({
        address: HOSTS.external,
        port: port("external"),
        ...(!broken && {
          tls: {
            ...tlsOf(externalLeaf),
            ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
          },
        }),
        routes: { "/": { status: 200, body: "ERP" } },
        allowSource: allowSources(FROM.mes),
      }),
    );
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    throw error;
  }

  // The identities: the perimeter's client identity and the engineer's, under the practice passphrase.
  const engineerCa = await createCommissioningCa({
    company: "Cellcert Practice",
    now,
  });
  const engineer = await createEngineerIdentity({
    name: "Practice Engineer",
    company: "Cellcert Practice",
    now,
    issuer: engineerCa,
  });
  await writeFile(
    join(options.dir, files.identities, "perimeter-client.p12"),
    writePkcs12(
      {
        privateKey: clientLeaf.key.privateKey,
        certificatePem: clientLeaf.pem,
        chainPems: [clientPki.intermediate.pem],
      },
      PRACTICE_PASSPHRASE,
    ),
  );
  await writeFile(
    join(options.dir, files.identities, "practice-engineer.p12"),
    writePkcs12(engineer, PRACTICE_PASSPHRASE),
  );
  await writeFile(files.rootCa, serverPki.root.pem);
  await writeFile(files.engineerCa, engineerCa.certificatePem);

  // The practice TSA, under the practice engineer CA: practice-engineer-ca.pem checks the engineer and it.
  let timestampAuthority: string;
  try {
    const tsa = started(
      "practice time-stamping authority (RFC 3161)",
      at(HOSTS.tsa, port("tsa")),
      await startTimeStampAuthority({
        address: HOSTS.tsa,
        port: port("tsa"),
        identity: await createTimeStampingIdentity({
          name: "Cellcert PRACTICE Time-Stamping Authority",
          company: "Cellcert Practice",
          now,
          issuer: engineerCa,
        }),
      }),
    );
    timestampAuthority = tsa.url;
  } catch (error) {
    await Promise.all(stops.map((stop) => stop()));
    throw error;
  }

  const planPath = files.plan;
  await writePlanFile(
    planPath,
    practicePlan({
      broken,
      base,
      now,
      rootPem: serverPki.root.pem,
      client: { pem: clientLeaf.pem },
      engineer: { pem: engineer.certificatePem },
      identities: files.identities,
    }),
  );
  return {
    planPath,
    timestampAuthority,
    servers,
    stop: async () => {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}

function practicePlan(input: {
  broken: boolean;
  base: number;
  now: Date;
  rootPem: string;
  client: { pem: string };
  engineer: { pem: string };
  identities: string;
}): Plan {
  const { base, now } = input;
  const p = (service: keyof typeof PORT_OFFSETS): number =>
    base + PORT_OFFSETS[service];
  const today = now.toISOString().slice(0, 10);
  const secret = `env:${PRACTICE_PASSPHRASE_VARIABLE}` as const;
  const x509 = (pem: string) => new X509Certificate(pem);
  const root = x509(input.rootPem);
  const endpoint = (
    fields: Partial<Endpoint> &
      Pick<Endpoint, "id" | "name" | "boundary" | "cell" | "kind">,
  ): PlanInput["endpoints"][number] => ({
    host: "",
    ...fields,
  });
  const practiceStatement = (what: string): string =>
    `PRACTICE: pre-attested by the practice plant. In a real plant the engineer attests ${what} as seen on site.`;
  const attestation = (checkId: string, endpointId: string, what: string) => ({
    checkId,
    endpointId,
    statement: practiceStatement(what),
    name: "PRACTICE",
    date: today,
    notes: "",
  });
  const cells = [
    ["enterprise", "Enterprise"],
    ["perimeter", "Perimeter"],
    ["mes", "MES"],
    ["process-control", "Process and Control"],
    ["database", "Database"],
    ["external", "External systems"],
    ["remote-site", "Remote site"],
  ] as const;
  const plan: PlanInput = {
    schemaVersion: 3,
    practice: true,
    plant: {
      name: input.broken ? "Practice Plant (broken)" : "Practice Plant",
      site: "Loopback, 127.0.0.0/8",
      customer: "Cellcert training",
      orderNumber: "PRACTICE",
      startDate: today,
      endDate: today,
      notes: `PRACTICE plant made by cellcert demo${input.broken ? " --broken" : ""}: every server runs on this laptop's loopback addresses.`,
    },
    cells: cells.map(([kind, name]) => ({
      id: kind,
      kind,
      name,
      networks: [practiceNetwork(kind)],
      notes: "PRACTICE",
    })),
    boundaries: [
      ["ENT-PER", "enterprise", "perimeter"],
      ["PER-MES", "perimeter", "mes"],
      ["IIS-BIND", "perimeter", "mes"],
      ["MES-PCS", "mes", "process-control"],
      ["MES-CELL", "mes", "mes"],
      ["APP-DB", "mes", "database"],
      ["APP-EXT", "mes", "external"],
      ["REMOTE", "remote-site", "mes"],
    ].map(([id, from, to]) => ({
      id: id as Plan["boundaries"][number]["id"],
      from: from ?? "",
      to: to ?? "",
    })),
    endpoints: [
      endpoint({
        id: "perimeter-web",
        name: "Perimeter HTTPS",
        boundary: "ENT-PER",
        cell: "perimeter",
        kind: "https",
        host: HOSTS.perimeter,
        port: p("https"),
        serverName: NAMES.perimeter,
        paths: ["/"],
      }),
      endpoint({
        id: "mes-gateway",
        name: "MES gateway (client certificates)",
        boundary: "PER-MES",
        cell: "mes",
        kind: "mtls-https",
        host: HOSTS.mesGateway,
        port: p("https"),
        serverName: NAMES.mesGateway,
        paths: ["/"],
        clientIdentityId: "perimeter-client",
      }),
      endpoint({
        id: "mes-site",
        name: "MES site (Opcenter)",
        boundary: "IIS-BIND",
        cell: "mes",
        kind: "https",
        host: HOSTS.mesSite,
        port: p("https"),
        serverName: NAMES.mesSite,
        paths: ["/Opcenter", "/OpcenterApi"],
      }),
      endpoint({
        id: "process-control-link",
        name: "MES ↔ process control link",
        boundary: "MES-PCS",
        cell: "process-control",
        kind: "manual",
        guideline:
          "PRACTICE: the back-end vendor's security guideline for the process-control link.",
      }),
      endpoint({
        id: "process-control-opcua",
        name: "Process control OPC UA server",
        boundary: "MES-PCS",
        cell: "process-control",
        kind: "opcua",
        host: HOSTS.opcua,
        port: p("opcua"),
      }),
      endpoint({
        id: "mes-cell-composition",
        name: "MES cell composition",
        boundary: "MES-CELL",
        cell: "mes",
        kind: "manual",
      }),
      endpoint({
        id: "sql-server",
        name: "SQL Server of the MES",
        boundary: "APP-DB",
        cell: "database",
        kind: "mssql",
        host: HOSTS.sql,
        port: p("sql"),
        serverName: NAMES.sql,
        credentialId: "mes-app",
        appLogin: "mes_app",
      }),
      endpoint({
        id: "external-system",
        name: "ERP interface",
        boundary: "APP-EXT",
        cell: "external",
        kind: "tls",
        host: HOSTS.external,
        port: p("external"),
        serverName: NAMES.external,
      }),
      endpoint({
        id: "remote-firewall",
        name: "MES seen from the remote site",
        boundary: "REMOTE",
        cell: "mes",
        kind: "tcp",
        host: HOSTS.mesSite,
        port: p("https"),
        allowedPorts: [p("https")],
        deniedPorts: [p("rdp")],
      }),
    ],
    vantages: (
      Object.entries(VANTAGE_SOURCES) as [
        keyof typeof VANTAGE_SOURCES,
        string,
      ][]
    ).map(([id, sourceAddress]) => ({
      id,
      cell: id === "remote-site-no-vpn" ? "remote-site" : id,
      sourceAddress,
      notes:
        id === "remote-site-no-vpn"
          ? "PRACTICE: the remote site with its VPN down."
          : "PRACTICE",
    })),
    trustAnchors: [
      {
        id: "practice-root-ca",
        name: "Cellcert Practice Plant Root CA",
        pem: input.rootPem,
        subject: root.subject.replace(/\n/g, ", "),
        fingerprintSha256: root.fingerprint256,
      },
    ],
    identities: [
      {
        id: "perimeter-client",
        role: "client",
        name: "Perimeter client (PRACTICE)",
        file: `${input.identities}/perimeter-client.p12`,
        passphrase: secret,
        subject: x509(input.client.pem).subject.replace(/\n/g, ", "),
        fingerprintSha256: x509(input.client.pem).fingerprint256,
      },
      {
        id: "practice-engineer",
        role: "engineer",
        name: "Practice Engineer",
        file: `${input.identities}/practice-engineer.p12`,
        passphrase: secret,
        subject: x509(input.engineer.pem).subject.replace(/\n/g, ", "),
        fingerprintSha256: x509(input.engineer.pem).fingerprint256,
      },
    ],
    credentials: [
      {
        id: "mes-app",
        name: "MES application login (PRACTICE)",
        user: "mes_app",
        password: secret,
      },
    ],
    policy: { plainHttpPort: p("http"), timeoutMs: 3000 },
    attestations: [
      attestation(
        "MES-CELL.colocation",
        "mes-cell-composition",
        "that the manufacturing components share the MES cell",
      ),
      attestation(
        "MES-CELL.countermeasures",
        "mes-cell-composition",
        "the countermeasures applied in the MES cell",
      ),
      attestation(
        "MES-PCS.guideline",
        "process-control-link",
        "that the process-control link follows the vendor's guideline",
      ),
      attestation(
        "REMOTE.vpn",
        "remote-firewall",
        "that remote clients reach the MES only through the site-to-site VPN",
      ),
    ],
    signOff: {
      engineer: "Practice Engineer",
      company: "Cellcert Practice",
      identityFingerprint: x509(input.engineer.pem).fingerprint256,
      witnessName: "Practice Witness",
    },
  };
  return Plan.parse(plan);
}
