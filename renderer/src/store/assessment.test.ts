import { describe, expect, it } from "vitest";
import { documentView, testPlan, withRun } from "../test-support/plans";
import { fakeApi } from "../test-support/fake-api";
import { createAppStore } from "./app-store";
import {
  assessmentOf,
  boundaryOf,
  checksOfVantage,
  countVerdicts,
  evidenceOf,
  outOfDateChecks,
  selectAssessment,
  selectRetiredOfVantage,
  selectSignOffSummary,
  selectVantageChecks,
  stepStateOf,
  waivedChecks,
} from "./assessment";
import {
  putAttestation,
  putEndpoint,
  putWaiver,
  removeEndpoint,
  setBoundary,
} from "./plan-edits";
import { shownBoundaryVerdict } from "../../../shared/verdicts/rollup";

const waiveDenied = putWaiver({
  checkId: "REMOTE.firewall.denied",
  endpointId: "remote-firewall",
  justification:
    "Port 1433 is closed by the site firewall, outside this scope.",
  name: "Dana Field",
  approvedBy: "Dana Field",
  date: "2026-11-25",
  notes: "",
});

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
    const waived = waiveDenied(walked);
    // A waived failure is never "All passed".
    expect(
      stepStateOf(waived, assessmentOf(waived), "remote-site", false),
    ).toEqual({
      tone: "waived",
      label: "1 waived",
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

  it("name every waived failure on the walk's tabs, never 'All passed'", () => {
    const rows: [
      allowed: "pass" | "warn" | "fail",
      denied: "pass" | "fail",
      waived: boolean,
      tone: string,
      label: string,
    ][] = [
      ["pass", "pass", false, "pass", "All passed"],
      ["pass", "fail", true, "waived", "1 waived"],
      ["warn", "fail", true, "waived", "1 waived, 1 warning"],
      ["fail", "fail", true, "fail", "1 failed, 1 waived"],
      ["warn", "pass", false, "warn", "1 warning"],
    ];
    for (const [allowed, denied, waived, tone, label] of rows) {
      const walked = withRun(testPlan(), "remote-site", [
        ["REMOTE.firewall.allowed", "remote-firewall", allowed],
        ["REMOTE.firewall.denied", "remote-firewall", denied],
      ]);
      const plan = waived ? waiveDenied(walked) : walked;
      expect(
        stepStateOf(plan, assessmentOf(plan), "remote-site", false),
        `${allowed} and ${denied}${waived ? ", waived" : ""}`,
      ).toEqual({ tone, label });
    }
    const attested = putAttestation({
      checkId: "REMOTE.firewall.denied",
      endpointId: "remote-firewall",
      statement:
        "The site firewall's rule base refuses 1433 (printed, rule 12).",
      name: "Dana Field",
      date: "2026-11-25",
      notes: "",
    })(
      withRun(testPlan(), "remote-site", [
        ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ]),
    );
    expect(
      stepStateOf(attested, assessmentOf(attested), "remote-site", false).label,
    ).toBe("All passed or attested");
  });

  it("show a boundary that passes only by a waiver as waived", () => {
    const walked = withRun(testPlan(), "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "fail"],
    ]);
    const shown = (plan: typeof walked) =>
      shownBoundaryVerdict(boundaryOf(assessmentOf(plan), "REMOTE")!);
    expect(shown(walked)).toBe("fail");
    const waived = waiveDenied(walked);
    // The roll-up lets it through (REMOTE.vpn, recommended, is not tested: a warning) …
    expect(boundaryOf(assessmentOf(waived), "REMOTE")?.verdict).toBe("warn");
    // … and it is shown for what it rests on.
    expect(shown(waived)).toBe("waived");
    const warned = waiveDenied(
      withRun(testPlan(), "remote-site", [
        ["REMOTE.firewall.allowed", "remote-firewall", "warn"],
        ["REMOTE.firewall.denied", "remote-firewall", "fail"],
      ]),
    );
    expect(shown(warned)).toBe("waived");
    expect(shown(setBoundary("REMOTE", { inScope: false })(waived))).toBe(
      "out-of-scope",
    );
    expect(shown(testPlan())).toBe("incomplete");
  });

  it("sum up what sign-off asks to confirm: verdict, counts and every waived check", async () => {
    const plan = waiveDenied(
      withRun(testPlan(), "remote-site", [
        ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
        ["REMOTE.firewall.denied", "remote-firewall", "fail"],
      ]),
    );
    expect(
      waivedChecks(assessmentOf(plan)).map(
        (c) => `${c.check.id} ${c.endpoint.id}`,
      ),
    ).toEqual(["REMOTE.firewall.denied remote-firewall"]);
    // A waiver on an out-of-scope boundary is not what the certificate rests on.
    expect(
      waivedChecks(
        assessmentOf(setBoundary("REMOTE", { inScope: false })(plan)),
      ),
    ).toEqual([]);
    const store = createAppStore(
      fakeApi({ "plan:current": () => Promise.resolve(documentView(plan)) }),
    );
    expect(selectSignOffSummary(store.getState())).toBeNull();
    await store.getState().loadCurrentPlan();
    const summary = selectSignOffSummary(store.getState())!;
    expect(summary).toBe(selectSignOffSummary(store.getState()));
    expect(summary.verdict).toBe("not commissioned");
    expect(summary.counts.waived).toBe(1);
    expect(summary.counts.pass).toBe(1);
    expect(summary.waived.map((c) => c.waiver?.name)).toEqual(["Dana Field"]);
    expect(summary.outOfDate).toEqual([]);
  });

  it("say out of date on the tab, in the counts and in sign-off's summary once an endpoint changed, until it is probed again", async () => {
    const walked = withRun(testPlan(), "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "pass"],
    ]);
    expect(
      stepStateOf(walked, assessmentOf(walked), "remote-site", false).label,
    ).toBe("All passed");
    const firewall = walked.endpoints.find((e) => e.id === "remote-firewall")!;
    const changed = putEndpoint("remote-firewall", {
      ...firewall,
      deniedPorts: [1433, 3389],
    })(walked);
    expect(
      stepStateOf(changed, assessmentOf(changed), "remote-site", false),
    ).toEqual({ tone: "incomplete", label: "2 out of date" });
    const stale = outOfDateChecks(assessmentOf(changed));
    expect(stale.map((c) => c.check.id)).toEqual([
      "REMOTE.firewall.allowed",
      "REMOTE.firewall.denied",
    ]);
    expect(stale.every((c) => c.verdict === "not-tested")).toBe(true);
    const store = createAppStore(
      fakeApi({
        "plan:current": () => Promise.resolve(documentView(changed)),
      }),
    );
    await store.getState().loadCurrentPlan();
    expect(selectSignOffSummary(store.getState())?.outOfDate).toEqual(stale);
    // Probing again clears it.
    const again = withRun(changed, "remote-site", [
      ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
      ["REMOTE.firewall.denied", "remote-firewall", "pass"],
    ]);
    expect(outOfDateChecks(assessmentOf(again))).toEqual([]);
    expect(
      stepStateOf(again, assessmentOf(again), "remote-site", false).label,
    ).toBe("All passed");
  });

  it("list a retired endpoint on the steps that probe its boundary or measured it, while the boundary is in scope", async () => {
    const retired = removeEndpoint("sql-server")(
      removeEndpoint("mes-site")(
        withRun(
          withRun(testPlan(), "perimeter", [
            ["IIS-BIND.tls.protocol", "mes-site", "pass"],
          ]),
          "enterprise",
          [["ENT-PER.segmentation", "sql-server", "pass"]],
        ),
      ),
    );
    const store = createAppStore(
      fakeApi({
        "plan:current": () => Promise.resolve(documentView(retired)),
      }),
    );
    await store.getState().loadCurrentPlan();
    const perimeter = selectRetiredOfVantage("perimeter")(store.getState());
    expect(perimeter.map((e) => e.id)).toEqual(["mes-site"]);
    // Segmentation measured the SQL Server from the enterprise cell: retired there too, and on its own step.
    expect(
      selectRetiredOfVantage("enterprise")(store.getState()).map((e) => e.id),
    ).toEqual(["sql-server"]);
    expect(
      selectRetiredOfVantage("mes")(store.getState()).map((e) => e.id),
    ).toEqual(["sql-server"]);
    expect(selectRetiredOfVantage("perimeter")(store.getState())).toBe(
      perimeter,
    );
    // Its checks leave the walk.
    expect(
      checksOfVantage(assessmentOf(retired), "perimeter").some(
        (c) => c.endpoint.id === "mes-site",
      ),
    ).toBe(false);
  });
});
