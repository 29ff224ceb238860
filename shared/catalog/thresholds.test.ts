import { describe, expect, it } from "vitest";
import { effectiveTlsThresholds, THRESHOLDS } from "./thresholds";

describe("thresholds", () => {
  it("hold DESIGN §3 by default", () => {
    expect(effectiveTlsThresholds()).toEqual({
      failingProtocols: ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1"],
      minimumProtocol: "TLSv1.2",
      headroomDays: 30,
    });
    expect(THRESHOLDS.keys.minimumBits).toMatchObject({ rsa: 2048, ec: 256 });
  });

  it("may be made stricter by the policy, never looser", () => {
    expect(
      effectiveTlsThresholds({
        minimumTlsVersion: "TLSv1.3",
        headroomDays: 90,
      }),
    ).toEqual({
      failingProtocols: ["SSLv2", "SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2"],
      minimumProtocol: "TLSv1.3",
      headroomDays: 90,
    });
    expect(effectiveTlsThresholds({ headroomDays: 5 }).headroomDays).toBe(30);
  });
});
