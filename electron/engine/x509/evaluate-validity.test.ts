// cert.validity names the certificate that decides, and measures that one's dates.
import { describe, expect, it } from "vitest";
import { createPracticePki } from "../../demo/pki";
import { certificateInfoFromDer } from "./certificate-info";
import { judgeValidity } from "./evaluate-validity";

const now = new Date("2026-06-01T00:00:00Z");
const pki = createPracticePki({ now });
const leaf = pki.issueLeaf({ commonName: "mes01.plant.local" });
const info = (der: Uint8Array, notBefore: string, notAfter: string) => ({
  ...certificateInfoFromDer(der),
  notBefore,
  notAfter,
});

describe("cert.validity", () => {
  it("measures the dates of the certificate its verdict is about, not always the leaf's", () => {
    const outcome = judgeValidity(
      "PER-MES.cert.validity",
      [
        {
          info: info(leaf.der, "2025-01-01T00:00:00Z", "2029-12-31T00:00:00Z"),
          role: "leaf",
        },
        {
          info: info(
            pki.intermediate.der,
            "2019-01-01T00:00:00Z",
            "2026-01-01T00:00:00Z",
          ),
          role: "intermediate",
        },
      ],
      { referenceName: "mes01.plant.local", headroomDays: 30, now },
    );
    expect(outcome.verdict).toBe("fail");
    expect(outcome.message).toMatch(
      /^The intermediate certificate «Cellcert Practice Issuing CA» expired on 2026-01-01/,
    );
    expect(outcome.measured).toBe(
      "intermediate «Cellcert Practice Issuing CA» valid 2019-01-01 to 2026-01-01",
    );
    expect(outcome.headroom).toBe("expired 151 days ago");
  });

  it("measures the leaf's dates when the leaf decides, and writes the headroom without nested brackets", () => {
    const outcome = judgeValidity(
      "PER-MES.cert.validity",
      [
        {
          info: info(leaf.der, "2026-01-01T00:00:00Z", "2026-06-21T00:00:00Z"),
          role: "leaf",
        },
      ],
      { referenceName: "mes01.plant.local", headroomDays: 30, now },
    );
    expect([outcome.verdict, outcome.measured, outcome.headroom]).toEqual([
      "warn",
      "valid 2026-01-01 to 2026-06-21",
      "20 days to expiry; warns below 30",
    ]);
  });
});
