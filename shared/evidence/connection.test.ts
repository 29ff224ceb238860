// The one failure record and the readers of the versions before it: /1 records read as /2, nothing else touched.
import { describe, expect, it } from "vitest";
import {
  connectFailures,
  connectionStates,
  probeFailureKinds,
  upgradeFailureKindsOfV1,
} from "./connection";
import { MssqlEvidenceAnyVersion } from "./mssql";
import { OpcuaEvidenceAnyVersion } from "./opcua";
import { TlsEvidence, TlsEvidenceAnyVersion } from "./tls";

describe("the one failure record", () => {
  it("shares the connection's failure states, then closed, timeout and stopped", () => {
    expect(connectionStates).toEqual(["open", ...connectFailures]);
    expect(probeFailureKinds).toEqual([
      ...connectFailures,
      "closed",
      "timeout",
      "stopped",
    ]);
  });

  it("renames the two kinds /1 spelled differently, in every failure record, and leaves the rest", () => {
    const v1 = {
      schema: "cellcert.x/1",
      unreachable: { kind: "dns", code: "ENOTFOUND", message: "No such name." },
      steps: [
        { error: { kind: "aborted", code: "ABORT_ERR", message: "Stopped." } },
        { error: { kind: "closed", code: "EOF", message: "Closed." } },
      ],
      // Not a failure record (no code and message): untouched.
      note: { kind: "dns" },
    };
    expect(upgradeFailureKindsOfV1(v1, "cellcert.x/1", "cellcert.x/2")).toEqual(
      {
        schema: "cellcert.x/2",
        unreachable: {
          kind: "dns-failure",
          code: "ENOTFOUND",
          message: "No such name.",
        },
        steps: [
          {
            error: { kind: "stopped", code: "ABORT_ERR", message: "Stopped." },
          },
          { error: { kind: "closed", code: "EOF", message: "Closed." } },
        ],
        note: { kind: "dns" },
      },
    );
    // Another version passes through as it is.
    const v2 = { ...v1, schema: "cellcert.x/2" };
    expect(upgradeFailureKindsOfV1(v2, "cellcert.x/1", "cellcert.x/2")).toBe(
      v2,
    );
  });

  it("reads a TLS /1 record's reachability as /2's unreachable", () => {
    const base = {
      target: {
        host: "10.20.0.5",
        port: 443,
        serverName: "",
        address: "10.20.0.5",
        localAddress: "",
      },
      endpointKind: "tls",
      startedAt: "2026-12-01T10:00:00.000Z",
      durationMs: 4,
      speaksTls: {
        verdict: "unknown",
        answer: "",
        message: "",
        firstBytesHex: "",
      },
      handshake: null,
      chain: [],
      chainSource: "none",
      clientCertificateRequested: null,
      dhBits: null,
      protocols: [],
      timings: {
        firstAnswerMs: null,
        enumerationMs: null,
        handshakeMs: null,
        connections: 0,
      },
    };
    const refused = TlsEvidenceAnyVersion.parse({
      ...base,
      schema: "cellcert.tls-evidence/1",
      reachability: { state: "refused", message: "Nothing listens." },
      errors: [
        {
          stage: "connect",
          kind: "refused",
          protocol: null,
          code: "ECONNREFUSED",
          message: "Nothing listens.",
        },
      ],
    });
    expect(refused.schema).toBe("cellcert.tls-evidence/2");
    // The failure is held once, in unreachable, not in errors as well.
    expect(refused.errors).toEqual([]);
    expect(refused.unreachable).toEqual({
      stage: "connect",
      kind: "refused",
      protocol: null,
      code: "ECONNREFUSED",
      message: "Nothing listens.",
    });
    const open = TlsEvidenceAnyVersion.parse({
      ...base,
      schema: "cellcert.tls-evidence/1",
      reachability: { state: "open", message: "The port accepts connections." },
      errors: [],
    });
    expect(open.unreachable).toBeNull();
    expect(TlsEvidence.safeParse(open).success).toBe(true);
    // A /1 record is not a /2 one: the rules, which read only /2, refuse it.
    expect(
      TlsEvidence.safeParse({
        ...base,
        schema: "cellcert.tls-evidence/1",
        reachability: { state: "open", message: "" },
        errors: [],
      }).success,
    ).toBe(false);
  });

  it("reads SQL Server and OPC UA /1 records as /2, and refuses their old kinds in /2", () => {
    const mssql = {
      target: {
        host: "sql01",
        port: 1433,
        portSource: "explicit",
        instance: null,
        serverName: "sql01",
        localAddress: null,
      },
      unreachable: { kind: "dns", code: "ENOTFOUND", message: "No such name." },
      browser: null,
      prelogin: null,
      tds8: null,
      tds8Skipped: "",
      credentialed: null,
      credentialsSkipped: "",
    };
    const read = MssqlEvidenceAnyVersion.parse({
      ...mssql,
      schema: "cellcert.mssql-evidence/1",
    });
    expect(read.schema).toBe("cellcert.mssql-evidence/2");
    expect(read.unreachable?.kind).toBe("dns-failure");
    expect(
      MssqlEvidenceAnyVersion.safeParse({
        ...mssql,
        schema: "cellcert.mssql-evidence/2",
      }).success,
    ).toBe(false);
    const opcua = OpcuaEvidenceAnyVersion.parse({
      schema: "cellcert.opcua-evidence/1",
      target: {
        host: "pcs01",
        port: 4840,
        path: "",
        url: "opc.tcp://pcs01:4840",
        localAddress: null,
      },
      startedAt: "2026-12-01T10:00:00.000Z",
      durationMs: 3,
      timings: {
        connectMs: null,
        helloMs: null,
        openSecureChannelMs: null,
        getEndpointsMs: null,
      },
      unreachable: {
        kind: "aborted",
        code: "ABORT_ERR",
        message: "The probe was stopped.",
      },
      hello: null,
      secureChannel: null,
      getEndpoints: null,
    });
    expect(opcua.unreachable?.kind).toBe("stopped");
  });
});
