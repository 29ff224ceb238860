import { describe, expect, it } from "vitest";
import { boundaryIds, vantageIds } from "../plant-words";
import { familyOf } from "../run-plan";
import {
  BOUNDARIES,
  CHECKS,
  SYSTEM_REQUIREMENTS,
  TLS_PROFILE,
  findCheck,
} from "./catalog";

// DESIGN §4, written out once more by hand: the catalog must hold exactly these checks.
const DESIGN_CHECKS: Record<(typeof boundaryIds)[number], string[]> = {
  "ENT-PER": ["reach", "tls.*", "http.plain", "http.hsts", "segmentation"],
  "PER-MES": [
    "tls.*",
    "mtls.anonymous-refused",
    "mtls.untrusted-refused",
    "mtls.identity-accepted",
  ],
  "IIS-BIND": ["tls.*", "vdir.https", "vdir.plain"],
  "MES-PCS": [
    "tls.*",
    "opcua.mode",
    "opcua.policy",
    "opcua.anonymous",
    "opcua.user-token",
    "opcua.cert",
    "guideline",
  ],
  "MES-CELL": ["colocation", "countermeasures"],
  "APP-DB": [
    "tds.encryption",
    "tds.cert",
    "tds.protocol",
    "sql.auth",
    "sql.mixed-mode",
    "sql.app-sessions",
  ],
  "APP-EXT": ["secure-protocol", "tls.*"],
  REMOTE: ["firewall.allowed", "firewall.denied", "vpn"],
};

const expand = (boundary: string, names: string[]): string[] =>
  names.flatMap((name) =>
    name === "tls.*"
      ? TLS_PROFILE.map((p) => `${boundary}.${p.suffix}`)
      : [`${boundary}.${name}`],
  );

describe("the rule catalog (ruleset cells-2021)", () => {
  it("has every boundary of DESIGN §4, once", () => {
    expect(BOUNDARIES.map((b) => b.id)).toEqual([...boundaryIds]);
  });

  it.each(boundaryIds)("%s has exactly its checks", (boundary) => {
    const ids = CHECKS.filter((c) => c.boundary === boundary).map((c) => c.id);
    expect(ids.sort()).toEqual(
      expand(boundary, DESIGN_CHECKS[boundary]).sort(),
    );
  });

  it("has unique ids", () => {
    expect(new Set(CHECKS.map((c) => c.id)).size).toBe(CHECKS.length);
  });

  it("names the source of every check: the guide's section and words, and known IEC 62443-3-3 SRs", () => {
    for (const check of CHECKS) {
      expect(check.guide.section.length, check.id).toBeGreaterThan(10);
      expect(check.guide.quote.length, check.id).toBeGreaterThan(40);
      expect(check.requirement.length, check.id).toBeGreaterThan(20);
      expect(check.sr.length, check.id).toBeGreaterThan(0);
      for (const sr of check.sr)
        expect(Object.keys(SYSTEM_REQUIREMENTS), check.id).toContain(sr);
      expect(vantageIds, check.id).toContain(check.vantage);
      expect(check.appliesTo.length, check.id).toBeGreaterThan(0);
    }
  });

  it("has the severities of DESIGN §4: only hsts, MES-CELL, app-sessions and the VPN proof are recommended", () => {
    const recommended = CHECKS.filter((c) => c.severity === "recommended").map(
      (c) => c.id,
    );
    expect(recommended.sort()).toEqual(
      [
        "ENT-PER.http.hsts",
        "MES-CELL.colocation",
        "MES-CELL.countermeasures",
        "APP-DB.sql.app-sessions",
        "REMOTE.vpn",
      ].sort(),
    );
  });

  it("probes from the vantages of DESIGN §4", () => {
    for (const check of CHECKS) {
      const boundary = BOUNDARIES.find((b) => b.id === check.boundary);
      expect(boundary?.vantages, check.id).toContain(check.vantage);
    }
    expect(findCheck("REMOTE.vpn")?.vantage).toBe("remote-site-no-vpn");
  });

  it("names only existing checks of the same boundary as prerequisites", () => {
    for (const check of CHECKS) {
      for (const prerequisite of check.prerequisites) {
        expect(
          findCheck(prerequisite)?.boundary,
          `${check.id} ← ${prerequisite}`,
        ).toBe(check.boundary);
      }
    }
    expect(findCheck("APP-EXT.tls.protocol")?.prerequisites).toEqual([
      "APP-EXT.secure-protocol",
    ]);
    expect(findCheck("APP-DB.sql.auth")?.prerequisites).toContain(
      "APP-DB.tds.cert",
    );
  });

  it("declares each prerequisite, of either kind, of the same boundary and before the checks that build on it", () => {
    const order = CHECKS.map((c) => c.id);
    for (const check of CHECKS) {
      for (const prerequisite of [
        ...check.prerequisites,
        ...check.presencePrerequisites,
      ]) {
        expect(
          findCheck(prerequisite)?.boundary,
          `${check.id} ← ${prerequisite}`,
        ).toBe(check.boundary);
        expect(
          order.indexOf(prerequisite),
          `${check.id} ← ${prerequisite}`,
        ).toBeLessThan(order.indexOf(check.id));
      }
    }
    expect(findCheck("PER-MES.cert.name")?.presencePrerequisites).toEqual([
      "PER-MES.tls.protocol",
      "PER-MES.cert.chain",
    ]);
    expect(findCheck("MES-PCS.opcua.cert")?.presencePrerequisites).toEqual([
      "MES-PCS.opcua.mode",
    ]);
    expect(findCheck("MES-PCS.opcua.mode")?.presencePrerequisites).toEqual([]);
  });

  it("attests the MES cell's composition and the vendor guideline, and only those are attest-only", () => {
    expect(
      CHECKS.filter((c) => c.satisfiedBy === "attest")
        .map((c) => c.id)
        .sort(),
    ).toEqual(
      [
        "MES-CELL.colocation",
        "MES-CELL.countermeasures",
        "MES-PCS.guideline",
      ].sort(),
    );
  });

  it("measures the OPC UA checks with the opcua probe, and keeps them attestable where the probe cannot judge", () => {
    const opcua = CHECKS.filter((c) => c.id.startsWith("MES-PCS.opcua."));
    expect(opcua.map((c) => c.id)).toEqual([
      "MES-PCS.opcua.mode",
      "MES-PCS.opcua.policy",
      "MES-PCS.opcua.anonymous",
      "MES-PCS.opcua.user-token",
      "MES-PCS.opcua.cert",
    ]);
    for (const check of opcua) {
      expect(familyOf(check), check.id).toBe("opcua");
      expect(check.appliesTo, check.id).toEqual(["opcua"]);
      // "either": a measured failure is never attested away; a not-tested one (no anchors for .cert) may be.
      expect(check.satisfiedBy, check.id).toBe("either");
    }
    expect(findCheck("MES-PCS.opcua.cert")?.requirement).toMatch(
      /fingerprint.*attest/,
    );
  });
});
