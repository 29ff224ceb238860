import { describe, expect, it } from "vitest";
import { CHECKS } from "./catalog";
import { checkCriteria, criteriaLines } from "./criteria";

describe("Pass if / Fail if", () => {
  it("words every check of the catalog on its own (none falls back to the generic words)", () => {
    for (const check of CHECKS) {
      const criteria = checkCriteria(check);
      expect(criteria.passIf, check.id).not.toBe("the requirement is met");
      for (const clause of [
        criteria.passIf,
        criteria.failIf,
        criteria.warnIf,
      ]) {
        if (clause === null) continue;
        // A clause, not a sentence: it follows "Pass if" and gets its full stop from criteriaLines.
        expect(clause, check.id).not.toMatch(/^(Pass|Fail|Warn)/i);
        expect(clause, check.id).not.toMatch(/\.$/);
      }
    }
  });

  it("says a recommended check never fails where its rule only warns", () => {
    for (const id of ["ENT-PER.http.hsts", "REMOTE.vpn", "MES-CELL.colocation"])
      expect(checkCriteria({ id }).failIf).toMatch(/^never/);
  });

  it("follows the plan's policy: headroom days and TLS 1.3 only", () => {
    const strict = {
      headroomDays: 60,
      minimumTlsVersion: "TLSv1.3" as const,
      requireRevocation: true,
    };
    expect(checkCriteria({ id: "ENT-PER.cert.validity" }, strict).warnIf).toBe(
      "the certificate expires within 60 days",
    );
    expect(checkCriteria({ id: "ENT-PER.tls.protocol" }, strict)).toEqual({
      passIf: "the server accepts TLS 1.3 only",
      failIf: "the server accepts SSLv2, SSLv3, TLS 1.0, TLS 1.1 or TLS 1.2",
      warnIf: null,
    });
    expect(checkCriteria({ id: "PER-MES.cert.chain" }, strict).failIf).toMatch(
      /no revocation information/,
    );
  });

  it("gives the lines in the order Pass if, Warn if, Fail if, each a sentence", () => {
    expect(
      criteriaLines(checkCriteria({ id: "IIS-BIND.cert.validity" })),
    ).toEqual([
      {
        label: "Pass if",
        text: "the certificate is valid and expires more than 30 days after the run.",
      },
      { label: "Warn if", text: "the certificate expires within 30 days." },
      {
        label: "Fail if",
        text: "the certificate has expired or is not yet valid.",
      },
    ]);
    expect(
      criteriaLines(checkCriteria({ id: "ENT-PER.cert.name" })).map(
        (l) => l.label,
      ),
    ).toEqual(["Pass if", "Fail if"]);
  });
});
