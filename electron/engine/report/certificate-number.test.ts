import { describe, expect, it } from "vitest";
import { fixturePlan } from "../../../test/support/certificate-plans";
import {
  addMonths,
  nextAuditDate,
  nextCertificateNumber,
  plantCode,
} from "./certificate-number";

describe("certificate numbers", () => {
  it.each([
    ["Győr body shop", "GYOR-BODY-SHOP"],
    ["Łódź paint shop #2", "LODZ-PAINT-SHOP-2"],
    ["Straße der Ölmühle", "STRASSE-DER-OLMUHLE"],
    ["  ---  ", "PLANT"],
    [
      "Ștefan cel Mare plant with a very long name indeed",
      "STEFAN-CEL-MARE-PLANT-WITH-A-VER",
    ],
  ])("codes %s as %s", (name, code) => {
    expect(plantCode(name)).toBe(code);
  });

  it("counts this plan's certificates of the same UTC day", async () => {
    const plan = await fixturePlan("good");
    const now = new Date("2026-03-02T23:30:00Z");
    expect(nextCertificateNumber(plan, now)).toBe("GYOR-BODY-SHOP-20260302-1");
    const issued = (number: string) => ({
      number,
      issuedAt: now.toISOString(),
      plantVerdict: "commissioned" as const,
      pdfSha256: "0".repeat(64),
      evidenceSha256: "0".repeat(64),
      signerFingerprint: "",
    });
    const later = {
      ...plan,
      certificates: [
        issued("GYOR-BODY-SHOP-20260301-4"),
        issued("GYOR-BODY-SHOP-20260302-1"),
        issued("GYOR-BODY-SHOP-20260302-2"),
      ],
    };
    expect(nextCertificateNumber(later, now)).toBe("GYOR-BODY-SHOP-20260302-3");
    expect(nextCertificateNumber(later, new Date("2026-03-03T00:10:00Z"))).toBe(
      "GYOR-BODY-SHOP-20260303-1",
    );
  });

  it("puts the next audit policy.reauditMonths later, at the month's end when the day does not exist", async () => {
    expect(
      addMonths(new Date("2026-01-31T10:00:00Z"), 1).toISOString().slice(0, 10),
    ).toBe("2026-02-28");
    expect(
      addMonths(new Date("2027-12-15T10:00:00Z"), 14)
        .toISOString()
        .slice(0, 10),
    ).toBe("2029-02-15");
    const plan = await fixturePlan("good");
    expect(nextAuditDate(plan, new Date("2026-03-02T15:00:00Z"))).toBe(
      "2027-03-02",
    );
    expect(
      nextAuditDate(
        { ...plan, policy: { ...plan.policy, reauditMonths: 6 } },
        new Date("2026-08-31T15:00:00Z"),
      ),
    ).toBe("2027-02-28");
  });
});
