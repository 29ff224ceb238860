import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { recordedRun } from "../../test/support/runs";
import { Plan, type Run } from "../model/plan";
import type {
  BoundaryVerdict,
  CheckVerdict,
  MeasuredVerdict,
  PlantVerdict,
  Severity,
} from "../plant-words";
import {
  assessPlan,
  boundaryVerdict,
  effectiveVerdict,
  latestResults,
  plantVerdict,
  shownBoundaryVerdict,
  waiverExpired,
} from "./rollup";

const M: Severity = "mandatory";
const R: Severity = "recommended";

describe("check level: waivers and attestations", () => {
  const rows: [
    satisfiedBy: "probe" | "attest" | "either",
    measured: MeasuredVerdict | undefined,
    waived: boolean,
    attested: boolean,
    expected: CheckVerdict,
  ][] = [
    ["probe", "pass", false, false, "pass"],
    ["probe", "warn", false, false, "warn"],
    ["probe", "fail", false, false, "fail"],
    ["probe", "not-tested", false, false, "not-tested"],
    ["probe", undefined, false, false, "not-tested"],
    ["probe", "fail", true, false, "waived"],
    ["probe", "not-tested", true, false, "waived"],
    ["probe", "pass", true, false, "pass"], // a waiver that was not needed
    ["probe", "warn", true, false, "warn"],
    ["probe", undefined, false, true, "not-tested"], // a probe-only check cannot be attested
    ["attest", undefined, false, true, "attested"],
    ["attest", undefined, false, false, "not-tested"],
    ["either", "not-tested", false, true, "attested"],
    ["either", "fail", false, true, "fail"], // a measured failure is never attested away
    ["either", "fail", true, true, "waived"],
    ["either", "pass", false, true, "pass"],
  ];
  it.each(rows)(
    "%s check measured %s, waived %s, attested %s → %s",
    (satisfiedBy, measured, waived, attested, expected) => {
      expect(
        effectiveVerdict({ satisfiedBy, measured, waived, attested }),
      ).toBe(expected);
    },
  );
});

describe("boundary level (DESIGN §2, boundary row)", () => {
  const rows: [
    name: string,
    checks: [Severity, CheckVerdict][],
    expected: BoundaryVerdict,
  ][] = [
    [
      "a mandatory check fails",
      [
        [M, "pass"],
        [M, "fail"],
        [M, "not-tested"],
      ],
      "fail",
    ],
    [
      "a mandatory failure is waived",
      [
        [M, "waived"],
        [M, "pass"],
      ],
      "pass",
    ],
    [
      "a mandatory check is not tested",
      [
        [M, "pass"],
        [M, "not-tested"],
        [R, "fail"],
      ],
      "incomplete",
    ],
    [
      "a mandatory not-tested is waived",
      [
        [M, "waived"],
        [M, "pass"],
      ],
      "pass",
    ],
    [
      "any check warns",
      [
        [M, "pass"],
        [M, "warn"],
      ],
      "warn",
    ],
    [
      "a recommended check warns",
      [
        [M, "pass"],
        [R, "warn"],
      ],
      "warn",
    ],
    [
      "a recommended check fails",
      [
        [M, "pass"],
        [R, "fail"],
      ],
      "warn",
    ],
    [
      "a recommended check is not tested",
      [
        [M, "pass"],
        [R, "not-tested"],
      ],
      "warn",
    ],
    [
      "everything passes or is attested",
      [
        [M, "pass"],
        [M, "attested"],
        [R, "pass"],
      ],
      "pass",
    ],
    [
      "a recommended check is waived",
      [
        [M, "pass"],
        [R, "waived"],
      ],
      "pass",
    ],
  ];
  it.each(
    rows.map(([name, checks, expected]) => [name, expected, checks] as const),
  )("%s → %s", (_name, expected, checks) => {
    expect(
      boundaryVerdict(
        checks.map(([severity, verdict]) => ({ severity, verdict })),
      ),
    ).toBe(expected);
  });
});

describe("plant level (DESIGN §2, plant row)", () => {
  const rows: [
    boundaries: BoundaryVerdict[],
    waivers: boolean,
    expected: PlantVerdict,
  ][] = [
    [["pass", "pass"], false, "commissioned"],
    [["pass", "warn"], false, "commissioned"],
    [["pass", "warn"], true, "commissioned with waivers"],
    [["pass", "incomplete"], false, "not commissioned"],
    [["pass", "fail"], true, "not commissioned"],
    [["fail"], false, "not commissioned"],
    [[], false, "not commissioned"],
  ];
  it.each(rows)(
    "%j, waivers needed %s → %s",
    (boundaries, waivers, expected) => {
      expect(plantVerdict(boundaries, waivers)).toBe(expected);
    },
  );
});

