import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { testPlan, withRun } from "../test-support/plans";
import { assessmentOf } from "../store/assessment";
import { putWaiver } from "../store/plan-edits";
import { TopologyDiagram } from "./TopologyDiagram";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

afterEach(cleanup);

describe("<TopologyDiagram>", () => {
  it("labels every boundary with its verdict in words and lets it be chosen by click or keyboard", () => {
    const plan = withRun(testPlan(), "remote-site", [
      ["REMOTE.firewall.denied", "remote-firewall", "fail"],
    ]);
    const onSelect = vi.fn();
    render(
      <TopologyDiagram
        plan={plan}
        assessment={assessmentOf(plan)}
        selected="REMOTE"
        onSelect={onSelect}
      />,
    );
    const remote = screen.getByRole("button", { name: /^REMOTE .*: fail$/ });
    expect(remote.getAttribute("aria-pressed")).toBe("true");
    expect(
      screen
        .getByRole("button", { name: /^ENT-PER .*: incomplete$/ })
        .getAttribute("aria-pressed"),
    ).toBe("false");
    expect(screen.getAllByRole("button")).toHaveLength(8);
    fireEvent.click(screen.getByRole("button", { name: /^APP-DB/ }));
    fireEvent.keyDown(screen.getByRole("button", { name: /^MES-PCS/ }), {
      key: "Enter",
    });
    expect(onSelect.mock.calls).toEqual([["APP-DB"], ["MES-PCS"]]);
    for (const name of ["Enterprise", "Perimeter", "MES", "Database"])
      screen.getByText(name);
  });

  it("shows a boundary out of scope as such", () => {
    const plan = testPlan();
    const scoped = {
      ...plan,
      boundaries: plan.boundaries.map((b) =>
        b.id === "APP-EXT" ? { ...b, inScope: false } : b,
      ),
    };
    render(
      <TopologyDiagram
        plan={scoped}
        assessment={assessmentOf(scoped)}
        selected={null}
        onSelect={() => undefined}
      />,
    );
    screen.getByRole("button", { name: /^APP-EXT .*: out of scope$/ });
  });

  it("labels a boundary that passes only by a waiver as waived, never as pass", () => {
    const plan = putWaiver({
      checkId: "REMOTE.firewall.denied",
      endpointId: "remote-firewall",
      justification: "Closed by the site firewall, outside this scope.",
      name: "Dana Field",
      approvedBy: "Dana Field",
      date: "2026-11-25",
      notes: "",
    })(
      withRun(testPlan(), "remote-site", [
        ["REMOTE.firewall.allowed", "remote-firewall", "pass"],
        ["REMOTE.firewall.denied", "remote-firewall", "fail"],
      ]),
    );
    render(
      <TopologyDiagram
        plan={plan}
        assessment={assessmentOf(plan)}
        selected={null}
        onSelect={() => undefined}
      />,
    );
    const remote = screen.getByRole("button", { name: /^REMOTE / });
    expect(remote.getAttribute("aria-label")).toMatch(/: waived$/);
    expect(remote.getAttribute("class")).toContain("tone-info");
    expect(remote.textContent).not.toContain("pass");
  });
});
