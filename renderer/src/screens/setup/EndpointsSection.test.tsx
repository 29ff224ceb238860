import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type { Plan } from "../../../../shared/model/plan";
import { createAppStore } from "../../store/app-store";
import { StoreProvider } from "../../store/context";
import { fakeApi } from "../../test-support/fake-api";
import { documentView, endpoint, testPlan } from "../../test-support/plans";
import { EndpointsSection } from "./EndpointsSection";

afterEach(cleanup);

describe("the endpoint editor", () => {
  it("keeps an OPC UA endpoint's path and refuses one without a leading slash", async () => {
    const plan = testPlan({
      endpoints: [
        endpoint({
          id: "pcs-opcua",
          name: "PCS OPC UA",
          boundary: "MES-PCS",
          cell: "process-control",
          kind: "opcua",
          port: 4840,
        }),
      ],
    });
    let current = documentView(plan, 1);
    const store = createAppStore(
      fakeApi({
        "plan:current": () => Promise.resolve(current),
        "plan:update": (input) => {
          current = documentView(
            (input as { plan: Plan }).plan,
            current.revision + 1,
          );
          return Promise.resolve(current);
        },
      }),
    );
    await store.getState().loadCurrentPlan();
    render(
      <StoreProvider store={store}>
        <EndpointsSection plan={store.getState().plan.draft!} />
      </StoreProvider>,
    );
    fireEvent.click(screen.getByRole("button", { name: "Edit PCS OPC UA" }));
    const path = screen.getByLabelText(/^Path \(the \/PATH of opc\.tcp/);
    fireEvent.change(path, { target: { value: "pcs" } });
    expect(await screen.findByText(/A path starts with "\/"/)).toBeDefined();
    fireEvent.change(path, { target: { value: "/pcs/discovery" } });
    fireEvent.click(screen.getByRole("button", { name: "Save the endpoint" }));
    await screen.findByRole("button", { name: "Edit PCS OPC UA" });
    expect(
      current.plan.endpoints.find((e) => e.id === "pcs-opcua")?.opcuaPath,
    ).toBe("/pcs/discovery");
  });
});
