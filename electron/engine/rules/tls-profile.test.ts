import { describe, expect, it } from "vitest";
import { createPracticePki } from "../../demo/pki";
import {
  TLS_EVIDENCE_SCHEMA,
  TlsEvidence,
  type TlsProtocolScan,
} from "../../../shared/evidence/tls";
import type { TlsProtocol } from "../../../shared/catalog/thresholds";
import { certificateInfoFromDer } from "../x509";
import { judgeTlsProfile, tlsProfileCheckIds } from "./tls-profile";

const now = new Date();
const pki = createPracticePki({ now });
const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });
const chain = pki.chainOf(leaf).map((c) => certificateInfoFromDer(c.der));

function scan(
  protocol: TlsProtocol,
  accepted: boolean | null,
  suites: [number, string][] = [],
  complete = true,
): TlsProtocolScan {
  return {
    protocol,
    tried: true,
    accepted,
    suites: suites.map(([code, name]) => ({ code, name })),
    suitesComplete: complete,
    detail: accepted === null ? "no answer within 5 s" : "",
    connections: 1,
  };
}

const GOOD_SCANS = [
  scan("SSLv2", false),
  scan("SSLv3", false),
  scan("TLSv1", false),
  scan("TLSv1.1", false),
  scan("TLSv1.2", true, [[0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]]),
  scan("TLSv1.3", true, [[0x1301, "TLS_AES_128_GCM_SHA256"]]),
];

function evidence(fields: Partial<TlsEvidence> = {}): TlsEvidence {
  return TlsEvidence.parse({
    schema: TLS_EVIDENCE_SCHEMA,
    target: {
      host: "10.20.0.5",
      port: 443,
      serverName: "mes01.plant.local",
      address: "10.20.0.5",
      localAddress: "",
    },
    endpointKind: "tls",
    startedAt: now.toISOString(),
    durationMs: 80,
    unreachable: null,
    speaksTls: {
      verdict: "yes",
      answer: "tls",
      message: "",
      firstBytesHex: "16",
    },
    handshake: null,
    chain,
    chainSource: "handshake",
    clientCertificateRequested: null,
    dhBits: null,
    protocols: GOOD_SCANS,
    timings: {
      firstAnswerMs: 2,
      enumerationMs: 50,
      handshakeMs: 5,
      connections: 12,
    },
    errors: [],
    ...fields,
  });
}

const judge = async (e: TlsEvidence, policy = {}) =>
  await judgeTlsProfile("ENT-PER", e, {
    anchorsPem: [pki.root.pem],
    publicRoots: false,
    policy,
    now,
  });
const verdicts = async (e: TlsEvidence, policy = {}) =>
  (await judge(e, policy)).map((o) => o.verdict);

