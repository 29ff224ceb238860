// What is signed is what was measured, on the screens that show results (issue 15): the overview's blockers
// labelled by severity and matching its counts, out-of-date results named on the overview and at sign-off, a run
// refused from a vantage that is not on this laptop, a retired endpoint on the walk, the plan's signer CAs offered
// on the verifier, overlapping cell networks flagged beside them.
import {
  cleanup,
  fireEvent,
  render,
  screen,
  within,
} from "@testing-library/react";
import type { ReactNode } from "react";
import { afterEach, describe, expect, it } from "vitest";
import type { Api, RunPreview } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { StoreProvider, useAppStore } from "../store/context";
import { putEndpoint, removeEndpoint } from "../store/plan-edits";
import { openPlanStore } from "../test-support/plan-store";
import { testPlan, withRun } from "../test-support/plans";
import { OverviewScreen } from "./OverviewScreen";
import { CellsSection } from "./setup/CellsSection";
import { SignOffScreen } from "./SignOffScreen";
import { VerifyScreen } from "./VerifyScreen";
import { WalkScreen } from "./WalkScreen";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

afterEach(cleanup);

async function renderWith(
  plan: Plan,
  screenOf: (plan: Plan) => ReactNode,
  answers: Partial<Omit<Api, "on">> = {},
) {
  const { store, current } = await openPlanStore(plan, {
    "secret:status": () => Promise.resolve([]),
    ...answers,
  });
  const Screen = () => {
    const draft = useAppStore((state) => state.plan.draft);
    return draft === null ? null : screenOf(draft);
  };
  render(
    <StoreProvider store={store}>
      <Screen />
    </StoreProvider>,
  );
  return { store, current };
}

/** The enterprise vantage walked with two failures (one recommended) and a pass, then the endpoint changed. */
function walkedThenChanged(): { walked: Plan; changed: Plan } {
  const walked = withRun(testPlan(), "enterprise", [
    ["ENT-PER.reach", "perimeter-web", "pass"],
    ["ENT-PER.tls.protocol", "perimeter-web", "fail", "TLS 1.0 accepted."],
    ["ENT-PER.http.hsts", "perimeter-web", "fail", "No HSTS header."],
  ]);
  const perimeter = walked.endpoints.find((e) => e.id === "perimeter-web")!;
  const changed = putEndpoint("perimeter-web", {
    ...perimeter,
    serverName: "portal.plant.test",
  })(walked);
  return { walked, changed };
}

describe("the overview and sign-off", () => {
  it("label each blocker by its severity, list as many as the counts, recommended as recommended", async () => {
    const { walked } = walkedThenChanged();
    const assessment = assessPlan(walked);
    await renderWith(walked, (plan) => (
      <OverviewScreen plan={plan} boundary={null} />
    ));
    const region = screen.getByRole("region", {
      name: "What keeps the plant from commissioned",
    });
    const items = within(region).getAllByRole("listitem");
    // Every failing and not-tested check counted, plus the boundaries' gaps: nothing counted is missing.
    expect(items).toHaveLength(
      assessment.counts.fail +
        assessment.counts["not-tested"] +
        assessment.blockers.filter((b) => b.checkId === null).length,
    );
    const recommended = within(region).getByRole("list", {
      name: "Recommended",
    });
    const hsts = within(recommended)
      .getAllByRole("listitem")
      .find((li) => li.textContent.includes("ENT-PER.http.hsts"))!;
    within(hsts).getByText("recommended");
    within(hsts).getByText("fail");
    const mandatory = within(region).getByRole("list", { name: "Mandatory" });
    const protocol = within(mandatory)
      .getAllByRole("listitem")
      .find((li) => li.textContent.includes("ENT-PER.tls.protocol"))!;
    within(protocol).getByText("mandatory");
    expect(within(mandatory).queryByText(/ENT-PER\.http\.hsts/)).toBeNull();
  });

  it("name out-of-date results in the counts, among the blockers, and in sign-off's list", async () => {
    const { changed } = walkedThenChanged();
    await renderWith(changed, (plan) => (
      <OverviewScreen plan={plan} boundary={null} />
    ));
    const counts = screen.getByRole("region", { name: "Checks per verdict" });
    expect(counts.textContent).toMatch(/out of date\s*3\s*of the not tested/);
    const region = screen.getByRole("region", {
      name: "What keeps the plant from commissioned",
    });
    const protocol = within(region)
      .getAllByRole("listitem")
      .find((li) => li.textContent.includes("ENT-PER.tls.protocol"))!;
    within(protocol).getByText("out of date");
    expect(protocol.textContent).toContain(
      "Out of date: the endpoint changed after run 1; probe it again.",
    );
    cleanup();

    await renderWith(changed, (plan) => <SignOffScreen plan={plan} />, {
      "report:preview": () => Promise.reject(new Error("not needed here")),
    });
    const standing = screen.getByRole("region", {
      name: "What stands between the plant and commissioned",
    });
    for (const checkId of [
      "ENT-PER.reach",
      "ENT-PER.tls.protocol",
      "ENT-PER.http.hsts",
    ]) {
      const item = within(standing)
        .getAllByRole("listitem")
        .find((li) => li.textContent.includes(checkId))!;
      within(item).getByText("out of date");
    }
  });
});

