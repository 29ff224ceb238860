// The curated evidence tables, on records the broken practice plant's probes wrote (test/fixtures/evidence, PEM
// left out): each planted fault stands in its table, marked, and nothing is cut. The TLS records there are
// cellcert.tls-evidence/1, written before the one failure record: they are summarized through the reader of
// earlier versions, as a certificate issued from an older plan's runs would be.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { Endpoint, Evidence } from "../../../shared/model/plan";
import type { VantageId } from "../../../shared/plant-words";
import {
  certificatesIn,
  summarizeEvidence,
  type EvidenceBlock,
  type EvidenceTable,
} from "./evidence-summary";
import type { Cell } from "./pdf-writer";

const records = JSON.parse(
  readFileSync(
    new URL(
      "../../../test/fixtures/evidence/broken-practice-plant.json",
      import.meta.url,
    ),
    "utf8",
  ),
) as {
  vantage: string;
  probe: string;
  endpointId: string;
  data: Evidence["data"];
}[];

const text = (cell: Cell | undefined): string =>
  cell === undefined ? "" : typeof cell === "string" ? cell : cell.text;

function blocksOf(
  probe: string,
  endpointId: string,
  endpoint?: Partial<Endpoint>,
): EvidenceBlock[] {
  const record = records.find(
    (r) => r.probe === probe && r.endpointId === endpointId,
  );
  if (record === undefined)
    throw new Error(`no ${probe} record of ${endpointId} in the fixture`);
  return summarizeEvidence(
    { probe, data: record.data },
    {
      run: { vantage: record.vantage as VantageId },
      endpoint: endpoint as Endpoint | undefined,
      minimumTlsVersion: "TLSv1.2",
    },
  );
}

function table(
  blocks: readonly EvidenceBlock[],
  caption: RegExp,
): EvidenceTable {
  const found = blocks.find(
    (b): b is EvidenceTable => b.kind === "table" && caption.test(b.caption),
  );
  if (found === undefined)
    throw new Error(
      `no table ${String(caption)} among ${blocks.map((b) => (b.kind === "table" ? b.caption : "text")).join(", ")}`,
    );
  return found;
}

const rowsOf = (t: EvidenceTable): string[][] =>
  t.rows.map((row) => row.map(text));

