import { describe, expect, it } from "vitest";
import { documentView, testPlan, withRun } from "../test-support/plans";
import { fakeApi } from "../test-support/fake-api";
import { createAppStore } from "./app-store";
import {
  assessmentOf,
  checksOfVantage,
  countVerdicts,
  evidenceOf,
  selectAssessment,
  selectVantageChecks,
  stepStateOf,
} from "./assessment";
import { putWaiver } from "./plan-edits";

describe("the assessment views", () => {
  it("are computed once per plan object", () => {
    const plan = testPlan();
    expect(assessmentOf(plan)).toBe(assessmentOf(plan));
    expect(checksOfVantage(assessmentOf(plan), "perimeter")).toBe(
      checksOfVantage(assessmentOf(plan), "perimeter"),
    );
  });

  it("select the checks made from a vantage, in-scope boundaries only", async () => {
    const plan = testPlan();
    const store = createAppStore(
      fakeApi({ "plan:current": () => Promise.resolve(documentView(plan)) }),
    );
    expect(selectAssessment(store.getState())).toBeNull();
    await store.getState().loadCurrentPlan();
    const perimeter = selectVantageChecks("perimeter")(store.getState());
    expect(new Set(perimeter.map((c) => c.check.boundary))).toEqual(
      new Set(["PER-MES", "IIS-BIND"]),
    );
    expect(perimeter.every((c) => c.check.vantage === "perimeter")).toBe(true);
    const outOfScope = testPlan({
      boundaries: plan.boundaries.map((b) =>
        b.id === "IIS-BIND" ? { ...b, inScope: false } : b,
      ),
    });
    expect(
      checksOfVantage(assessmentOf(outOfScope), "perimeter").some(
        (c) => c.check.boundary === "IIS-BIND",
      ),
    ).toBe(false);
  });

  it("give each step of the walk its state in words", () => {
    const plan = testPlan();
    expect(stepStateOf(plan, assessmentOf(plan), "enterprise", false)).toEqual({
      tone: "todo",
      label: "Not walked yet",
    });
    expect(
      stepStateOf(plan, assessmentOf(plan), "enterprise", true).label,
    ).toBe("Running");
    const walked = withRun(plan, "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "fail"],
    ]);
    expect(
      stepStateOf(walked, assessmentOf(walked), "remote-site", false),
    ).toEqual({
      tone: "fail",
      label: "1 failed",
    });
    const waived = putWaiver({
      checkId: "REMOTE.firewall.denied",
      endpointId: "remote-firewall",
      justification:
        "Port 1433 is closed by the site firewall, outside this scope.",
      name: "Dana Field",
      approvedBy: "Dana Field",
      date: "2026-11-25",
      notes: "",
    })(walked);
    expect(
      stepStateOf(waived, assessmentOf(waived), "remote-site", false),
    ).toEqual({
      tone: "pass",
      label: "All passed",
    });
  });

  it("count verdicts and find a result's evidence in its run", () => {
    const plan = withRun(testPlan(), "enterprise", [
      ["ENT-PER.reach", "perimeter-web", "pass"],
      ["ENT-PER.tls.protocol", "perimeter-web", "fail"],
    ]);
    const checks = checksOfVantage(assessmentOf(plan), "enterprise");
    const counts = countVerdicts(checks);
    expect(counts.pass).toBe(1);
    expect(counts.fail).toBe(1);
    const failing = checks.find((c) => c.verdict === "fail")!;
    expect(evidenceOf(plan, failing).map((e) => e.endpointId)).toEqual([
      "perimeter-web",
    ]);
    const untested = checks.find((c) => c.verdict === "not-tested")!;
    expect(evidenceOf(plan, untested)).toEqual([]);
  });
});