const template = Plan.parse(
  JSON.parse(
    readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
  ),
);

/** A run of these results, measured on the endpoints as `measuredOn` holds them. */
function runWith(
  sequence: number,
  vantage: Run["vantage"],
  results: [checkId: string, endpointId: string, verdict: MeasuredVerdict][],
  measuredOn: Plan = template,
): Run {
  return recordedRun(measuredOn, sequence, vantage, results);
}

describe("assessing a whole plan", () => {
  it("leaves a fresh plan from the template incomplete, every mandatory check a blocker", () => {
    const assessment = assessPlan(template);
    expect(assessment.verdict).toBe("not commissioned");
    const verdicts = Object.fromEntries(
      assessment.boundaries.map((b) => [b.boundary.id, b.verdict]),
    );
    // MES-CELL holds only recommended checks: untested, they make it warn, not incomplete.
    expect(verdicts).toEqual({
      "ENT-PER": "incomplete",
      "PER-MES": "incomplete",
      "IIS-BIND": "incomplete",
      "MES-PCS": "incomplete",
      "MES-CELL": "warn",
      "APP-DB": "incomplete",
      "APP-EXT": "incomplete",
      REMOTE: "incomplete",
    });
    expect(assessment.counts.pass).toBe(0);
    expect(assessment.blockers.length).toBeGreaterThan(20);
    const segmentation = assessment.boundaries[0]?.checks.filter(
      (c) => c.check.id === "ENT-PER.segmentation",
    );
    // The MES, database and process-control endpoints that take a probe are the segmentation targets.
    expect(segmentation?.map((c) => c.endpoint.id).sort()).toEqual([
      "mes-gateway",
      "mes-site",
      "remote-firewall",
      "sql-server",
    ]);
  });

  it("never passes a boundary none of whose mandatory checks could apply to its endpoints", () => {
    const plan = structuredClone(template);
    plan.endpoints.find((e) => e.id === "perimeter-web")!.kind = "tcp";
    const entPer = assessPlan(plan).boundaries.find(
      (b) => b.boundary.id === "ENT-PER",
    );
    expect(entPer?.verdict).toBe("incomplete");
    expect(entPer?.gaps).toEqual([
      'No check of ENT-PER judges "Perimeter HTTPS (reverse proxy)", a tcp endpoint.',
    ]);
  });

  it("takes the latest result of each check, by run sequence", () => {
    const first = runWith(1, "enterprise", [
      ["ENT-PER.reach", "perimeter-web", "fail"],
    ]);
    const second = runWith(2, "enterprise", [
      ["ENT-PER.reach", "perimeter-web", "pass"],
    ]);
    expect(
      latestResults([second, first]).get("ENT-PER.reach\u0000perimeter-web")
        ?.result.verdict,
    ).toBe("pass");
  });

  it("reaches commissioned, with waivers where a waiver was needed, and counts out-of-scope boundaries out", () => {
    const plan = structuredClone(template);
    const results: [string, string, MeasuredVerdict][] = [];
    const assessment = assessPlan(plan);
    for (const boundary of assessment.boundaries) {
      for (const item of boundary.checks) {
        if (item.check.satisfiedBy !== "attest")
          results.push([item.check.id, item.endpoint.id, "pass"]);
      }
    }
    plan.runs.push(runWith(1, "mes", results));
    for (const boundary of assessment.boundaries) {
      for (const item of boundary.checks.filter(
        (c) => c.check.satisfiedBy === "attest",
      )) {
        plan.attestations.push({
          checkId: item.check.id,
          endpointId: item.endpoint.id,
          statement: "Seen on site.",
          name: "Ana Muñoz",
          date: "2026-11-25",
          notes: "",
        });
      }
    }
    expect(assessPlan(plan).verdict).toBe("commissioned");

    plan.runs.push(
      runWith(2, "mes", [["APP-DB.tds.encryption", "sql-server", "fail"]]),
    );
    const failing = assessPlan(plan);
    expect(failing.verdict).toBe("not commissioned");
    expect(failing.blockers).toEqual([
      {
        boundaryId: "APP-DB",
        checkId: "APP-DB.tds.encryption",
        endpointId: "sql-server",
        verdict: "fail",
        severity: "mandatory",
        outOfDate: false,
        message: "APP-DB.tds.encryption fail",
      },
    ]);

    plan.waivers.push({
      checkId: "APP-DB.tds.encryption",
      endpointId: "sql-server",
      justification: "Replaced in the March shutdown.",
      name: "Łukasz Nowak",
      approvedBy: "Łukasz Nowak",
      date: "2026-11-25",
      notes: "",
    });
    expect(assessPlan(plan).verdict).toBe("commissioned with waivers");

    plan.runs.push(
      runWith(3, "mes", [
        ["APP-DB.tds.encryption", "sql-server", "fail"],
        ["APP-EXT.secure-protocol", "external-system", "fail"],
      ]),
    );
    const boundary = plan.boundaries.find((b) => b.id === "APP-EXT");
    if (boundary === undefined) throw new Error("template lacks APP-EXT");
    boundary.inScope = false;
    boundary.outOfScopeReason = "No external systems at this site.";
    const scoped = assessPlan(plan);
    expect(scoped.verdict).toBe("commissioned with waivers");
    expect(
      scoped.boundaries.find((b) => b.boundary.id === "APP-EXT")?.verdict,
    ).toBeNull();
  });
});

