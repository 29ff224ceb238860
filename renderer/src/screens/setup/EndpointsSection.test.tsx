import {
  cleanup,
  fireEvent,
  render,
  screen,
  within,
} from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  kindHasField,
  type EndpointField,
} from "../../../../shared/model/endpoint-kinds";
import type { Plan } from "../../../../shared/model/plan";
import { endpointKinds } from "../../../../shared/plant-words";
import { StoreProvider, useAppStore } from "../../store/context";
import { openPlanStore } from "../../test-support/plan-store";
import { planWarnings } from "../../../../shared/model/plan-warnings";
import { endpoint, testPlan, withRun } from "../../test-support/plans";
import { EndpointsSection, fromDraft, toDraft } from "./EndpointsSection";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

async function renderEndpoints(plan: Plan) {
  const { store, current } = await openPlanStore(plan);
  // The section is handed the draft as it changes, as the setup screen hands it.
  const Section = () => {
    const draft = useAppStore((state) => state.plan.draft);
    return draft === null ? null : <EndpointsSection plan={draft} />;
  };
  const view = render(
    <StoreProvider store={store}>
      <Section />
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
    // One rule, the plan's warnings, for the list, the editor and `check-plan`.
    expect(planWarnings(plan)).toEqual([
      {
        pointer: "/endpoints/1/clientIdentityId",
        reason: expect.stringMatching(
          /^"MES gateway" requires client certificates but has no client identity/,
        ) as unknown,
      },
    ]);

    await renderEndpoints(plan);
    // Flagged once in the list: the one tag on the gateway's row.
    expect(screen.getAllByText("no client identity chosen")).toHaveLength(1);
    fireEvent.click(screen.getByRole("button", { name: "Edit MES gateway" }));
    screen.getByText(/requires client certificates but has no client identity/);
    // As the kind changes in the draft, so does the warning.
    fireEvent.change(screen.getByLabelText("Kind"), {
      target: { value: "https" },
    });
    expect(
      screen.queryByText(/requires client certificates but has no client/),
    ).toBeNull();
    fireEvent.change(screen.getByLabelText("Kind"), {
      target: { value: "mtls-https" },
    });
    expect(
      screen.getByRole<HTMLButtonElement>("button", {
        name: "Save the endpoint",
      }).disabled,
    ).toBe(false);
  });

  it("removes a never-probed endpoint, and retires one with results: shown as retired, returned to the walk only by its own button", async () => {
    const plan = withRun(testPlan(), "perimeter", [
      ["IIS-BIND.tls.protocol", "mes-site", "pass"],
    ]);
    const { current } = await renderEndpoints(plan);

    // Never probed: gone, focus back on its boundary's Add button.
    fireEvent.click(
      screen.getByRole("button", { name: "Edit External system" }),
    );
    fireEvent.click(
      screen.getByRole("button", { name: "Remove the endpoint" }),
    );
    const add = await screen.findByRole("button", {
      name: "Add an endpoint to APP-EXT",
    });
    expect(document.activeElement).toBe(add);
    expect(
      current().plan.endpoints.some((e) => e.id === "external-system"),
    ).toBe(false);

    // Probed in run 1: the editor says it retires rather than removes, and why.
    fireEvent.click(screen.getByRole("button", { name: "Edit MES site" }));
    expect(
      screen.queryByRole("button", { name: "Remove the endpoint" }),
    ).toBeNull();
    screen.getByText(
      /It has results in run 1, so it is retired rather than removed/,
    );
    fireEvent.click(
      screen.getByRole("button", { name: "Retire the endpoint" }),
    );
    const returnButton = await screen.findByRole("button", {
      name: "Return MES site to the walk",
    });
    expect(document.activeElement).toBe(returnButton);
    expect(
      current().plan.endpoints.find((e) => e.id === "mes-site")?.retired,
    ).toBe(true);
    const row = returnButton.closest("li")!;
    within(row).getByText("retired");
    within(row).getByText(/its results stay in run 1 and no longer count/);
    // Not editable as it stands: no Edit button for a retired endpoint.
    expect(screen.queryByRole("button", { name: "Edit MES site" })).toBeNull();
    expect(current().plan.runs[0]?.results).toHaveLength(1);

    fireEvent.click(returnButton);
    await vi.waitFor(() =>
      expect(
        current().plan.endpoints.find((e) => e.id === "mes-site")?.retired,
      ).toBeUndefined(),
    );
    expect(document.activeElement).toBe(
      screen.getByRole("button", { name: "Edit MES site" }),
    );
  });

  it("keeps the lifecycle fields its form does not show (retired) when it saves", () => {
    const retired = {
      ...testPlan().endpoints.find((e) => e.id === "mes-site")!,
      retired: true,
    };
    const { endpoint: saved, local } = fromDraft(
      { ...toDraft(retired), host: "10.3.0.21" },
      retired,
    );
    expect(local).toEqual({});
    expect(saved).toMatchObject({ retired: true, host: "10.3.0.21" });
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
