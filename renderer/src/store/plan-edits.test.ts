import { describe, expect, it } from "vitest";
import { calendarDay } from "../../../shared/verdicts/rollup";
import { testPlan, withRun } from "../test-support/plans";
import {
  addCell,
  newEndpoint,
  planProblems,
  problemsAt,
  putEndpoint,
  putWaiver,
  removeCredential,
  removeEndpoint,
  removeWaiver,
  returnEndpoint,
  setVantage,
  setWizardPosition,
} from "./plan-edits";

const waiver = {
  checkId: "ENT-PER.http.hsts",
  endpointId: "perimeter-web",
  justification: "HSTS is set by the load balancer in front.",
  name: "Dana Field",
  approvedBy: "Dana Field",
  date: "2026-11-25",
  notes: "",
};

describe("plan edits", () => {
  it("never change the plan they are given", () => {
    const plan = testPlan();
    const frozen = JSON.stringify(plan);
    putWaiver(waiver)(plan);
    removeEndpoint("perimeter-web")(plan);
    addCell("mes", "Second MES")(plan);
    expect(JSON.stringify(plan)).toBe(frozen);
  });

  it("replace an endpoint in place, or add a new one", () => {
    const plan = testPlan();
    const edited = putEndpoint("mes-site", {
      ...plan.endpoints[2]!,
      host: "10.3.0.20",
    })(plan);
    expect(edited.endpoints[2]?.host).toBe("10.3.0.20");
    expect(edited.endpoints).toHaveLength(plan.endpoints.length);
    const added = putEndpoint(null, newEndpoint(plan, "APP-EXT"))(plan);
    expect(added.endpoints).toHaveLength(plan.endpoints.length + 1);
    expect(added.endpoints.at(-1)?.id).toBe("app-ext-endpoint");
    expect(added.endpoints.at(-1)?.cell).toBe("external");
  });

  it("retire a probed endpoint instead of removing it, and return it to the walk only when asked", () => {
    const probed = putWaiver(waiver)(
      withRun(testPlan(), "enterprise", [
        ["ENT-PER.reach", "perimeter-web", "pass"],
      ]),
    );
    const retired = removeEndpoint("perimeter-web")(probed);
    expect(
      retired.endpoints.find((e) => e.id === "perimeter-web"),
    ).toMatchObject({ retired: true, host: "perimeter.plant.test" });
    // What was measured and decided about it stays with it.
    expect(retired.waivers).toEqual(probed.waivers);
    expect(planProblems(retired)).toEqual([]);
    const back = returnEndpoint("perimeter-web")(retired);
    expect(back.endpoints.find((e) => e.id === "perimeter-web")).toEqual(
      probed.endpoints.find((e) => e.id === "perimeter-web"),
    );
    // Only a retired endpoint is returned: any other is left as it is.
    expect(returnEndpoint("mes-site")(probed)).toEqual(probed);
  });

  it("remove an endpoint's waivers with it, and a credential from its endpoints", () => {
    const plan = putWaiver(waiver)(testPlan());
    expect(removeEndpoint("perimeter-web")(plan).waivers).toEqual([]);
    const withCredential = {
      ...plan,
      credentials: [
        { id: "sql", name: "SQL", user: "probe", password: "prompt" },
      ],
      endpoints: plan.endpoints.map((e) =>
        e.id === "sql-server" ? { ...e, credentialId: "sql" } : e,
      ),
    };
    const removed = removeCredential("sql")(withCredential);
    expect(removed.credentials).toEqual([]);
    expect(
      removed.endpoints.find((e) => e.id === "sql-server")?.credentialId,
    ).toBeUndefined();
    expect(planProblems(removed)).toEqual([]);
  });

  it("keep one waiver per check and endpoint", () => {
    const plan = putWaiver({ ...waiver, justification: "second" })(
      putWaiver(waiver)(testPlan()),
    );
    expect(plan.waivers).toHaveLength(1);
    expect(plan.waivers[0]?.justification).toBe("second");
    expect(
      removeWaiver(waiver.checkId, waiver.endpointId)(plan).waivers,
    ).toEqual([]);
  });

  it("leave the source address out when it is emptied", () => {
    const plan = setVantage("mes", { sourceAddress: "10.3.0.9" })(testPlan());
    expect(plan.vantages.find((v) => v.id === "mes")?.sourceAddress).toBe(
      "10.3.0.9",
    );
    const cleared = setVantage("mes", { sourceAddress: "" })(plan);
    expect(
      "sourceAddress" in (cleared.vantages.find((v) => v.id === "mes") ?? {}),
    ).toBe(false);
  });

  it("leave the network card out when it is emptied", () => {
    const plan = setVantage("mes", { interface: "eth1" })(testPlan());
    expect(plan.vantages.find((v) => v.id === "mes")?.interface).toBe("eth1");
    const cleared = setVantage("mes", { interface: "" })(plan);
    expect(
      "interface" in (cleared.vantages.find((v) => v.id === "mes") ?? {}),
    ).toBe(false);
  });

  it("leave the plan untouched when the position is the same", () => {
    const plan = testPlan({ wizard: { position: "signoff" } });
    expect(setWizardPosition("signoff")(plan)).toBe(plan);
    expect(setWizardPosition("overview")(plan).wizard.position).toBe(
      "overview",
    );
  });

  it("are checked by the plan's own schema, the problems found by field", () => {
    const plan = testPlan();
    const broken = putEndpoint("mes-site", {
      ...plan.endpoints[2]!,
      host: "not a host!",
      allowedPorts: [443],
      deniedPorts: [443],
    })(plan);
    const problems = planProblems(broken);
    expect(problemsAt(problems, "/endpoints/2/host")).toEqual([
      "A host is a DNS name or an IP address (IPv6 without brackets).",
    ]);
    expect(problemsAt(problems, "/endpoints/2/deniedPorts")).toEqual([
      "Port 443 is both allowed and denied.",
    ]);
    expect(problemsAt(problems, "/endpoints/1")).toEqual([]);
  });

  it("date waivers with the laptop's day", () => {
    expect(calendarDay(new Date(2026, 0, 5, 23, 59))).toBe("2026-01-05");
  });
});
