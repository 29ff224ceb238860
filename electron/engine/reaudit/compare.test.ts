// What changed between two audits, one table row per kind of change: two records that differ in one thing, and
// the one change (or none) the comparison must name for it.
import { describe, expect, it } from "vitest";
import type { Change } from "../../../shared/reaudit/changes";
import {
  changeRows,
  changesSummary,
} from "../../../shared/reaudit/change-rows";
import { compareAudits } from "./compare";
import type {
  AuditRecord,
  CertificateSummary,
  EndpointObservations,
  RecordCheck,
} from "./record";

const LEAF: CertificateSummary = {
  subject: "CN=mes01.plant.example",
  issuer: "CN=Plant Issuing CA",
  serialNumber: "01",
  notBefore: "2026-01-01T00:00:00Z",
  notAfter: "2027-01-01T00:00:00Z",
  fingerprintSha256: "AA",
  keySha256: "k1",
};

function observed(
  overrides: Partial<EndpointObservations> = {},
): EndpointObservations {
  return {
    certificate: { via: "tls", leaf: LEAF },
    protocols: new Map([
      ["TLSv1", false],
      ["TLSv1.2", true],
      ["TLSv1.3", true],
    ]),
    suites: new Map([
      [
        "TLSv1.2",
        {
          suites: new Set(["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"]),
          complete: true,
        },
      ],
    ]),
    opcuaOffers: null,
    ports: new Map([
      [
        "enterprise 1433",
        { vantage: "enterprise", port: 1433, state: "closed" },
      ],
    ]),
    ...overrides,
  };
}

function check(overrides: Partial<RecordCheck> = {}): RecordCheck {
  return {
    checkId: "PER-MES.tls.protocol",
    endpointId: "mes",
    boundaryId: "PER-MES",
    severity: "mandatory",
    verdict: "pass",
    measured: true,
    waived: false,
    attested: false,
    summary: "Only TLS 1.2 and TLS 1.3.",
    ...overrides,
  };
}

function record(
  change: (r: AuditRecord) => void = () => undefined,
  number: string | null = "PLANT-20260302-1",
): AuditRecord {
  const r: AuditRecord = {
    side: {
      certificateNumber: number,
      issuedAt: number === null ? null : "2026-03-02T15:00:00.000Z",
      plantName: "Győr body shop",
      site: "Győr",
      plantVerdict: "commissioned",
      practice: false,
      evidenceSchema: number === null ? null : "cellcert.evidence/1",
      rulesetVersion: "cells-2021",
      toolVersion: "0.1.0",
    },
    boundaries: [{ id: "PER-MES", inScope: true, verdict: "pass" }],
    endpoints: [
      {
        id: "mes",
        name: "MES web services",
        boundary: "PER-MES",
        kind: "mtls-https",
        host: "10.30.0.11",
        port: 8443,
        serverName: "mes.plant.example",
        paths: ["/"],
        allowedPorts: [],
        deniedPorts: [],
        retired: false,
      },
    ],
    checks: [check()],
    waivers: [],
    observations: new Map([["mes", observed()]]),
    unreadable: [],
  };
  change(r);
  return r;
}

const only = (changes: Change[], kind: Change["kind"]) =>
  changes.filter((c) => c.kind === kind);

