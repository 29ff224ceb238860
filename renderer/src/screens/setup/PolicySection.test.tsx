import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Plan } from "../../../../shared/model/plan";
import { StoreProvider, useAppStore } from "../../store/context";
import { selectPlan } from "../../store/plan-slice";
import { openPlanStore } from "../../test-support/plan-store";
import { testPlan } from "../../test-support/plans";
import { PolicySection } from "./PolicySection";

/** The section as the setup screen shows it: with the plan as it stands after each edit. */
function LivePolicy() {
  const plan = useAppStore(selectPlan);
  return plan === null ? null : <PolicySection plan={plan} />;
}

async function renderPolicy(plan: Plan) {
  const { store, current } = await openPlanStore(plan);
  render(
    <StoreProvider store={store}>
      <LivePolicy />
    </StoreProvider>,
  );
  return { current };
}

afterEach(cleanup);

describe("the plant's time-stamping authority", () => {
  it("refuses https with the reason, keeps an http:// URL, and takes it away when emptied", async () => {
    const { current } = await renderPolicy(testPlan());
    const field = screen.getByLabelText("Time-stamping authority (RFC 3161)");
    fireEvent.change(field, { target: { value: "https://tsa.plant.local/" } });
    fireEvent.blur(field);
    expect(
      await screen.findByText(/plain http:\/\/ only: the time-stamp is signed/),
    ).toBeDefined();
    expect(current().plan.policy.timestampAuthority).toBeUndefined();

    fireEvent.change(field, {
      target: { value: "http://tsa.plant.local/tsr" },
    });
    fireEvent.blur(field);
    await expect
      .poll(() => current().plan.policy.timestampAuthority)
      .toBe("http://tsa.plant.local/tsr");

    fireEvent.change(field, { target: { value: "" } });
    fireEvent.blur(field);
    await expect
      .poll(() => current().plan.policy.timestampAuthority)
      .toBeUndefined();
  });
});