describe("the walk", () => {
  const preview = (problem: string | null): RunPreview => ({
    vantage: "enterprise",
    instruction: "Connect the laptop to the Enterprise cell.",
    cellName: "Enterprise",
    boundaries: ["ENT-PER"],
    hostName: "laptop",
    addresses: [],
    sourceAddress: "10.9.9.9",
    vantageAddress: { verdict: "warn", message: "No address in 10.1.0.0/24." },
    problem,
    targets: [],
    attestOnly: [],
  });

  it("disables Run with the preview's sentence beside it when the vantage is not on this laptop", async () => {
    const refusal =
      "10.9.9.9 is not an address of this laptop: plug into the cell or correct the vantage.";
    await renderWith(
      testPlan(),
      (plan) => <WalkScreen plan={plan} vantage="enterprise" />,
      { "run:preview": () => Promise.resolve(preview(refusal)) },
    );
    const run = screen.getByRole<HTMLButtonElement>("button", {
      name: "Run the checks from Enterprise",
    });
    const sentence = await screen.findByText(refusal);
    expect(run.disabled).toBe(true);
    expect(run.getAttribute("aria-describedby")).toBe(sentence.id);
  });

  it("runs when the preview finds nothing wrong, and shows a retired endpoint as retired", async () => {
    const retired = removeEndpoint("perimeter-web")(
      withRun(testPlan(), "enterprise", [
        ["ENT-PER.reach", "perimeter-web", "pass"],
      ]),
    );
    await renderWith(
      retired,
      (plan) => <WalkScreen plan={plan} vantage="enterprise" />,
      { "run:preview": () => Promise.resolve(preview(null)) },
    );
    await screen.findByText("No address in 10.1.0.0/24.");
    const run = screen.getByRole<HTMLButtonElement>("button", {
      name: "Run the checks from Enterprise",
    });
    expect(run.disabled).toBe(false);
    const list = screen.getByRole("list", { name: "Retired endpoints" });
    within(list).getByText("retired");
    within(list).getByText(
      /^"Perimeter HTTPS" is retired: its results stay in run \d+ and no longer count/,
    );
  });
});

describe("the verifier", () => {
  it("offers the CAs the open plan's certificates were signed under as the CA to check against", async () => {
    const pem =
      "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    const { store } = await renderWith(testPlan(), () => <VerifyScreen />, {
      "report:signer-cas": () =>
        Promise.resolve([
          {
            subject: "CN=Dana Field Commissioning CA",
            fingerprintSha256: "AA:BB",
            notAfter: "2036-01-01T00:00:00.000Z",
            file: "certificates/TEST-PLANT-20260105-1-signer-ca.pem",
            pem,
            certificates: ["TEST-PLANT-20260105-1"],
          },
        ]),
    });
    const offered = await screen.findByRole("region", {
      name: "The CA this plan's certificates were signed under",
    });
    within(offered).getByText(/TEST-PLANT-20260105-1 · valid until/);
    fireEvent.click(
      within(offered).getByRole("button", {
        name: "Check against CN=Dana Field Commissioning CA",
      }),
    );
    expect(store.getState().verify.cas).toEqual([
      { fileName: "TEST-PLANT-20260105-1-signer-ca.pem", pem },
    ]);
    expect(
      within(offered).getByRole<HTMLButtonElement>("button", {
        name: "Checking against CN=Dana Field Commissioning CA",
      }).disabled,
    ).toBe(true);
  });
});

describe("plan setup", () => {
  it("warns beside a cell's networks when they overlap another cell's", async () => {
    const plan = testPlan();
    const overlapping: Plan = {
      ...plan,
      cells: plan.cells.map((cell) =>
        cell.id === "perimeter"
          ? { ...cell, networks: ["10.1.0.128/25"] }
          : cell,
      ),
    };
    await renderWith(overlapping, (p) => <CellsSection plan={p} />);
    const perimeter = screen.getByRole("group", { name: /^Perimeter/ });
    within(perimeter).getByText(
      /^10\.1\.0\.128\/25 of the Perimeter cell overlaps 10\.1\.0\.0\/24 of the Enterprise cell/,
    );
    const enterprise = screen.getByRole("group", { name: /^Enterprise/ });
    expect(within(enterprise).queryByText(/overlaps/)).toBeNull();
  });
});
