import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import {
  kindHasField,
  type EndpointField,
} from "../../../../shared/model/endpoint-kinds";
import type { Plan } from "../../../../shared/model/plan";
import { endpointKinds } from "../../../../shared/plant-words";
import { StoreProvider } from "../../store/context";
import { openPlanStore } from "../../test-support/plan-store";
import { endpoint, testPlan } from "../../test-support/plans";
import { endpointWarnings } from "../../store/setup-warnings";
import { EndpointsSection } from "./EndpointsSection";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

async function renderEndpoints(plan: Plan) {
  const { store, current } = await openPlanStore(plan);
  const view = render(
    <StoreProvider store={store}>
      <EndpointsSection plan={store.getState().plan.draft!} />
    </StoreProvider>,
  );
  return { store, view, current };
}

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
    const { current } = await renderEndpoints(plan);
    fireEvent.click(screen.getByRole("button", { name: "Edit PCS OPC UA" }));
    const path = screen.getByLabelText(/^Path \(the \/PATH of opc\.tcp/);
    fireEvent.change(path, { target: { value: "pcs" } });
    await screen.findByText(/A path starts with "\/"/);
    fireEvent.change(path, { target: { value: "/pcs/discovery" } });
    fireEvent.click(screen.getByRole("button", { name: "Save the endpoint" }));
    await screen.findByRole("button", { name: "Edit PCS OPC UA" });
    expect(
      current().plan.endpoints.find((e) => e.id === "pcs-opcua")?.opcuaPath,
    ).toBe("/pcs/discovery");
  });

  it("moves focus into the editor, and back to the endpoint's Edit button once saved or cancelled", async () => {
    await renderEndpoints(testPlan());
    fireEvent.click(screen.getByRole("button", { name: "Edit MES site" }));
    expect(document.activeElement).toBe(
      screen.getByRole("heading", { name: "Edit MES site" }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement).toBe(
      screen.getByRole("button", { name: "Edit MES site" }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Edit MES site" }));
    fireEvent.click(screen.getByRole("button", { name: "Save the endpoint" }));
    const edit = await screen.findByRole("button", { name: "Edit MES site" });
    expect(document.activeElement).toBe(edit);
    // A new endpoint never saved: back to where it was to be added.
    fireEvent.click(
      screen.getByRole("button", { name: "Add an endpoint to APP-EXT" }),
    );
    expect(document.activeElement).toBe(
      screen.getByRole("heading", { name: "New endpoint" }),
    );
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement).toBe(
      screen.getByRole("button", { name: "Add an endpoint to APP-EXT" }),
    );
  });

  it("flags an mTLS endpoint without a client identity at setup, and still lets it be saved", async () => {
    const plan = testPlan();
    const gateway = plan.endpoints.find((e) => e.id === "mes-gateway")!;
    expect(gateway.clientIdentityId).toBeUndefined();
    expect(endpointWarnings(gateway)).toEqual([
      expect.stringMatching(
        /^"MES gateway" wants client certificates, but no client identity is chosen/,
      ),
    ]);
    expect(endpointWarnings({ ...gateway, placeholder: true })).toEqual([]);
    expect(endpointWarnings({ ...gateway, kind: "https" })).toEqual([]);
    expect(
      endpointWarnings({ ...gateway, clientIdentityId: "perimeter" }),
    ).toEqual([]);

    await renderEndpoints(plan);
    screen.getByText("no client identity chosen");
    fireEvent.click(screen.getByRole("button", { name: "Edit MES gateway" }));
    screen.getByText(/no client identity is chosen: whether the server/);
    expect(
      screen.getByRole<HTMLButtonElement>("button", {
        name: "Save the endpoint",
      }).disabled,
    ).toBe(false);
  });

  it("shows each kind exactly the fields its kind has, switching as the kind changes", async () => {
    await renderEndpoints(testPlan());
    fireEvent.click(
      screen.getByRole("button", { name: "Add an endpoint to APP-EXT" }),
    );
    const shown = (field: EndpointField): boolean =>
      field === "trustAnchorIds"
        ? screen.queryByRole("group", {
            name: "Trust anchors for this endpoint",
          }) !== null
        : screen.queryByLabelText(FIELD_LABELS[field]) !== null;
    const fields = Object.keys(FIELD_LABELS) as EndpointField[];
    for (const kind of endpointKinds) {
      fireEvent.change(screen.getByLabelText("Kind"), {
        target: { value: kind },
      });
      expect({ kind, fields: fields.filter(shown) }).toEqual({
        kind,
        fields: fields.filter((field) => kindHasField(kind, field)),
      });
    }
  });
});

/** How the editor labels each field that only some kinds have. */
const FIELD_LABELS: Record<EndpointField, string | RegExp> = {
  host: "Host",
  port: "Port",
  serverName: "SNI name",
  paths: "Paths (one per line)",
  opcuaPath: /^Path \(the \/PATH of opc\.tcp/,
  allowedPorts: "Allowed ports",
  deniedPorts: "Denied ports",
  expect: "The port should be",
  trustAnchorIds: "Trust anchors for this endpoint",
  publicRoots: "Public roots may also anchor the chain",
  clientIdentityId: "Client identity",
  credentialId: "SQL credential",
  sqlInstance: "Named instance",
  appLogin: "MES application's SQL login",
  guideline: "Guideline followed",
};
