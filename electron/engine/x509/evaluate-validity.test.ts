// cert.validity names the certificate that decides, and measures that one's dates.
import { describe, expect, it } from "vitest";
import { createPracticePki } from "../../demo/pki";
import { certificateInfoFromDer } from "./certificate-info";
import { judgeValidity } from "./evaluate-validity";

const now = new Date("2026-06-01T00:00:00Z");
const pki = createPracticePki({ now });
const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });

type Dates = readonly [notBefore: string, notAfter: string];
const at = (day: string): string => `${day}T00:00:00Z`;

/** The validity of a leaf (and an intermediate) with the dates given, judged at `now`. */
function validity(leafDates: Dates, intermediateDates?: Dates) {
  const judged = [
    { der: leaf.der, dates: leafDates, role: "leaf" as const },
    ...(intermediateDates === undefined
      ? []
      : [
          {
            der: pki.intermediate.der,
            dates: intermediateDates,
            role: "intermediate" as const,
          },
        ]),
  ].map(({ der, dates, role }) => ({
    info: {
      ...certificateInfoFromDer(der),
      notBefore: at(dates[0]),
      notAfter: at(dates[1]),
    },
    role,
  }));
  return judgeValidity("PER-MES.cert.validity", judged, {
    referenceName: "mes01.plant.local",
    headroomDays: 30,
    now,
  });
}

const ISSUING_CA = "«Cellcert Practice Issuing CA»";

describe("cert.validity", () => {
  it("measures the dates of the certificate its verdict is about, not always the leaf's", () => {
    const outcome = validity(
      ["2025-01-01", "2029-12-31"],
      ["2019-01-01", "2026-01-01"],
    );
    expect(outcome.verdict).toBe("fail");
    expect(outcome.message).toMatch(
      new RegExp(
        `^The intermediate certificate ${ISSUING_CA} expired on 2026-01-01`,
      ),
    );
    expect(outcome.measured).toBe(
      `intermediate ${ISSUING_CA} valid 2019-01-01 to 2026-01-01`,
    );
    expect(outcome.headroom).toBe("expired 151 days ago");
  });

  it("measures the leaf's dates when the leaf decides, and writes the headroom without nested brackets", () => {
    const outcome = validity(["2026-01-01", "2026-06-21"]);
    expect([outcome.verdict, outcome.measured, outcome.headroom]).toEqual([
      "warn",
      "valid 2026-01-01 to 2026-06-21",
      "20 days to expiry; warns below 30",
    ]);
  });

  it("measures the first certificate to expire on a pass too, as its sentence names it", () => {
    const outcome = validity(
      ["2026-01-01", "2029-12-31"],
      ["2020-01-01", "2027-06-01"],
    );
    expect([outcome.verdict, outcome.measured]).toEqual([
      "pass",
      `intermediate ${ISSUING_CA} valid 2020-01-01 to 2027-06-01`,
    ]);
    expect(outcome.message).toContain(
      `the first to expire is the intermediate certificate ${ISSUING_CA}, on 2027-06-01`,
    );
  });
});
