import { describe, expect, it } from "vitest";
import { findChains, findTimings } from "../components/EvidenceView";
import { testPlan, withRun } from "../test-support/plans";
import { assessmentOf, checksOfVantage, evidenceOf } from "../store/assessment";
import { checkText } from "./check-text";
import { base64ToBytes, readAsBase64 } from "./files";
import { parseLines, parseOptionalPort, parsePortList } from "./form-values";
import { lookOf } from "./verdict-look";

describe("form values", () => {
  it("read port lists and name what is not a port", () => {
    expect(parsePortList("443, 8443 10443;22")).toEqual({
      ports: [443, 8443, 10443, 22],
      problem: null,
    });
    expect(parsePortList("")).toEqual({ ports: [], problem: null });
    expect(parsePortList("443, https").problem).toBe(
      '"https" is not a port number.',
    );
    expect(parsePortList("x y").problem).toBe('"x", "y" are not port numbers.');
  });

  it("read optional ports and lines", () => {
    expect(parseOptionalPort(" ")).toEqual({ port: undefined, problem: null });
    expect(parseOptionalPort("1433")).toEqual({ port: 1433, problem: null });
    expect(parseOptionalPort("14x").problem).toBe(
      '"14x" is not a port number.',
    );
    expect(parseLines("/\n /Opcenter ,\n\n/api")).toEqual([
      "/",
      "/Opcenter",
      "/api",
    ]);
  });
});

describe("verdict looks", () => {
  it("always carry a word and a symbol", () => {
    expect(lookOf("fail")).toEqual({
      word: "fail",
      symbol: "cross",
      tone: "fail",
    });
    expect(lookOf("commissioned with waivers").word).toBe(
      "commissioned with waivers",
    );
    expect(lookOf("not-tested").word).toBe("not tested");
  });
});

describe("evidence helpers", () => {
  it("find certificate chains and timings anywhere in evidence", () => {
    const certificate = {
      pem: "PEM",
      subject: "CN=a",
      issuer: "CN=b",
      serialNumber: "1",
      subjectAltNames: [],
      notBefore: "2026-01-01T00:00:00.000Z",
      notAfter: "2027-01-01T00:00:00.000Z",
      keyType: "rsa",
      keyBits: 2048,
      signatureAlgorithm: "sha256WithRSAEncryption",
      fingerprintSha256: "AA",
      selfSigned: false,
      isCA: false,
    };
    const data = {
      getEndpoints: { endpoints: [{ serverCertificateChain: [certificate] }] },
      timings: { connectMs: 3, helloMs: null },
      durationMs: 40,
    };
    expect(findChains(data).map((c) => c.path)).toEqual([
      "/getEndpoints/endpoints/0/serverCertificateChain",
    ]);
    expect(findTimings(data)).toEqual([
      ["timings.connectMs", 3],
      ["durationMs", 40],
    ]);
  });

  it("copy a check as text with its measurement, requirement and evidence", () => {
    const plan = withRun(testPlan(), "enterprise", [
      ["ENT-PER.tls.protocol", "perimeter-web", "fail", "TLS 1.0 accepted."],
    ]);
    const item = checksOfVantage(assessmentOf(plan), "enterprise").find(
      (c) => c.check.id === "ENT-PER.tls.protocol",
    )!;
    const text = checkText(item, evidenceOf(plan, item));
    expect(text).toContain("ENT-PER.tls.protocol — Protocol versions");
    expect(text).toContain("Verdict: fail");
    expect(text).toContain("Measured: TLS 1.0, TLS 1.2");
    expect(text).toContain(
      "IEC 62443-3-3: SR 3.1 Communication integrity; SR 4.1 Information confidentiality",
    );
    expect(text).toContain('"note": "test evidence"');
  });
});

describe("files", () => {
  it("read bytes as base64 and back", async () => {
    const bytes = new Uint8Array([0, 1, 2, 250, 251, 255]);
    const base64 = await readAsBase64(new Blob([bytes]));
    expect(base64).toBe("AAEC+vv/");
    expect([...base64ToBytes(base64)]).toEqual([...bytes]);
  });
});
