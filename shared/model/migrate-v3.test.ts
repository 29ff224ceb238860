// Version 2 plans brought to version 3 (issue 15): results get the fingerprint of their endpoint as it is at
// migration, waivers their approver, and an attestation contradicted by a later failure is marked so.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { assessPlan } from "../verdicts/rollup";
import { endpointFingerprint } from "./endpoint-fingerprint";
import { parsePlanText } from "./parse-plan";

const V2 = readFileSync(
  "test/fixtures/plans/v2-gyor-body-shop.cellcert.json",
  "utf8",
);

describe("a version 2 plan", () => {
  const parsed = parsePlanText(V2);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const plan = parsed.plan;

  it("is read as version 3, its results measuring the endpoints as they are now", () => {
    expect(parsed.fromVersion).toBe(2);
    expect(plan.schemaVersion).toBe(3);
    const results = plan.runs.flatMap((r) => r.results);
    expect(results).toHaveLength(3);
    for (const result of results) {
      const endpoint = plan.endpoints.find((e) => e.id === result.endpointId)!;
      expect(result.endpointFingerprint).toBe(
        endpointFingerprint(plan, endpoint),
      );
    }
    const assessment = assessPlan(plan);
    expect(
      assessment.boundaries.flatMap((b) => b.checks).filter((c) => c.outOfDate),
    ).toEqual([]);
  });

  it("names the waiver's signer as its approver, and marks the attestation a later failure contradicts", () => {
    expect(plan.waivers[0]).toMatchObject({
      name: "Łukasz Nowak",
      approvedBy: "Łukasz Nowak",
    });
    expect(plan.waivers[0]?.expires).toBeUndefined();
    expect(plan.attestations[0]).toMatchObject({
      checkId: "REMOTE.vpn",
      contradictedByRun: 2,
    });
    const vpn = assessPlan(plan)
      .boundaries.flatMap((b) => b.checks)
      .find((c) => c.check.id === "REMOTE.vpn");
    expect(vpn?.verdict).toBe("fail");
  });

  it("keeps a result current when only its endpoint's name changes, and out of date when its port does", () => {
    const json = JSON.parse(V2) as {
      endpoints: { id: string; name: string; port: number }[];
    };
    const web = json.endpoints.find((e) => e.id === "perimeter-web")!;
    web.name = "Reverse proxy";
    const renamed = parsePlanText(JSON.stringify(json));
    if (!renamed.ok) throw new Error("renamed plan refused");
    // Migration reads the endpoint as it is: nothing is out of date right after it.
    const reach = (p: typeof plan) =>
      assessPlan(p)
        .boundaries.flatMap((b) => b.checks)
        .find(
          (c) =>
            c.check.id === "ENT-PER.reach" && c.endpoint.id === "perimeter-web",
        );
    expect(reach(renamed.plan)?.verdict).toBe("pass");
    const moved = structuredClone(renamed.plan);
    moved.endpoints.find((e) => e.id === "perimeter-web")!.port = 8443;
    expect(reach(moved)?.outOfDate).toEqual({ afterRun: 1 });
  });
});
