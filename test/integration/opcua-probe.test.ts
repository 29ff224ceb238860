// The OPC UA probe against a real node-opcua-server on loopback, in the practice plant's configurations: the
// endpoints it reads equal what node-opcua-client reads, and each configuration gets the MES-PCS verdicts it
// deserves. The probe goes from the MES cell's address to the process-control cell's, as a vantage would.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import dgram from "node:dgram";
import http from "node:http";
import https from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  OPCUA_SECURITY,
  startOpcuaServer,
} from "../../electron/demo/opcua-server";
import { HostLimiter } from "../../electron/engine/net";
import { probeOpcua } from "../../electron/engine/protocols/opcua/probe";
import { judgeOpcua } from "../../electron/engine/rules/opcua";
import { OpcuaEvidence } from "../../shared/evidence/opcua";
import type { CheckOutcome } from "../../shared/verdicts/outcome";
import {
  MES_ADDRESS,
  OPCUA_SERVER_ADDRESS,
  opcuaCertificates,
  opcuaServers,
  referenceEndpoints,
  type OpcuaCertificates,
} from "../support/opcua";

const servers = opcuaServers();
let certs: OpcuaCertificates;
beforeAll(() => {
  certs = opcuaCertificates();
});
afterAll(() => servers.stopAll());

const TIMEOUT_MS = 3000;

async function probe(port: number, path = "", limiter = new HostLimiter()) {
  const evidence = await probeOpcua(
    { host: OPCUA_SERVER_ADDRESS, port, path },
    { timeoutMs: TIMEOUT_MS, localAddress: MES_ADDRESS, limiter },
  );
  // The evidence is what the plan stores: it must satisfy its own schema.
  expect(OpcuaEvidence.parse(evidence)).toEqual(evidence);
  return evidence;
}

function verdicts(outcomes: readonly CheckOutcome[]): Record<string, string> {
  return Object.fromEntries(
    outcomes.map((o) => [o.checkId.replace("MES-PCS.opcua.", ""), o.verdict]),
  );
}

const judge = async (
  evidence: OpcuaEvidence,
  anchorsPem: string[] = [certs.anchorPem],
): Promise<CheckOutcome[]> =>
  await judgeOpcua(evidence, {
    anchorsPem,
    publicRoots: false,
    headroomDays: 30,
    now: new Date(),
  });

const byId = (outcomes: readonly CheckOutcome[], suffix: string) => {
  const found = outcomes.find((o) => o.checkId === `MES-PCS.opcua.${suffix}`);
  if (found === undefined) throw new Error(`no outcome for ${suffix}`);
  return found;
};

