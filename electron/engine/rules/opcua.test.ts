import { beforeAll, describe, expect, it } from "vitest";
import {
  OPCUA_EVIDENCE_SCHEMA,
  type OpcuaEndpoint,
  type OpcuaEvidence,
  type OpcuaSecurityMode,
  type OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { createPracticePki, daysFrom } from "../../demo/pki";
import { certificateInfoFromDer } from "../x509";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import { judgeOpcua, OPCUA_CHECKS, tokenInClear } from "./opcua";

const HOST = "10.50.0.30";
const now = new Date("2026-06-01T12:00:00Z");
const P = "http://opcfoundation.org/UA/SecurityPolicy#";

let anchorPem: string;
let chain: CertificateInfo[];
let expiredChain: CertificateInfo[];
let otherChain: CertificateInfo[];
beforeAll(() => {
  const pki = createPracticePki({ now });
  anchorPem = pki.root.pem;
  const leaf = pki.issueLeaf({ commonName: "pcs01", ipAddresses: [HOST] });
  chain = [leaf, pki.intermediate].map((c) => certificateInfoFromDer(c.der));
  const expired = pki.issueLeaf({
    commonName: "pcs01",
    ipAddresses: [HOST],
    notBefore: daysFrom(now, -400),
    notAfter: daysFrom(now, -3),
  });
  expiredChain = [expired, pki.intermediate].map((c) =>
    certificateInfoFromDer(c.der),
  );
  const other = pki.issueLeaf({ commonName: "pcs02", ipAddresses: [HOST] });
  otherChain = [other, pki.intermediate].map((c) =>
    certificateInfoFromDer(c.der),
  );
});

const token = (
  tokenType: OpcuaUserTokenPolicy["tokenType"],
  policy = "",
  policyId: string = tokenType,
): OpcuaUserTokenPolicy => ({
  policyId,
  tokenType,
  tokenTypeValue: [
    "anonymous",
    "user-name",
    "certificate",
    "issued-token",
  ].indexOf(tokenType),
  issuedTokenType: "",
  issuerEndpointUrl: "",
  securityPolicyUri: policy === "" ? "" : `${P}${policy}`,
});

const MODE_VALUE: Record<OpcuaSecurityMode, number> = {
  invalid: 0,
  none: 1,
  sign: 2,
  "sign-and-encrypt": 3,
  unknown: 7,
};

function endpoint(
  securityMode: OpcuaSecurityMode,
  policy: string,
  tokens: OpcuaUserTokenPolicy[] = [token("user-name")],
  certificates: CertificateInfo[] = chain,
): OpcuaEndpoint {
  return {
    endpointUrl: `opc.tcp://${HOST}:4840`,
    securityMode,
    securityModeValue: MODE_VALUE[securityMode],
    securityPolicyUri: `${P}${policy}`,
    securityLevel: 1,
    transportProfileUri:
      "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary",
    server: {
      applicationUri: "urn:pcs01",
      productUri: "urn:vendor:product",
      applicationName: "PCS 01",
      applicationType: "server",
    },
    serverCertificateChain: certificates,
    serverCertificateError: "",
    userIdentityTokens: tokens,
  };
}

function evidence(
  endpoints: OpcuaEndpoint[],
  overrides: Partial<OpcuaEvidence> = {},
): OpcuaEvidence {
  return {
    schema: OPCUA_EVIDENCE_SCHEMA,
    target: {
      host: HOST,
      port: 4840,
      path: "",
      url: `opc.tcp://${HOST}:4840`,
      localAddress: null,
    },
    startedAt: now.toISOString(),
    durationMs: 12,
    timings: {
      connectMs: 1,
      helloMs: 2,
      openSecureChannelMs: 3,
      getEndpointsMs: 4,
    },
    unreachable: null,
    hello: {
      outcome: "answered",
      acknowledge: {
        protocolVersion: 0,
        receiveBufferSize: 65535,
        sendBufferSize: 65535,
        maxMessageSize: 0,
        maxChunkCount: 0,
      },
      statusCode: null,
      error: null,
    },
    secureChannel: {
      outcome: "answered",
      channelId: 1,
      tokenId: 1,
      revisedLifetimeMs: 60000,
      statusCode: 0,
      error: null,
    },
    getEndpoints: {
      outcome: "answered",
      statusCode: 0,
      chunks: 1,
      bytes: 1000,
      endpoints,
      error: null,
    },
    ...overrides,
  };
}

const judge = async (e: OpcuaEvidence, anchors: string[] = [anchorPem]) =>
  await judgeOpcua(e, {
    anchorsPem: anchors,
    publicRoots: false,
    headroomDays: 30,
    now,
  });

function check(outcomes: CheckOutcome[], suffix: string): CheckOutcome {
  const found = outcomes.find((o) => o.checkId === `MES-PCS.opcua.${suffix}`);
  if (found === undefined) throw new Error(suffix);
  return found;
}

const GOOD = () => [endpoint("sign-and-encrypt", "Basic256Sha256")];

describe("the MES-PCS OPC UA rules", () => {
  it("pass the guideline's configuration, in catalog order, with measured value and threshold", async () => {
    const outcomes = await judge(evidence(GOOD()));
    expect(outcomes.map((o) => o.checkId)).toEqual([...OPCUA_CHECKS]);
    expect(outcomes.map((o) => o.verdict)).toEqual(Array(5).fill("pass"));
    for (const o of outcomes) {
      expect(o.measured, o.checkId).not.toBe("");
      expect(o.threshold, o.checkId).not.toBe("");
    }
    expect(check(outcomes, "mode").measured).toBe("SignAndEncrypt ×1");
    expect(check(outcomes, "user-token").measured).toBe(
      "Basic256Sha256 (the endpoint's)",
    );
  });

  describe(".mode", () => {
    it("fails None, naming the endpoint and what to do", async () => {
      const o = check(
        await judge(evidence([endpoint("none", "None"), ...GOOD()])),
        "mode",
      );
      expect(o.verdict).toBe("fail");
      expect(o.measured).toBe("None ×1, SignAndEncrypt ×1");
      expect(o.message).toMatch(/offers security mode None \(None\/None\)/);
      expect(o.message).toMatch(/Remove the None endpoint/);
    });

    it("warns for Sign without encryption", async () => {
      const o = check(
        await judge(evidence([endpoint("sign", "Basic256Sha256"), ...GOOD()])),
        "mode",
      );
      expect(o.verdict).toBe("warn");
      expect(o.message).toMatch(
        /Sign without encryption \(Sign\/Basic256Sha256\)/,
      );
    });

    it("fails a mode OPC UA does not define", async () => {
      const o = check(
        await judge(evidence([endpoint("unknown", "Basic256Sha256")])),
        "mode",
      );
      expect(o.verdict).toBe("fail");
      expect(o.measured).toBe("unknown (7) ×1");
    });

    it("fails a server that lists no endpoint, and judges nothing else", async () => {
      const outcomes = await judge(evidence([]));
      expect(outcomes.map((o) => o.verdict)).toEqual([
        "fail",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
      ]);
      expect(check(outcomes, "mode").message).toMatch(/lists no endpoint/);
    });
  });

  describe(".policy", () => {
    it("fails Basic128Rsa15 and Basic256 on endpoints and on user tokens, naming where", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("none", "None", [token("user-name", "Basic256")]),
            endpoint("sign-and-encrypt", "Basic128Rsa15"),
          ]),
        ),
        "policy",
      );
      expect(o.verdict).toBe("fail");
      expect(o.measured).toBe("Basic256, Basic128Rsa15");
      expect(o.message).toMatch(
        /Basic256 \(user tokens on the None\/None endpoint\), Basic128Rsa15 \(the SignAndEncrypt\/Basic128Rsa15 endpoint\)/,
      );
    });

    it("warns for a policy Cellcert does not know", async () => {
      const o = check(
        await judge(evidence([endpoint("sign-and-encrypt", "Basic512Sha999")])),
        "policy",
      );
      expect(o.verdict).toBe("warn");
      expect(o.message).toMatch(/does not know: Basic512Sha999/);
    });

    it("fails an endpoint that claims to sign with the policy None", async () => {
      expect(
        check(await judge(evidence([endpoint("sign", "None")])), "policy")
          .verdict,
      ).toBe("fail");
    });

    it("is not tested when nothing but None is offered (that fault is .mode's)", async () => {
      const outcomes = await judge(evidence([endpoint("none", "None")]));
      expect(check(outcomes, "mode").verdict).toBe("fail");
      expect(check(outcomes, "policy")).toMatchObject({
        verdict: "not-tested",
        reason: "no secured endpoint",
      });
    });

    it("passes the current policies", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Aes256_Sha256_RsaPss"),
            endpoint("sign-and-encrypt", "Aes128_Sha256_RsaOaep"),
            endpoint("sign-and-encrypt", "ECC_nistP256"),
          ]),
        ),
        "policy",
      );
      expect(o.verdict).toBe("pass");
    });
  });

  describe(".anonymous", () => {
    it("fails an endpoint that takes anonymous users", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Basic256Sha256", [
              token("anonymous"),
              token("user-name"),
            ]),
          ]),
        ),
        "anonymous",
      );
      expect(o.verdict).toBe("fail");
      expect(o.measured).toBe("anonymous, user name");
      expect(o.message).toMatch(/Disable anonymous access/);
    });

    it("passes user names and certificates only", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Basic256Sha256", [
              token("user-name"),
              token("certificate"),
            ]),
          ]),
        ),
        "anonymous",
      );
      expect(o.verdict).toBe("pass");
      expect(o.message).toMatch(/asks for: user name, user certificate/);
    });
  });

  describe(".user-token", () => {
    // OPC 10000-4 §7.41.4: the token's own policy, else the endpoint's; with None only a SignAndEncrypt channel
    // keeps the password from being read on the wire.
    it.each([
      ["none", "None", "", true],
      ["none", "None", "None", true],
      ["none", "None", "Basic256Sha256", false],
      ["sign", "Basic256Sha256", "", false],
      ["sign", "Basic256Sha256", "None", true],
      ["sign-and-encrypt", "Basic256Sha256", "None", false],
      ["sign-and-encrypt", "Basic256Sha256", "", false],
    ] as const)(
      "a user name on %s/%s with token policy %j travels in clear: %s",
      async (mode, policy, tokenPolicy, clear) => {
        const e = endpoint(mode, policy, [token("user-name", tokenPolicy)]);
        const [t] = e.userIdentityTokens;
        expect(t && tokenInClear(e, t)).toBe(clear);
        expect(check(await judge(evidence([e])), "user-token").verdict).toBe(
          clear ? "fail" : "pass",
        );
      },
    );

    it("fails an issued token in clear too, and names the policy id", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("none", "None", [token("issued-token", "", "jwt_plain")]),
          ]),
        ),
        "user-token",
      );
      expect(o.verdict).toBe("fail");
      expect(o.message).toMatch(/issued token "jwt_plain" on None\/None/);
    });

    it("passes when no endpoint takes user names at all", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Basic256Sha256", [
              token("certificate"),
            ]),
          ]),
        ),
        "user-token",
      );
      expect(o.verdict).toBe("pass");
      expect(o.measured).toBe("no user-name or issued token offered");
    });
  });

  describe(".cert", () => {
    it("is not tested without anchors, with the fingerprint for the engineer to compare and attest", async () => {
      const o = check(await judge(evidence(GOOD()), []), "cert");
      expect(o.verdict).toBe("not-tested");
      expect(o.reason).toBe("no trust anchors");
      expect(o.message).toContain(chain[0]?.fingerprintSha256);
      expect(o.message).toMatch(/attest MES-PCS\.opcua\.cert/);
      expect(o.measured).toContain(`SHA-256 ${chain[0]?.fingerprintSha256}`);
    });

    it("fails an expired certificate even without anchors: a measured fault is not left to attest", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Basic256Sha256", [], expiredChain),
          ]),
          [],
        ),
        "cert",
      );
      expect(o.verdict).toBe("fail");
      expect(o.message).toMatch(/expired/);
    });

    it("fails a certificate whose chain does not reach the anchors", async () => {
      const stranger = createPracticePki({ name: "Stranger", now });
      const o = check(
        await judge(evidence(GOOD()), [stranger.root.pem]),
        "cert",
      );
      expect(o.verdict).toBe("fail");
    });

    it("judges each distinct certificate and keeps the worst", async () => {
      const o = check(
        await judge(
          evidence([
            endpoint("sign-and-encrypt", "Basic256Sha256", [], otherChain),
            endpoint(
              "sign-and-encrypt",
              "Aes256_Sha256_RsaPss",
              [],
              expiredChain,
            ),
          ]),
        ),
        "cert",
      );
      expect(o.verdict).toBe("fail");
      expect(o.message).toMatch(/2 different application certificates/);
    });

    it("fails certificate bytes that are not X.509, and is not tested when none are sent", async () => {
      const unreadable = {
        ...endpoint("sign-and-encrypt", "Basic256Sha256", [], []),
        serverCertificateError:
          "The ServerCertificate (12 bytes) cannot be read as X.509: …",
      };
      expect(check(await judge(evidence([unreadable])), "cert").verdict).toBe(
        "fail",
      );
      expect(
        check(
          await judge(
            evidence([endpoint("sign-and-encrypt", "Basic256Sha256", [], [])]),
          ),
          "cert",
        ),
      ).toMatchObject({ verdict: "not-tested", reason: "no certificate" });
    });
  });

  describe("when the endpoints were not read", () => {
    it("leaves all five not-tested when the endpoint is unreachable, or stopped", async () => {
      const unreachable = await judge(
        evidence([], {
          unreachable: {
            kind: "refused",
            code: "ECONNREFUSED",
            message: "Nothing is listening on 10.50.0.30:4840.",
          },
          hello: null,
        }),
      );
      expect(unreachable.map((o) => o.reason)).toEqual(
        Array(5).fill("unreachable"),
      );
      const stopped = await judge(
        evidence([], {
          unreachable: {
            kind: "stopped",
            code: "ABORT_ERR",
            message: "Stopped.",
          },
        }),
      );
      expect(stopped.map((o) => o.reason)).toEqual(Array(5).fill("stopped"));
    });

    it("fails .mode once for something that is not OPC UA, the others not-tested on that prerequisite", async () => {
      const outcomes = await judge(
        evidence([], {
          hello: {
            outcome: "not-opcua",
            acknowledge: null,
            statusCode: null,
            error: {
              kind: "protocol",
              code: "http-answer",
              message: "answers with HTTP",
            },
          },
          secureChannel: null,
          getEndpoints: null,
        }),
      );
      expect(outcomes.map((o) => o.verdict)).toEqual([
        "fail",
        "not-tested",
        "not-tested",
        "not-tested",
        "not-tested",
      ]);
      expect(check(outcomes, "mode").measured).toBe(
        "does not answer as OPC UA (http-answer)",
      );
      expect(check(outcomes, "cert").reason).toBe("prerequisite failed");
    });

    it("leaves all five not-tested when an OPC UA server refuses discovery", async () => {
      const outcomes = await judge(
        evidence([], {
          secureChannel: {
            outcome: "error",
            channelId: null,
            tokenId: null,
            revisedLifetimeMs: null,
            statusCode: 0x80550000,
            error: {
              kind: "opcua-error",
              code: "BadSecurityPolicyRejected",
              message: "refused",
            },
          },
          getEndpoints: null,
        }),
      );
      expect(outcomes.map((o) => o.reason)).toEqual(
        Array(5).fill("endpoints not read"),
      );
    });
  });
});