describe("curated evidence of the broken practice plant", () => {
  it("ENT-PER.tls.protocol: TLS 1.0 and 1.1 marked as accepted in the protocol table, every protocol listed", () => {
    const protocols = rowsOf(
      table(
        blocksOf("tls", "perimeter-web"),
        /^Protocols offered and accepted$/,
      ),
    );
    expect(protocols.map((r) => r[0])).toEqual([
      "SSL 2.0",
      "SSL 3.0",
      "TLS 1.0",
      "TLS 1.1",
      "TLS 1.2",
      "TLS 1.3",
    ]);
    expect(protocols.find((r) => r[0] === "TLS 1.0")?.[1]).toBe("✖ accepted");
    expect(protocols.find((r) => r[0] === "TLS 1.1")?.[1]).toBe("✖ accepted");
    expect(protocols.find((r) => r[0] === "TLS 1.3")?.[1]).toBe("✔ accepted");
    expect(protocols.find((r) => r[0] === "SSL 3.0")?.[1]).toBe("refused");
  });

  it("ENT-PER.tls.suites: every accepted suite per protocol, the CBC suite marked weak", () => {
    const suites = rowsOf(
      table(blocksOf("tls", "perimeter-web"), /^Cipher suites accepted/),
    );
    expect(suites).toHaveLength(9);
    expect(
      suites.find(
        (r) =>
          r[1] === "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA" && r[0] === "TLS 1.2",
      )?.[2],
    ).toBe("▲ no AEAD (CBC)");
    expect(
      suites
        .filter((r) => r[0] === "TLS 1.3")
        .every((r) => r[2] === "✔ forward secrecy, AEAD"),
    ).toBe(true);
  });

  it("the chain as sent and as validated, with fingerprints on octet boundaries", () => {
    const blocks = blocksOf("tls", "perimeter-web");
    const sent = table(blocks, /^Certificate chain as sent/);
    const fingerprint = text(sent.rows[0]?.[4]);
    const lines = fingerprint.split("\n");
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines.slice(0, -1))
      expect(line).toMatch(/^([0-9A-F]{2}:)+$/);
    expect(lines.join("")).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const validated = rowsOf(table(blocks, /^Certificate path as validated$/));
    expect(validated.map((r) => r[4])).toEqual([
      "= #0 as sent",
      "= #1 as sent",
      expect.stringMatching(/^[0-9A-F]{2}:/),
    ]);
    expect(validated[2]?.[2]).toBe("the plan's trust anchor");
  });

  it("PER-MES.mtls.anonymous-refused: the client × TLS version matrix, no certificate served marked", () => {
    const matrix = rowsOf(
      table(
        blocksOf("mtls", "mes-gateway"),
        /^Client certificates × TLS versions/,
      ),
    );
    expect(matrix).toHaveLength(6);
    const anonymous = matrix.filter((r) => r[0] === "no certificate");
    expect(anonymous.map((r) => [r[1], r[2]])).toEqual([
      ["TLS 1.2", "✖ served"],
      ["TLS 1.3", "✖ served"],
    ]);
    expect(
      matrix
        .filter((r) => r[0] === "the plan's client identity")
        .map((r) => r[2]),
    ).toEqual(["✔ served", "✔ served"]);
    expect(
      matrix
        .filter((r) => (r[0] ?? "").startsWith("certificate of an unknown CA"))
        .every((r) => r[2] === "✔ refused"),
    ).toBe(true);
  });

  it("ENT-PER.segmentation: the SQL Server port open from the enterprise cell, marked against 'closed'", () => {
    const ports = rowsOf(
      table(blocksOf("tcp", "sql-server"), /^Ports of 127\.0\.5\.1/),
    );
    expect(ports).toHaveLength(1);
    expect(ports[0]?.slice(0, 3)).toEqual([
      expect.stringMatching(/^\d+$/),
      "closed",
      "✖ open",
    ]);
  });

  it("APP-EXT.secure-protocol: the external system answers plaintext", () => {
    const [facts] = blocksOf("tls", "external-system");
    expect(facts?.kind === "text" ? facts.text : "").toMatch(
      /speaks TLS: no \(plaintext-http\)/,
    );
  });

  it("APP-DB.tds.cert: SQL Server's self-signed fallback in the chain inside TDS", () => {
    const blocks = blocksOf("mssql", "sql-server");
    const exchanges = rowsOf(table(blocks, /^SQL Server at/));
    expect(exchanges[0]?.[1]).toMatch(/^encryption REQUIRED \(0x03\)/);
    const chain = rowsOf(
      table(blocks, /^Certificate chain as sent \(TLS inside TDS\)$/),
    );
    expect(chain[0]?.[1]).toMatch(/SSL_Self_Signed_Fallback/);
    expect(chain[0]?.[3]).toMatch(/self-signed/);
  });

  it("MES-PCS.opcua.*: the None endpoint, the deprecated policy and the anonymous token, in bold", () => {
    const endpoints = table(
      blocksOf("opcua", "process-control-opcua"),
      /^OPC UA endpoints of the server at opc\.tcp:/,
    );
    const rows = rowsOf(endpoints);
    expect(rows.map((r) => r[1])).toContain("None");
    expect(rows.map((r) => r[2])).toContain("Basic128Rsa15 (deprecated)");
    expect(rows.some((r) => r[3]?.split("\n").includes("anonymous"))).toBe(
      true,
    );
    const none = endpoints.rows.find((r) => text(r[1]) === "None");
    expect(typeof none?.[1] === "object" ? none[1].font : undefined).toBe(
      "bold",
    );
  });

  it("finds every certificate in a record, for the earliest expiry on page 1", () => {
    const record = records.find((r) => r.probe === "mssql");
    expect(certificatesIn(record?.data).map((c) => c.subject)).toContain(
      "CN=SSL_Self_Signed_Fallback",
    );
  });

  it("gives a record of unknown shape as named fields, without JSON paths", () => {
    const blocks = summarizeEvidence(
      {
        probe: "legacy",
        data: {
          negotiated: { serverName: "mes01", protocol: "TLSv1.3" },
          ports: [443, 1433],
        },
      },
      {
        run: { vantage: "mes" },
        endpoint: undefined,
        minimumTlsVersion: "TLSv1.2",
      },
    );
    expect(rowsOf(table(blocks, /^Recorded fields$/))).toEqual([
      ["negotiated, server name", "mes01"],
      ["negotiated, protocol", "TLSv1.3"],
      ["ports", "443; 1433"],
    ]);
  });
});
