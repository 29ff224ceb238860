// The fault matrix: real TLS servers on 127.0.0.1, each with one known fault (or none), and the exact verdict
// of each of the six TLS-profile checks — proof that Cellcert judges every one right.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  EC_P256,
  createPracticePki,
  createSelfSigned,
  daysFrom,
  dhParametersPem,
  generateKey,
  issueCertificate,
  type PracticeCertificate,
  type PracticePki,
} from "../../electron/demo/pki";
import {
  MOZILLA_INTERMEDIATE_CIPHERS,
  startHostileServer,
  startTlsServer,
  type PracticeTlsServerOptions,
  type RunningServer,
} from "../../electron/demo/tls-servers";
import { judgeTlsProfile } from "../../electron/engine/rules/tls-profile";
import { probeTls } from "../../electron/engine/protocols/tls";
import type { TlsEvidence } from "../../shared/evidence/tls";
import type { MeasuredVerdict } from "../../shared/plant-words";
import type { CheckOutcome } from "../../shared/verdicts/outcome";

type Six = [
  protocol: MeasuredVerdict,
  suites: MeasuredVerdict,
  chain: MeasuredVerdict,
  name: MeasuredVerdict,
  validity: MeasuredVerdict,
  strength: MeasuredVerdict,
];

interface Fixtures {
  pki: PracticePki;
  ecPki: PracticePki;
  foreign: PracticePki;
  leaf: (
    request?: Partial<Parameters<PracticePki["issueLeaf"]>[0]>,
  ) => PracticeCertificate;
}

interface Case {
  name: string;
  /** The server, or a hostile one, or null for a closed port. */
  server: (
    f: Fixtures,
  ) => PracticeTlsServerOptions | { hostile: "plaintext-http" } | null;
  serverName?: string;
  anchors?: (f: Fixtures) => string[];
  expected: Six;
  /** Messages that must appear, by check suffix. */
  says?: Partial<
    Record<
      "protocol" | "suites" | "chain" | "name" | "validity" | "strength",
      RegExp
    >
  >;
}

const NAME = "mes01.plant.local";
const PASS: Six = ["pass", "pass", "pass", "pass", "pass", "pass"];
const NOT_TESTED: Six = [
  "not-tested",
  "not-tested",
  "not-tested",
  "not-tested",
  "not-tested",
  "not-tested",
];
const now = new Date();