describe("comparing two audits", () => {
  it("finds nothing between an audit and itself", () => {
    const changes = compareAudits(record(), record());
    expect(changes.changes).toEqual([]);
    expect(changes.notes).toEqual([]);
    expect(changes.worse).toBe(false);
    expect(changesSummary(changes)).toBe("Nothing changed.");
  });

  it.each([
    ["pass", "fail", "worse"],
    ["fail", "pass", "better"],
    ["warn", "pass", "better"],
    ["pass", "warn", "worse"],
    ["waived", "fail", "worse"],
    ["not-tested", "waived", "better"],
    ["pass", "not-tested", "worse"],
    ["pass", "attested", "changed"],
  ] as const)("a verdict %s → %s is %s", (was, now, direction) => {
    const changes = compareAudits(
      record((r) => (r.checks = [check({ verdict: was })])),
      record((r) => (r.checks = [check({ verdict: now })])),
    );
    expect(only(changes.changes, "verdict")).toEqual([
      expect.objectContaining({
        direction,
        checkId: "PER-MES.tls.protocol",
        endpointId: "mes",
        was,
        now,
      }),
    ]);
    expect(changes.worse).toBe(direction === "worse");
  });

  it("names the plant's and a boundary's verdicts first, worse or better", () => {
    const changes = compareAudits(
      record(),
      record((r) => {
        r.side.plantVerdict = "not commissioned";
        r.boundaries = [{ id: "PER-MES", inScope: true, verdict: "fail" }];
        r.checks = [check({ verdict: "fail" })];
      }),
    );
    expect(changes.changes.map((c) => [c.kind, c.direction])).toEqual([
      ["plant", "worse"],
      ["boundary", "worse"],
      ["verdict", "worse"],
    ]);
  });

  it("holds a re-audit's unmeasured checks as pending, attested ones as to attest again — not worse", () => {
    const live = compareAudits(
      record((r) => {
        r.checks = [
          check(),
          check({
            checkId: "MES-CELL.colocation",
            verdict: "attested",
            attested: true,
            measured: false,
          }),
        ];
      }),
      record((r) => {
        r.side.plantVerdict = "not commissioned";
        r.checks = [
          check({ verdict: "not-tested", measured: false }),
          check({
            checkId: "MES-CELL.colocation",
            verdict: "not-tested",
            measured: false,
          }),
        ];
      }, null),
      { live: true },
    );
    expect(live.changes.map((c) => [c.kind, c.direction, c.now])).toEqual([
      ["plant", "pending", "not commissioned"],
      ["verdict", "pending", "not probed again yet"],
      ["verdict", "pending", "to attest again"],
    ]);
    expect(live.worse).toBe(false);
    expect(live.changes[0]?.message).toContain("this re-audit");
  });

  it("names endpoints added, removed, retired and moved", () => {
    const changes = compareAudits(
      record((r) => {
        const base = r.endpoints[0]!;
        r.endpoints.push(
          { ...base, id: "old-erp", name: "Old ERP" },
          { ...base, id: "historian", name: "Historian" },
        );
      }),
      record((r) => {
        const base = r.endpoints[0]!;
        base.port = 9443;
        r.endpoints.push(
          { ...base, id: "historian", name: "Historian", retired: true },
          { ...base, id: "new-erp", name: "New ERP" },
        );
      }),
    );
    expect(
      only(changes.changes, "endpoint").map((c) => [c.endpointId, c.message]),
    ).toEqual([
      [
        "mes",
        '"MES web services" changed: now mtls-https 10.30.0.11:9443 (was mtls-https 10.30.0.11:8443).',
      ],
      [
        "old-erp",
        '"Old ERP" (mtls-https 10.30.0.11:8443) is no longer in certificate PLANT-20260302-1: its checks are not judged any more.',
      ],
      [
        "historian",
        '"Historian" (mtls-https 10.30.0.11:8443) is retired in certificate PLANT-20260302-1: its checks are not judged any more.',
      ],
      [
        "new-erp",
        '"New ERP" (mtls-https 10.30.0.11:9443) is new in certificate PLANT-20260302-1.',
      ],
    ]);
    expect(changes.worse).toBe(false);
  });

  it.each([
    [
      "renewed with the same key and a later expiry",
      { fingerprintSha256: "BB", notAfter: "2028-01-01T00:00:00Z" },
      "renewed, same key, expiry moved later, from 2027-01-01 to 2028-01-01",
    ],
    [
      "from a new issuer with a new key",
      { fingerprintSha256: "BB", issuer: "CN=Other CA", keySha256: "k2" },
      "renewed, new issuer CN=Other CA (was CN=Plant Issuing CA), new key",
    ],
    [
      "with a key that could not be read",
      { fingerprintSha256: "BB", keySha256: null },
      "renewed, whether the key changed could not be told",
    ],
  ])("a certificate %s", (_, leaf, words) => {
    const changes = compareAudits(
      record(),
      record((r) =>
        r.observations.set(
          "mes",
          observed({ certificate: { via: "tls", leaf: { ...LEAF, ...leaf } } }),
        ),
      ),
    );
    expect(only(changes.changes, "certificate")).toEqual([
      expect.objectContaining({
        direction: "changed",
        message: `The server's certificate changed: ${words}.`,
      }),
    ]);
  });

  it("names protocols and suites gained or lost, and what could not be told", () => {
    const changes = compareAudits(
      record(),
      record((r) =>
        r.observations.set(
          "mes",
          observed({
            protocols: new Map([
              ["TLSv1", true],
              ["TLSv1.2", true],
              ["TLSv1.3", null],
            ]),
            suites: new Map([
              [
                "TLSv1.2",
                {
                  suites: new Set(["TLS_RSA_WITH_AES_128_CBC_SHA"]),
                  complete: true,
                },
              ],
            ]),
          }),
        ),
      ),
    );
    expect(
      changes.changes.map((c) => [c.kind, c.direction, c.message]),
    ).toEqual([
      [
        "protocol",
        "changed",
        "TLS 1.0 gained: the server accepts it now, and refused it in certificate PLANT-20260302-1.",
      ],
      [
        "protocol",
        "not-comparable",
        "Whether the server accepts TLS 1.3 could not be told in certificate PLANT-20260302-1.",
      ],
      [
        "suite",
        "changed",
        "TLS 1.2 suites gained: TLS_RSA_WITH_AES_128_CBC_SHA.",
      ],
      [
        "suite",
        "changed",
        "TLS 1.2 suites lost: TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256.",
      ],
    ]);
  });

  it("does not compare suites an enumeration did not finish", () => {
    const changes = compareAudits(
      record(),
      record((r) =>
        r.observations.set(
          "mes",
          observed({
            suites: new Map([
              ["TLSv1.2", { suites: new Set<string>(), complete: false }],
            ]),
          }),
        ),
      ),
    );
    expect(changes.changes).toEqual([
      expect.objectContaining({
        kind: "suite",
        direction: "not-comparable",
      }),
    ]);
  });

  it.each([
    ["open", "changed", "is opened now (closed in"],
    ["unknown", "not-comparable", "could not be told open or closed"],
  ] as const)("a port now %s is %s", (state, direction, words) => {
    const changes = compareAudits(
      record(),
      record((r) =>
        r.observations.set(
          "mes",
          observed({
            ports: new Map([
              ["enterprise 1433", { vantage: "enterprise", port: 1433, state }],
            ]),
          }),
        ),
      ),
    );
    expect(only(changes.changes, "port")).toEqual([
      expect.objectContaining({ direction, vantage: "enterprise" }),
    ]);
    expect(only(changes.changes, "port")[0]?.message).toContain(words);
  });

  it("names waivers added, expired and not carried over", () => {
    const waiver = {
      checkId: "PER-MES.tls.protocol",
      endpointId: "mes",
      approvedBy: "Robin Owner",
      expires: "2026-06-30",
      expired: false,
    };
    const added = compareAudits(
      record(),
      record((r) => (r.waivers = [waiver])),
    );
    expect(only(added.changes, "waiver")[0]?.message).toBe(
      "A waiver was added in certificate PLANT-20260302-1, approved by Robin Owner, until 2026-06-30.",
    );
    const expired = compareAudits(
      record((r) => (r.waivers = [waiver])),
      record((r) => (r.waivers = [{ ...waiver, expired: true }])),
    );
    expect(only(expired.changes, "waiver")[0]?.now).toBe(
      "expired on 2026-06-30",
    );
    const dropped = compareAudits(
      record((r) => (r.waivers = [waiver])),
      record(() => undefined, null),
      { live: true },
    );
    expect(only(dropped.changes, "waiver")[0]?.message).toContain(
      "is not carried over",
    );
  });

  it("says what cannot be compared: a check one side does not judge, other rules, another plant, unread evidence", () => {
    const changes = compareAudits(
      record(),
      record((r) => {
        r.side.rulesetVersion = "cells-2027";
        r.side.plantName = "Győr paint shop";
        r.checks = [check({ checkId: "PER-MES.tls.suites" })];
        r.unreadable = [
          "The tls evidence of mes in run 1 is cellcert.tls-evidence/2, which this Cellcert does not read: what it observed is not compared.",
        ];
      }),
    );
    expect(changes.changes.map((c) => [c.checkId, c.direction])).toEqual([
      ["PER-MES.tls.protocol", "not-comparable"],
      ["PER-MES.tls.suites", "not-comparable"],
    ]);
    expect(changes.notes).toEqual([
      expect.stringContaining(
        "judged by ruleset cells-2021 and certificate PLANT-20260302-1 by cells-2027",
      ),
      expect.stringContaining(
        'of "Győr body shop" (Győr) and certificate PLANT-20260302-1 of "Győr paint shop"',
      ),
      expect.stringContaining(
        "In certificate PLANT-20260302-1: The tls evidence of mes in run 1 is cellcert.tls-evidence/2",
      ),
    ]);
    expect(changes.worse).toBe(false);
  });
});

describe("the printable rows", () => {
  it("say the direction in words and a symbol, and escape what a server could send", () => {
    const changes = compareAudits(
      record(),
      record((r) => {
        r.checks = [
          check({ verdict: "fail", summary: "Bad\u001b[2J \u202Eevil" }),
        ];
      }),
    );
    const [row] = changeRows(changes);
    expect(row).toMatchObject({
      change: "▼ WORSE",
      what: "PER-MES.tls.protocol",
      endpoint: "mes",
      was: "pass",
      now: "fail",
    });
    expect(row?.message).toContain("Bad\\u001B[2J \\u202Eevil");
    expect(changesSummary(changes)).toBe("1 worse; something got worse.");
  });
});
