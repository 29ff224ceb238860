// The certificate's MES-PCS section shows the OPC UA endpoint table: what the server listed in GetEndpoints —
// endpoint URL, mode, policy, user tokens, certificate fingerprint — read back with pdftotext.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { probeOpcua } from "../../electron/engine/protocols/opcua/probe";
import { issueCertificate } from "../../electron/engine/report/issue";
import type { Plan } from "../../shared/model/plan";
import {
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../support/certificate-identities";
import { fixturePlan } from "../support/certificate-plans";
import { requireTools, tool } from "../support/certificate-tools";
import {
  OPCUA_SERVER_ADDRESS,
  opcuaCertificates,
  opcuaServers,
  type OpcuaCertificates,
} from "../support/opcua";

const servers = opcuaServers();
let pki: TestPki;
let certs: OpcuaCertificates;
beforeAll(async () => {
  requireTools("pdftotext");
  pki = await testPki();
  certs = opcuaCertificates();
}, 60_000);
afterAll(() => servers.stopAll());

/** The fixture plan with the OPC UA evidence of a practice server filed in its MES run. */
async function planWithOpcuaEvidence(
  configuration: "good" | "broken",
): Promise<Plan> {
  const plan = await fixturePlan("good");
  const server = await servers.start(configuration, certs);
  const evidence = await probeOpcua(
    { host: OPCUA_SERVER_ADDRESS, port: server.port },
    { timeoutMs: 3000 },
  );
  const run = plan.runs.find((r) => r.vantage === "mes") ?? plan.runs.at(-1);
  if (run === undefined) throw new Error("The fixture plan has no run.");
  run.evidence.push({
    id: "opcua-practice",
    endpointId: "pcs-opcua",
    probe: "opcua",
    target: `${OPCUA_SERVER_ADDRESS}:${server.port}`,
    startedAt: evidence.startedAt,
    durationMs: evidence.durationMs,
    data: evidence,
  });
  return plan;
}

async function certificateText(plan: Plan): Promise<string> {
  const issued = await issueCertificate(plan, pki.engineer, {
    now: SIGNING_TIME,
  });
  const run = tool("pdftotext", ["-enc", "UTF-8", "-", "-"], issued.pdf);
  expect(run.status).toBe(0);
  return run.stdout.replace(/\s+/g, " ");
}

describe("the OPC UA endpoint table in the certificate", () => {
  it("lists the good server's endpoint with its mode, policy, user tokens and certificate fingerprint", async () => {
    const text = await certificateText(await planWithOpcuaEvidence("good"));
    expect(text).toMatch(
      /OPC UA endpoints of PCS 7 OPC UA server \(pcs-opcua\) at opc\.tcp:\/\/127\.0\.4\.10:\d+/,
    );
    for (const header of [
      "Endpoint URL",
      "Mode",
      "Security policy",
      "User tokens",
      "Certificate SHA-256",
    ])
      expect(text).toContain(header);
    expect(text).toContain("SignAndEncrypt");
    expect(text).toContain("Basic256Sha256");
    expect(text).toContain("user name");
    // The fingerprint may wrap in its narrow column: compare without spaces.
    expect(text.replace(/ /g, "")).toContain(certs.leafFingerprint);
  });

  it("names the broken server's faults in words", async () => {
    const text = await certificateText(await planWithOpcuaEvidence("broken"));
    expect(text).toContain("Basic128Rsa15 (deprecated)");
    expect(text).toContain("anonymous");
    expect(text).toMatch(/\bNone\b/);
  });
});