const CASES: Case[] = [
  {
    name: "good RSA chain, Mozilla intermediate",
    server: (f) => ({ chain: f.pki.chainOf(f.leaf()) }),
    expected: PASS,
  },
  {
    name: "good ECDSA P-256 chain",
    server: (f) => ({
      chain: f.ecPki.chainOf(
        f.ecPki.issueLeaf({ commonName: NAME, key: EC_P256 }),
      ),
    }),
    anchors: (f) => [f.ecPki.root.pem],
    expected: PASS,
  },
  {
    name: "TLS 1.3 only",
    server: (f) => ({ chain: f.pki.chainOf(f.leaf()), minVersion: "TLSv1.3" }),
    expected: PASS,
  },
  {
    name: "TLS 1.2 only (no TLS 1.3)",
    server: (f) => ({ chain: f.pki.chainOf(f.leaf()), maxVersion: "TLSv1.2" }),
    expected: ["warn", "pass", "pass", "pass", "pass", "pass"],
    says: { protocol: /but not TLS 1\.3: enable TLS 1\.3/ },
  },
  {
    name: "TLS 1.0 accepted (legacy, security level 0)",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      minVersion: "TLSv1",
      securityLevel: 0,
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:ECDHE-RSA-AES128-SHA`,
    }),
    expected: ["fail", "warn", "pass", "pass", "pass", "pass"],
    says: {
      protocol: /^The server accepts TLS 1\.0 and TLS 1\.1: switch them off/,
    },
  },
  {
    name: "TLS 1.1 accepted",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      minVersion: "TLSv1.1",
      securityLevel: 0,
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:ECDHE-RSA-AES128-SHA`,
    }),
    expected: ["fail", "warn", "pass", "pass", "pass", "pass"],
    says: { protocol: /^The server accepts TLS 1\.1: switch it off/ },
  },
  {
    name: "NULL suite accepted",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      securityLevel: 0,
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:ECDHE-RSA-NULL-SHA`,
    }),
    expected: ["pass", "fail", "pass", "pass", "pass", "pass"],
    says: { suites: /no encryption \(NULL\).*TLS_ECDHE_RSA_WITH_NULL_SHA/ },
  },
  {
    name: "anonymous suite accepted",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      securityLevel: 0,
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:AECDH-AES128-SHA`,
    }),
    expected: ["pass", "fail", "pass", "pass", "pass", "pass"],
    says: { suites: /anonymous.*TLS_ECDH_anon_WITH_AES_128_CBC_SHA/ },
  },
  {
    name: "suite without forward secrecy (RSA key exchange)",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:AES128-GCM-SHA256`,
    }),
    expected: ["pass", "warn", "pass", "pass", "pass", "pass"],
    says: {
      suites: /without forward secrecy \(TLS_RSA_WITH_AES_128_GCM_SHA256\)/,
    },
  },
  {
    name: "CBC suite in TLS 1.2",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:ECDHE-RSA-AES128-SHA256`,
    }),
    expected: ["pass", "warn", "pass", "pass", "pass", "pass"],
    says: {
      suites:
        /without AEAD, in CBC mode \(TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256\)/,
    },
  },
  {
    name: "DHE with a 1024-bit group",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      securityLevel: 0,
      dhparam: dhParametersPem("modp2"),
      ciphers: `${MOZILLA_INTERMEDIATE_CIPHERS}:DHE-RSA-AES128-GCM-SHA256`,
    }),
    expected: ["pass", "fail", "pass", "pass", "pass", "pass"],
    says: { suites: /1024-bit group/ },
  },
  {
    name: "expired leaf",
    server: (f) => ({
      chain: f.pki.chainOf(
        f.leaf({
          notBefore: daysFrom(now, -400),
          notAfter: daysFrom(now, -54.5),
        }),
      ),
    }),
    expected: ["pass", "pass", "pass", "pass", "fail", "pass"],
    says: {
      validity:
        /^The certificate for mes01\.plant\.local expired on \d{4}-\d\d-\d\d \(54 days ago\)/,
    },
  },
  {
    name: "leaf not yet valid",
    server: (f) => ({
      chain: f.pki.chainOf(
        f.leaf({ notBefore: daysFrom(now, 3), notAfter: daysFrom(now, 300) }),
      ),
    }),
    expected: ["pass", "pass", "pass", "pass", "fail", "pass"],
    says: { validity: /is not valid until/ },
  },
  {
    name: "leaf expiring inside the headroom",
    server: (f) => ({
      chain: f.pki.chainOf(
        f.leaf({
          notBefore: daysFrom(now, -300),
          notAfter: daysFrom(now, 12.5),
        }),
      ),
    }),
    expected: ["pass", "pass", "pass", "pass", "warn", "pass"],
    says: { validity: /in 12 days — inside the 30-day headroom/ },
  },
  {
    name: "wrong name",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf({ commonName: "mes02.plant.local" })),
    }),
    expected: ["pass", "pass", "pass", "fail", "pass", "pass"],
    says: {
      name: /not valid for the name mes01\.plant\.local: its subjectAltName lists mes02\.plant\.local/,
    },
  },
  {
    name: "name only in the Common Name",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf({ omitSubjectAltName: true })),
    }),
    expected: ["pass", "pass", "pass", "fail", "pass", "pass"],
    says: { name: /only in the Common Name/ },
  },
  {
    name: "self-signed leaf",
    server: () => ({ chain: [createSelfSigned({ commonName: NAME })] }),
    expected: ["pass", "pass", "fail", "pass", "pass", "pass"],
    says: { chain: /is self-signed and not among the trust anchors/ },
  },
  {
    name: "chain from an unknown CA",
    server: (f) => ({
      chain: f.foreign.chainOf(f.foreign.issueLeaf({ commonName: NAME })),
    }),
    expected: ["pass", "pass", "fail", "pass", "pass", "pass"],
    says: {
      chain:
        /issued by «CN=Elsewhere Root CA, O=Elsewhere», which is not among the trust anchors/,
    },
  },
  {
    name: "omitted intermediate",
    server: (f) => ({ chain: [f.leaf()] }),
    expected: ["pass", "pass", "fail", "pass", "pass", "pass"],
    says: {
      chain:
        /^The chain is incomplete: the server does not send the certificate of «CN=Cellcert Practice Issuing CA/,
    },
  },
  {
    name: "RSA-1024 leaf",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf({ key: { type: "rsa", bits: 1024 } })),
      securityLevel: 0,
    }),
    expected: ["pass", "pass", "pass", "pass", "pass", "fail"],
    says: {
      strength: /has a 1024-bit RSA key; at least 2048 bits are required/,
    },
  },
  {
    name: "SHA-1-signed intermediate",
    server: (f) => {
      const sha1Ca = issueCertificate(f.pki.root, {
        commonName: "Legacy Issuing CA",
        isCA: true,
        signatureHash: "sha1",
      });
      return {
        chain: [
          issueCertificate(sha1Ca, { commonName: NAME, key: f.leaf().key }),
          sha1Ca,
        ],
        securityLevel: 0,
      };
    },
    expected: ["pass", "pass", "pass", "pass", "pass", "fail"],
    says: { strength: /«Legacy Issuing CA» is signed with SHA-1/ },
  },
  {
    name: "MD5-signed leaf",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf({ signatureHash: "md5" })),
      securityLevel: 0,
    }),
    expected: ["pass", "pass", "pass", "pass", "pass", "fail"],
    says: { strength: /signed with MD5/ },
  },
  {
    name: "IP address in subjectAltName, probed by address",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf({ ipAddresses: ["127.0.0.1"] })),
    }),
    serverName: "",
    expected: PASS,
  },
  {
    name: "wildcard certificate",
    server: (f) => ({
      chain: f.pki.chainOf(
        f.leaf({ commonName: "*.plant.local", dnsNames: ["*.plant.local"] }),
      ),
    }),
    expected: PASS,
  },
  {
    name: "client certificate demanded, TLS 1.2 only (chain read from the TLS 1.2 flight)",
    server: (f) => ({
      chain: f.pki.chainOf(f.leaf()),
      maxVersion: "TLSv1.2",
      requestCert: true,
      rejectUnauthorized: true,
      clientCa: [f.pki.root.pem],
    }),
    expected: ["warn", "pass", "pass", "pass", "pass", "pass"],
  },
  {
    name: "plain HTTP where TLS is required",
    server: () => ({ hostile: "plaintext-http" }),
    expected: [
      "fail",
      "not-tested",
      "not-tested",
      "not-tested",
      "not-tested",
      "not-tested",
    ],
    says: {
      protocol:
        /answered a TLS ClientHello with plain HTTP \("HTTP\/1\.1 400 Bad Request"\)/,
    },
  },
  {
    name: "closed port",
    server: () => null,
    expected: NOT_TESTED,
    says: {
      protocol:
        /Nothing is listening on 127\.0\.0\.1:\d+: the connection was refused/,
    },
  },
];