describe("out of date, retired, expired waivers and the blocker list", () => {
  /** The template with every probe check passing from one run, every attest check attested: commissioned. */
  function commissioned(): Plan {
    const plan = structuredClone(template);
    const results: [string, string, MeasuredVerdict][] = [];
    for (const boundary of assessPlan(plan).boundaries) {
      for (const item of boundary.checks) {
        if (item.check.satisfiedBy === "attest")
          plan.attestations.push({
            checkId: item.check.id,
            endpointId: item.endpoint.id,
            statement: "Seen on site.",
            name: "Ana Muñoz",
            date: "2026-11-25",
            notes: "",
          });
        else results.push([item.check.id, item.endpoint.id, "pass"]);
      }
    }
    plan.runs.push(runWith(1, "mes", results, plan));
    return plan;
  }
  const at = (plan: Plan, checkId: string, endpointId: string) =>
    assessPlan(plan, { now: new Date("2026-12-01T12:00:00Z") })
      .boundaries.flatMap((b) => b.checks)
      .find((c) => c.check.id === checkId && c.endpoint.id === endpointId);

  it("counts a result of an endpoint changed since its run as not tested, names it a blocker, and clears it by probing again", () => {
    const plan = commissioned();
    expect(assessPlan(plan).verdict).toBe("commissioned");
    plan.endpoints.find((e) => e.id === "perimeter-web")!.port = 19419;
    const assessment = assessPlan(plan);
    expect(assessment.verdict).toBe("not commissioned");
    const entPer = assessment.boundaries.find(
      (b) => b.boundary.id === "ENT-PER",
    )!;
    const stale = entPer.checks.filter(
      (c) => c.endpoint.id === "perimeter-web",
    );
    expect(stale.length).toBeGreaterThan(5);
    for (const item of stale) {
      expect(item.verdict).toBe("not-tested");
      expect(item.outOfDate).toEqual({ afterRun: 1 });
      expect(item.result?.verdict).toBe("pass"); // kept in its run
      expect(item.summary).toBe(
        "Out of date: the endpoint changed after run 1; probe it again.",
      );
    }
    const blockers = assessment.blockers.filter((b) => b.outOfDate);
    expect(blockers.map((b) => b.checkId).sort()).toEqual(
      stale.map((c) => c.check.id).sort(),
    );
    expect(blockers.every((b) => b.verdict === "not-tested")).toBe(true);
    // A waiver or an attestation made for the old endpoint does not carry over.
    plan.waivers.push({
      checkId: "ENT-PER.reach",
      endpointId: "perimeter-web",
      justification: "For the old server.",
      name: "Ana Muñoz",
      approvedBy: "Plant owner",
      date: "2026-11-25",
      notes: "",
    });
    expect(at(plan, "ENT-PER.reach", "perimeter-web")?.verdict).toBe(
      "not-tested",
    );
    plan.runs.push(
      runWith(
        2,
        "enterprise",
        stale.map((c) => [c.check.id, "perimeter-web", "pass"]),
        plan,
      ),
    );
    expect(assessPlan(plan).verdict).toBe("commissioned");
  });

  it("leaves a retired endpoint out of the roll-up and its boundary's endpoints, keeping it listed", () => {
    const plan = commissioned();
    const extra = {
      ...plan.endpoints.find((e) => e.id === "external-system")!,
      id: "old-erp",
      name: "Old ERP link",
    };
    plan.endpoints.push(extra);
    plan.runs.push(
      runWith(2, "mes", [["APP-EXT.secure-protocol", "old-erp", "fail"]], plan),
    );
    expect(assessPlan(plan).verdict).toBe("not commissioned");
    extra.retired = true;
    const assessment = assessPlan(plan);
    expect(assessment.verdict).toBe("commissioned");
    const appExt = assessment.boundaries.find(
      (b) => b.boundary.id === "APP-EXT",
    )!;
    expect(appExt.retired.map((e) => e.id)).toEqual(["old-erp"]);
    expect(appExt.checks.some((c) => c.endpoint.id === "old-erp")).toBe(false);
    // The only endpoint of a boundary retired: the boundary has none configured.
    plan.endpoints.find((e) => e.id === "external-system")!.retired = true;
    expect(
      assessPlan(plan).boundaries.find((b) => b.boundary.id === "APP-EXT")
        ?.gaps,
    ).toEqual(["No endpoint is configured for APP-EXT."]);
  });

  it("stops waiving after a waiver's expiry date, and reads WAIVED where a waiver carried the boundary", () => {
    const plan = commissioned();
    plan.runs.push(
      runWith(
        2,
        "mes",
        [["APP-DB.tds.encryption", "sql-server", "fail"]],
        plan,
      ),
    );
    plan.waivers.push({
      checkId: "APP-DB.tds.encryption",
      endpointId: "sql-server",
      justification: "Replaced in the March shutdown.",
      name: "Łukasz Nowak",
      approvedBy: "Ștefan Popescu",
      expires: "2026-12-01",
      notes: "",
      date: "2026-11-25",
    });
    const lastDay = assessPlan(plan, { now: new Date(2026, 11, 1, 18) });
    expect(lastDay.verdict).toBe("commissioned with waivers");
    const appDb = lastDay.boundaries.find((b) => b.boundary.id === "APP-DB")!;
    expect(appDb.verdict).toBe("pass");
    expect(shownBoundaryVerdict(appDb)).toBe("waived");
    const after = assessPlan(plan, { now: new Date(2026, 11, 2, 8) });
    expect(after.verdict).toBe("not commissioned");
    const item = after.boundaries
      .flatMap((b) => b.checks)
      .find((c) => c.check.id === "APP-DB.tds.encryption")!;
    expect(item).toMatchObject({ verdict: "fail", waiverExpired: true });
    expect(item.summary).toBe(
      "The waiver by Łukasz Nowak expired on 2026-12-01: APP-DB.tds.encryption fail",
    );
    expect(waiverExpired(plan.waivers[0]!, new Date(2026, 11, 1, 23, 59))).toBe(
      false,
    );
  });

  it("lists every failing and untested check it counts, recommended ones as recommended", () => {
    const plan = commissioned();
    plan.runs.push(
      runWith(
        2,
        "remote-site-no-vpn",
        [["REMOTE.vpn", "remote-firewall", "fail"]],
        plan,
      ),
    );
    plan.runs.push(
      runWith(
        3,
        "mes",
        [["APP-DB.tds.encryption", "sql-server", "fail"]],
        plan,
      ),
    );
    const assessment = assessPlan(plan);
    expect(assessment.counts.fail).toBe(2);
    const failing = assessment.blockers.filter((b) => b.verdict === "fail");
    expect(failing).toHaveLength(assessment.counts.fail);
    expect(failing.map((b) => [b.checkId, b.severity]).sort()).toEqual([
      ["APP-DB.tds.encryption", "mandatory"],
      ["REMOTE.vpn", "recommended"],
    ]);
    const fresh = assessPlan(template);
    expect(
      fresh.blockers.filter((b) => b.verdict === "not-tested"),
    ).toHaveLength(fresh.counts["not-tested"]);
  });

  it("makes no segmentation target of an out-of-scope boundary's endpoints", () => {
    const plan = structuredClone(template);
    plan.boundaries.find((b) => b.id === "APP-DB")!.inScope = false;
    const targets = assessPlan(plan)
      .boundaries.find((b) => b.boundary.id === "ENT-PER")
      ?.checks.filter((c) => c.check.id === "ENT-PER.segmentation")
      .map((c) => c.endpoint.id)
      .sort();
    expect(targets).toEqual(["mes-gateway", "mes-site", "remote-firewall"]);
  });
});
