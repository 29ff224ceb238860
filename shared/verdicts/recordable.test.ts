import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { findCheck } from "../catalog/catalog";
import { recordedRun } from "../../test/support/runs";
import { Plan } from "../model/plan";
import { attestationRefusal, waiverRefusal } from "./recordable";

const check = (id: string) => {
  const found = findCheck(id);
  if (found === undefined) throw new Error(`no check ${id}`);
  return found;
};
const measured = (
  verdict: "pass" | "warn" | "fail" | "not-tested",
  outOfDate = false,
) => ({ result: { verdict }, run: { sequence: 4 }, outOfDate });

describe("what may be attested or waived (DESIGN §4)", () => {
  const rows: [
    checkId: string,
    current: ReturnType<typeof measured> | null,
    attest: RegExp | null,
    waive: RegExp | null,
  ][] = [
    ["REMOTE.vpn", null, null, null],
    ["REMOTE.vpn", measured("not-tested"), null, null],
    [
      "REMOTE.vpn",
      measured("fail"),
      /^REMOTE\.vpn was measured to fail in run 4: an attestation cannot stand next to a measured failure/,
      null,
    ],
    [
      "REMOTE.vpn",
      measured("pass"),
      null,
      /passed in run 4: there is nothing to waive/,
    ],
    [
      "REMOTE.vpn",
      measured("fail", true),
      /probe it again before attesting/,
      /probe it again before waiving/,
    ],
    ["MES-CELL.colocation", null, null, null],
    [
      "ENT-PER.reach",
      null,
      /is proven by a probe and cannot be attested; waive it instead/,
      null,
    ],
    ["ENT-PER.reach", measured("fail"), /proven by a probe/, null],
    [
      "ENT-PER.reach",
      measured("warn"),
      /proven by a probe/,
      /passed with a warning/,
    ],
  ];
  it.each(rows)("%s, latest %j", (id, current, attest, waive) => {
    const attestation = attestationRefusal(check(id), current);
    const waiver = waiverRefusal(check(id), current);
    if (attest === null) expect(attestation).toBeNull();
    else expect(attestation).toMatch(attest);
    if (waive === null) expect(waiver).toBeNull();
    else expect(waiver).toMatch(waive);
  });
});

describe("the plan's schema", () => {
  const template = Plan.parse(
    JSON.parse(
      readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
    ),
  );
  /** The template with REMOTE.vpn measured `verdict` in run 1 and attested. */
  function attestedAfter(verdict: "pass" | "fail", contradictedByRun?: number) {
    const plan = structuredClone(template);
    plan.runs.push(
      recordedRun(plan, 1, "remote-site-no-vpn", [
        ["REMOTE.vpn", "remote-firewall", verdict],
      ]),
    );
    plan.attestations.push({
      checkId: "REMOTE.vpn",
      endpointId: "remote-firewall",
      statement: "All remote traffic goes through the VPN.",
      name: "Ana Muñoz",
      date: "2026-11-26",
      notes: "",
      ...(contradictedByRun !== undefined && { contradictedByRun }),
    });
    return plan;
  }

  it("refuses an attestation next to a measured failure, with the sentence", () => {
    const refused = Plan.safeParse(attestedAfter("fail"));
    expect(refused.success).toBe(false);
    expect(
      refused.error?.issues.map((i) => [i.path.join("/"), i.message]),
    ).toEqual([
      [
        "attestations/0",
        "REMOTE.vpn was measured to fail in run 1: an attestation cannot stand next to a measured failure; fix the fault and probe again, or waive the check",
      ],
    ]);
    expect(Plan.safeParse(attestedAfter("pass")).success).toBe(true);
  });

  it("keeps an attestation a later failure contradicted, marked with that run", () => {
    expect(Plan.safeParse(attestedAfter("fail", 1)).success).toBe(true);
  });

  it("allows it again once the endpoint changed: the failure is out of date", () => {
    const plan = attestedAfter("fail");
    plan.endpoints.find((e) => e.id === "remote-firewall")!.host = "10.30.0.6";
    const parsed = Plan.safeParse(plan);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
});
