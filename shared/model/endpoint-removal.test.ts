import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordedRun } from "../../test/support/runs";
import { removeEndpoint, runsMeasuring } from "./endpoint-removal";
import { Plan } from "./plan";

const template = Plan.parse(
  JSON.parse(
    readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
  ),
);

function probed(plan: Plan, endpointId: string, sequence: number): Plan {
  return Plan.parse({
    ...plan,
    runs: [
      ...plan.runs,
      recordedRun(plan, sequence, "mes", [
        ["APP-EXT.secure-protocol", endpointId, "fail", "plaintext"],
      ]),
    ],
  });
}

describe("removing an endpoint", () => {
  it("removes one never probed outright, with its waivers and attestations", () => {
    const plan = structuredClone(template);
    plan.attestations.push({
      checkId: "MES-CELL.colocation",
      endpointId: "mes-cell-composition",
      statement: "Seen.",
      name: "A",
      date: "2026-11-25",
      notes: "",
    });
    const removal = removeEndpoint(plan, "mes-cell-composition");
    expect(removal.outcome).toBe("removed");
    expect(
      removal.plan.endpoints.some((e) => e.id === "mes-cell-composition"),
    ).toBe(false);
    expect(removal.plan.attestations).toEqual([]);
    expect(Plan.safeParse(removal.plan).success).toBe(true);
  });

  it("retires one with results: kept in the plan and its runs, the plan still valid", () => {
    const plan = probed(
      probed(structuredClone(template), "external-system", 1),
      "external-system",
      2,
    );
    expect(runsMeasuring(plan, "external-system")).toEqual([1, 2]);
    const removal = removeEndpoint(plan, "external-system");
    expect(removal).toMatchObject({ outcome: "retired", runs: [1, 2] });
    expect(
      removal.plan.endpoints.find((e) => e.id === "external-system")?.retired,
    ).toBe(true);
    expect(removal.plan.runs).toEqual(plan.runs);
    expect(Plan.safeParse(removal.plan).success).toBe(true);
    expect(removeEndpoint(plan, "nowhere").outcome).toBe("absent");
  });
});