let fixtures: Fixtures;
const running: RunningServer[] = [];
const summary: string[] = [];

beforeAll(() => {
  const pki = createPracticePki({ now });
  const leafKey = generateKey({ type: "rsa", bits: 2048 });
  fixtures = {
    pki,
    ecPki: createPracticePki({ name: "Cellcert EC", now, key: EC_P256 }),
    foreign: createPracticePki({ name: "Elsewhere", now }),
    leaf: (request = {}) =>
      pki.issueLeaf({ commonName: NAME, key: leafKey, ...request }),
  };
});

afterAll(async () => {
  await Promise.all(running.map((server) => server.close()));
  console.log(
    `\nTLS fault matrix (protocol, suites, chain, name, validity, strength):\n${summary.join("\n")}`,
  );
});

async function start(testCase: Case): Promise<number> {
  const spec = testCase.server(fixtures);
  if (spec === null) {
    const server = await startHostileServer({ behaviour: "silence" });
    await server.close();
    return server.port;
  }
  const server =
    "hostile" in spec
      ? await startHostileServer({ behaviour: spec.hostile })
      : await startTlsServer(spec);
  running.push(server);
  return server.port;
}

describe("the TLS fault matrix", () => {
  it("has at least 17 servers", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(17);
  });

  for (const testCase of CASES) {
    it(`judges "${testCase.name}" right`, async () => {
      const port = await start(testCase);
      const serverName = testCase.serverName ?? NAME;
      const evidence: TlsEvidence = await probeTls(
        { host: "127.0.0.1", port, serverName },
        {
          endpointKind: "tls",
          policy: {
            timeoutMs: 3000,
            maxConnectionsPerHost: 2,
            maxConnections: 16,
          },
        },
      );
      const outcomes: CheckOutcome[] = await judgeTlsProfile(
        "PER-MES",
        evidence,
        {
          anchorsPem: testCase.anchors?.(fixtures) ?? [fixtures.pki.root.pem],
          publicRoots: false,
          policy: {},
          now,
        },
      );
      expect(outcomes.map((o) => o.checkId)).toEqual([
        "PER-MES.tls.protocol",
        "PER-MES.tls.suites",
        "PER-MES.cert.chain",
        "PER-MES.cert.name",
        "PER-MES.cert.validity",
        "PER-MES.cert.strength",
      ]);
      const verdicts = outcomes.map((o) => o.verdict);
      summary.push(`  ${testCase.name.padEnd(78)} ${verdicts.join(", ")}`);
      expect(
        verdicts,
        outcomes
          .map((o) => `${o.checkId}: ${o.verdict} — ${o.message}`)
          .join("\n"),
      ).toEqual(testCase.expected);
      for (const [suffix, pattern] of Object.entries(testCase.says ?? {})) {
        const found = outcomes.find((o) => o.checkId.endsWith(`.${suffix}`));
        expect(found?.message).toMatch(pattern);
      }
      // Every outcome is something an engineer can act on.
      for (const o of outcomes) expect(o.message).toMatch(/^[A-Z«].*[.)]$/s);
    });
  }
});