describe("the OPC UA probe against node-opcua-server", () => {
  it("passes the good configuration: SignAndEncrypt, Basic256Sha256 only, no anonymous, the plant CA's certificate", async () => {
    const server = await servers.start("good", certs, { path: "/UA/Practice" });
    const limiter = new HostLimiter({ maxConnectionsPerHost: 1 });
    const evidence = await probe(server.port, "/UA/Practice", limiter);
    expect(evidence.target.url).toBe(server.url);
    expect(evidence.target.localAddress).toBe(MES_ADDRESS);
    expect(evidence.hello?.acknowledge?.protocolVersion).toBe(0);
    expect(evidence.secureChannel?.outcome).toBe("answered");
    const endpoints = evidence.getEndpoints?.endpoints ?? [];
    expect(endpoints.map((e) => [e.securityMode, e.securityPolicyUri])).toEqual(
      [
        [
          "sign-and-encrypt",
          "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256",
        ],
      ],
    );
    // The application certificate travels with its issuer, as the server's certificate file holds them.
    expect(endpoints[0]?.serverCertificateChain.map((c) => c.subject)).toEqual([
      "CN=pcs-opcua.practice, O=Cellcert Practice",
      "CN=Cellcert Practice Issuing CA, O=Cellcert Practice",
    ]);
    expect(verdicts(await judge(evidence))).toEqual({
      mode: "pass",
      policy: "pass",
      anonymous: "pass",
      "user-token": "pass",
      cert: "pass",
    });
    // The connection slot is free again only once the connection is closed.
    expect(limiter.active).toBe(0);
  });

  it("reads the same endpoints as node-opcua-client's GetEndpoints", async () => {
    const server = await servers.start("broken", certs);
    const evidence = await probe(server.port);
    const ours = (evidence.getEndpoints?.endpoints ?? []).map((e) => ({
      securityMode: {
        none: "None",
        sign: "Sign",
        "sign-and-encrypt": "SignAndEncrypt",
      }[e.securityMode as "none" | "sign" | "sign-and-encrypt"],
      securityPolicyUri: e.securityPolicyUri,
      tokens: e.userIdentityTokens.map((t) => ({
        tokenType: t.tokenTypeValue,
        securityPolicyUri: t.securityPolicyUri,
      })),
      certificateBytes: e.serverCertificateChain.reduce(
        (sum, c) =>
          sum +
          Buffer.from(c.pem.replace(/-----[^-]+-----|\s/g, ""), "base64")
            .length,
        0,
      ),
    }));
    expect(ours.length).toBeGreaterThan(1);
    expect(ours).toEqual(await referenceEndpoints(server.url));
  });

  it("fails the broken configuration once per fault: None, Basic128Rsa15, anonymous", async () => {
    const server = await servers.start("broken", certs);
    const outcomes = await judge(await probe(server.port));
    expect(verdicts(outcomes)).toEqual({
      mode: "fail",
      policy: "fail",
      anonymous: "fail",
      // Its user names are encrypted with Basic128Rsa15: deprecated (MES-PCS.opcua.policy), not in clear.
      "user-token": "pass",
      cert: "pass",
    });
    expect(byId(outcomes, "mode").message).toMatch(/security mode None/);
    expect(byId(outcomes, "policy").message).toMatch(/Basic128Rsa15/);
    expect(byId(outcomes, "anonymous").message).toMatch(
      /accepts anonymous users/,
    );
  });

  it("fails MES-PCS.opcua.user-token where a user name travels in clear beside SignAndEncrypt endpoints", async () => {
    const server = await servers.start("user-name-in-clear", certs);
    const outcomes = await judge(await probe(server.port));
    expect(verdicts(outcomes)).toMatchObject({
      mode: "fail",
      policy: "pass",
      anonymous: "pass",
      "user-token": "fail",
    });
    expect(byId(outcomes, "user-token").message).toMatch(
      /in clear \(user name "username_in_clear" on None\/None\)/,
    );
  });

  it("without trust anchors leaves the certificate to the engineer, with the fingerprint to compare", async () => {
    const server = await servers.start("good", certs);
    const cert = byId(await judge(await probe(server.port), []), "cert");
    expect(cert.verdict).toBe("not-tested");
    expect(cert.reason).toBe("no trust anchors");
    expect(cert.message).toContain(certs.leafFingerprint);
    expect(cert.message).toMatch(/attest MES-PCS\.opcua\.cert/);
  });

  it("fails the certificate of another CA against the plan's anchors", async () => {
    const strangers = opcuaCertificates({}, "Somebody Else");
    const server = await servers.start("good", strangers);
    const cert = byId(await judge(await probe(server.port)), "cert");
    expect(cert.verdict).toBe("fail");
    expect(cert.message).toMatch(/trust anchors/);
  });

  it("reads an answer that comes in several chunks", async () => {
    const server = await servers.start(
      {
        modes: ["Sign", "SignAndEncrypt"],
        policies: [
          "Basic256Sha256",
          "Aes128_Sha256_RsaOaep",
          "Aes256_Sha256_RsaPss",
        ],
        anonymous: false,
        userNameInClear: false,
      },
      certs,
    );
    const evidence = await probeOpcua(
      { host: OPCUA_SERVER_ADDRESS, port: server.port },
      { timeoutMs: TIMEOUT_MS, receiveBufferSize: 8192 },
    );
    expect(evidence.getEndpoints?.chunks).toBeGreaterThan(1);
    expect(evidence.getEndpoints?.endpoints).toHaveLength(6);
    expect(verdicts(await judge(evidence))).toMatchObject({
      mode: "warn",
      policy: "pass",
    });
  });

  it("turns away a source the practice firewall blocks, and says so", async () => {
    const server = await servers.start("good", certs, {
      allowSource: (address) => address.endsWith(MES_ADDRESS),
    });
    const evidence = await probeOpcua(
      { host: OPCUA_SERVER_ADDRESS, port: server.port },
      { timeoutMs: TIMEOUT_MS, localAddress: "127.0.1.10" },
    );
    // A rejecting firewall's reset, recorded by the connection's state: nothing judged, and the sentence says so.
    expect(evidence.unreachable?.kind).toBe("reset");
    const outcomes = await judge(evidence);
    expect(outcomes.map((o) => o.reason)).toEqual(Array(5).fill("unreachable"));
    expect(byId(outcomes, "mode").message).toMatch(/reset the connection/);
    // From the MES cell the same server answers.
    expect(verdicts(await judge(await probe(server.port))).mode).toBe("pass");
  });

  it("keeps the practice server's PKI in the folder it is given, and closes cleanly", async () => {
    const pkiFolder = await mkdtemp(join(tmpdir(), "cellcert-opcua-own-"));
    try {
      const server = await startOpcuaServer({
        address: OPCUA_SERVER_ADDRESS,
        security: OPCUA_SECURITY.good,
        certificatePem: certs.certificatePem,
        privateKeyPem: certs.privateKeyPem,
        pkiFolder,
      });
      expect(server.url).toBe(
        `opc.tcp://${OPCUA_SERVER_ADDRESS}:${server.port}`,
      );
      expect((await readdir(pkiFolder)).sort()).toEqual([
        "application",
        "application-certificate.pem",
        "application-key.pem",
        "users",
      ]);
      await server.close();
      await server.close();
      const after = await probe(server.port);
      expect(after.unreachable?.kind).toBe("refused");
    } finally {
      await rm(pkiFolder, { recursive: true, force: true });
    }
  });

  it("says why the practice server cannot start on a port already taken", async () => {
    const taken = await servers.start("good", certs);
    const pkiFolder = await mkdtemp(join(tmpdir(), "cellcert-opcua-taken-"));
    try {
      await expect(
        startOpcuaServer({
          address: OPCUA_SERVER_ADDRESS,
          port: taken.port,
          security: OPCUA_SECURITY.good,
          certificatePem: certs.certificatePem,
          privateKeyPem: certs.privateKeyPem,
          pkiFolder,
        }),
      ).rejects.toThrow(
        /The practice OPC UA server could not start on 127\.0\.4\.10:\d+ .*port is free/,
      );
    } finally {
      await rm(pkiFolder, { recursive: true, force: true });
    }
  });

  it("fetches nothing and opens no datagram socket while a server starts, is probed and read by node-opcua-client", async () => {
    // node-opcua-pki carries an OpenSSL downloader for Windows (its openssl-based CA toolbox) and node-opcua-server
    // can announce itself over mDNS; neither may ever run here. These are the doors they would use.
    // (The default imports are the very objects node-opcua's require() gets.)
    const doors = [
      vi.spyOn(globalThis, "fetch"),
      vi.spyOn(http, "request"),
      vi.spyOn(http, "get"),
      vi.spyOn(https, "request"),
      vi.spyOn(https, "get"),
      vi.spyOn(dgram, "createSocket"),
    ];
    try {
      const server = await servers.start("broken", opcuaCertificates());
      await probe(server.port);
      await referenceEndpoints(server.url);
      await server.close();
      for (const door of doors) expect(door).not.toHaveBeenCalled();
    } finally {
      for (const door of doors) door.mockRestore();
    }
  });
});