describe("the TLS server profile", () => {
  it("names its checks after the boundary, or bare for standalone probes", async () => {
    expect(tlsProfileCheckIds("ENT-PER")).toEqual({
      protocol: "ENT-PER.tls.protocol",
      suites: "ENT-PER.tls.suites",
      chain: "ENT-PER.cert.chain",
      name: "ENT-PER.cert.name",
      validity: "ENT-PER.cert.validity",
      strength: "ENT-PER.cert.strength",
    });
    expect(
      (
        await judgeTlsProfile("", evidence(), {
          anchorsPem: [],
          publicRoots: false,
          policy: {},
          now,
        })
      ).map((o) => o.checkId),
    ).toEqual([
      "tls.protocol",
      "tls.suites",
      "cert.chain",
      "cert.name",
      "cert.validity",
      "cert.strength",
    ]);
  });

  it("passes a good endpoint with measured values and thresholds", async () => {
    const [protocol, suites] = await judge(evidence());
    expect(await verdicts(evidence())).toEqual([
      "pass",
      "pass",
      "pass",
      "pass",
      "pass",
      "pass",
    ]);
    expect(protocol).toMatchObject({
      measured: "TLS 1.2, TLS 1.3",
      threshold: "TLS 1.2 or newer only; warns when TLS 1.3 is not offered",
    });
    expect(suites?.measured).toBe("2 suites accepted (TLS 1.2: 1, TLS 1.3: 1)");
  });

  it("lets the policy demand TLS 1.3 only, never allow less", async () => {
    const [protocol] = await judge(evidence(), {
      minimumTlsVersion: "TLSv1.3",
    });
    expect(protocol).toMatchObject({
      verdict: "fail",
      threshold: "TLS 1.3 only (the plan's policy)",
    });
    expect(protocol?.message).toBe(
      "The server accepts TLS 1.2: switch it off and allow only TLS 1.3 (the plan's policy).",
    );
  });

  it("says not-tested, not pass, when a legacy protocol could not be told", async () => {
    const unknownTls10 = evidence({
      protocols: GOOD_SCANS.map((s) =>
        s.protocol === "TLSv1" ? scan("TLSv1", null) : s,
      ),
    });
    const [protocol] = await judge(unknownTls10);
    expect(protocol).toMatchObject({
      verdict: "not-tested",
      reason: "probe incomplete",
    });
    expect(protocol?.message).toMatch(
      /could not tell whether the server accepts TLS 1\.0 \(TLS 1\.0: no answer within 5 s\)/,
    );
  });

  it("fails an accepted legacy protocol even when others could not be told", async () => {
    const mixed = evidence({
      protocols: GOOD_SCANS.map((s) =>
        s.protocol === "TLSv1"
          ? scan("TLSv1", true, [
              [0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"],
            ])
          : s.protocol === "SSLv3"
            ? scan("SSLv3", null)
            : s,
      ),
    });
    expect((await judge(mixed))[0]?.verdict).toBe("fail");
  });

  it("does not pass suites whose enumeration stopped early, unless one already fails", async () => {
    const incomplete = evidence({
      protocols: GOOD_SCANS.map((s) =>
        s.protocol === "TLSv1.2" ? { ...s, suitesComplete: false } : s,
      ),
    });
    expect((await judge(incomplete))[1]).toMatchObject({
      verdict: "not-tested",
      reason: "probe incomplete",
    });
    const failing = evidence({
      protocols: GOOD_SCANS.map((s) =>
        s.protocol === "TLSv1.2"
          ? scan(
              "TLSv1.2",
              true,
              [[0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"]],
              false,
            )
          : s,
      ),
    });
    expect((await judge(failing))[1]).toMatchObject({ verdict: "fail" });
    expect((await judge(failing))[1]?.message).toMatch(
      /3DES: TLS_RSA_WITH_3DES_EDE_CBC_SHA/,
    );
  });

  it("counts the full handshake's protocol as accepted", async () => {
    const onlyHandshake = evidence({
      protocols: GOOD_SCANS.map((s) =>
        s.protocol === "TLSv1.3" ? scan("TLSv1.3", null) : s,
      ),
      handshake: {
        protocol: "TLSv1.3",
        suite: { code: 0x1301, name: "TLS_AES_128_GCM_SHA256" },
        libraryName: "TLS_AES_128_GCM_SHA256",
        alpn: null,
        group: "X25519",
        groupBits: 253,
        durationMs: 4,
      },
    });
    expect((await judge(onlyHandshake))[0]?.verdict).toBe("pass");
  });

  it("judges nothing when unreachable, and only tls.protocol when the endpoint does not speak TLS", async () => {
    const unreachable = evidence({
      unreachable: {
        stage: "connect",
        kind: "refused",
        protocol: null,
        code: "ECONNREFUSED",
        message:
          "Nothing is listening on 10.20.0.5:443: the connection was refused.",
      },
    });
    expect(
      (await judge(unreachable)).every(
        (o) => o.verdict === "not-tested" && o.reason === "unreachable",
      ),
    ).toBe(true);
    // Stop pressed while the probe ran: nothing is judged either, and the reason says so.
    const stopped = evidence({
      unreachable: {
        stage: "enumeration",
        kind: "stopped",
        protocol: null,
        code: "ABORT_ERR",
        message:
          "The probe was stopped before it finished, so nothing was judged.",
      },
    });
    expect((await judge(stopped)).map((o) => o.reason)).toEqual(
      Array(6).fill("stopped"),
    );
    const plaintext = evidence({
      speaksTls: {
        verdict: "no",
        answer: "plaintext-http",
        message: "The server at 10.20.0.5:443 answered with plain HTTP.",
        firstBytesHex: "48",
      },
    });
    const outcomes = await judge(plaintext);
    expect(outcomes.map((o) => o.verdict)).toEqual([
      "fail",
      "not-tested",
      "not-tested",
      "not-tested",
      "not-tested",
      "not-tested",
    ]);
    expect(outcomes[2]).toMatchObject({
      reason: "prerequisite failed",
      message:
        "Not judged: ENT-PER.tls.protocol failed on this endpoint, and this check builds on it.",
    });
  });

  it("fails DHE with a small group on tls.suites", async () => {
    expect((await judge(evidence({ dhBits: 1024 })))[1]?.message).toMatch(
      /1024-bit group/,
    );
  });

  it("leaves the certificate not-tested, with the reason, when the handshake showed none", async () => {
    const noChain = evidence({
      chain: [],
      chainSource: "none",
      errors: [
        {
          stage: "handshake",
          kind: "alert",
          protocol: null,
          code: "ERR_SSL_TLSV1_ALERT_X",
          message:
            "The server refused the TLS handshake with the alert handshake_failure.",
        },
      ],
    });
    const cert = (await judge(noChain)).slice(2);
    expect(
      cert.every(
        (o) => o.verdict === "not-tested" && o.reason === "no certificate",
      ),
    ).toBe(true);
    expect(cert[0]?.message).toBe(
      "No certificate was seen: The server refused the TLS handshake with the alert handshake_failure.",
    );
  });

  it("checks the name the plan gives, over the evidence's SNI name", async () => {
    const outcomes = await judgeTlsProfile("ENT-PER", evidence(), {
      anchorsPem: [pki.root.pem],
      publicRoots: false,
      policy: {},
      serverName: "mes02.plant.local",
      now,
    });
    expect(outcomes[3]?.verdict).toBe("fail");
  });
});