describe("the handshake's addressing", () => {
  it("sends SNI for DNS names (resolved through the lookup), none for IP addresses, from the vantage's address", async () => {
    const seen: { servername: string | false | null; from: string }[] = [];
    const server = await startTlsServer({
      chain: fixtures.pki.chainOf(
        fixtures.leaf({ ipAddresses: ["127.0.0.1"] }),
      ),
      acceptFrom: (address) => address === "127.0.3.10",
      onConnection: (socket) => {
        seen.push({
          servername: socket.servername,
          from: socket.remoteAddress ?? "",
        });
        socket.end();
      },
    });
    running.push(server);
    const policy = {
      timeoutMs: 3000,
      maxConnectionsPerHost: 2,
      maxConnections: 16,
    };
    const lookup = (host: string) =>
      host === NAME
        ? Promise.resolve({ address: "127.0.0.1", family: 4 as const })
        : Promise.reject(new Error(host));
    const byName = await probeTls(
      { host: NAME, port: server.port },
      { endpointKind: "https", policy, lookup, localAddress: "127.0.3.10" },
    );
    expect(byName.target).toMatchObject({
      host: NAME,
      serverName: NAME,
      address: "127.0.0.1",
      localAddress: "127.0.3.10",
    });
    expect(byName.handshake?.alpn).toBe(null);
    const byAddress = await probeTls(
      { host: "127.0.0.1", port: server.port },
      { endpointKind: "tls", policy, localAddress: "127.0.3.10" },
    );
    expect(byAddress.target.serverName).toBe("");
    expect(seen).toEqual([
      { servername: NAME, from: "127.0.3.10" },
      { servername: false, from: "127.0.3.10" },
    ]);
    const judged = await judgeTlsProfile("", byAddress, {
      anchorsPem: [fixtures.pki.root.pem],
      publicRoots: false,
      policy: {},
      now,
    });
    expect(judged.map((o) => o.verdict)).toEqual(PASS);
  });
});
