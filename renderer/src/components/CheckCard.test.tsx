import {
  cleanup,
  fireEvent,
  render,
  screen,
  within,
} from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../../../shared/model/plan";
import { openPlanStore } from "../test-support/plan-store";
import { testPlan, withRun } from "../test-support/plans";
import { assessmentOf, checksOfVantage } from "../store/assessment";
import { StoreProvider } from "../store/context";
import { CheckCard } from "./CheckCard";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

const CERTIFICATE = {
  pem: "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----",
  subject: "CN=perimeter.plant.test, O=Plant",
  issuer: "CN=Plant CA, O=Plant",
  serialNumber: "01",
  subjectAltNames: [{ type: "dns", value: "perimeter.plant.test" }],
  notBefore: "2026-01-01T00:00:00.000Z",
  notAfter: "2026-12-10T00:00:00.000Z",
  keyType: "ec",
  keyBits: 256,
  curve: "prime256v1",
  signatureAlgorithm: "ecdsa-with-SHA256",
  fingerprintSha256: "AB:CD:EF",
  selfSigned: false,
  isCA: false,
};

async function renderCheck(plan: Plan, checkId: string) {
  const { store, current } = await openPlanStore(plan);
  const item = checksOfVantage(
    assessmentOf(store.getState().plan.draft!),
    "enterprise",
  ).find((c) => c.check.id === checkId)!;
  const view = render(
    <StoreProvider store={store}>
      <CheckCard item={item} />
    </StoreProvider>,
  );
  return { store, view, current };
}

afterEach(cleanup);

describe("<CheckCard>", () => {
  it("shows the verdict in words, the sentence to act on, measured against the certificate's 'Pass if'", async () => {
    const plan = withRun(testPlan(), "enterprise", [
      [
        "ENT-PER.tls.protocol",
        "perimeter-web",
        "fail",
        "TLS 1.0 is accepted; switch it off on the proxy.",
      ],
    ]);
    await renderCheck(plan, "ENT-PER.tls.protocol");
    const card = screen.getByRole("article", {
      name: /Protocol versions on Perimeter HTTPS/,
    });
    within(card).getByText("fail");
    within(card).getByText("TLS 1.0 is accepted; switch it off on the proxy.");
    within(card).getByText("TLS 1.0, TLS 1.2");
    within(card).getByText("the server accepts TLS 1.2 and TLS 1.3 only.");
  });

  it("opens the requirement, SR references and the certificate chain of its evidence", async () => {
    const plan = withRun(
      testPlan(),
      "enterprise",
      [["ENT-PER.cert.validity", "perimeter-web", "warn"]],
      { chain: [CERTIFICATE] },
    );
    await renderCheck(plan, "ENT-PER.cert.validity");
    fireEvent.click(
      screen.getByRole("button", { name: "Details and evidence" }),
    );
    screen.getByText(/Valid now; expiring within the policy's headroom/);
    screen.getByText(/SR 3.1 Communication integrity/);
    screen.getByText("CN=perimeter.plant.test, O=Plant");
    screen.getByText("CN=Plant CA, O=Plant");
    screen.getByText("DNS: perimeter.plant.test");
    screen.getByText("EC 256 bits (prime256v1)");
    screen.getByText("ecdsa-with-SHA256");
    screen.getByText("AB:CD:EF");
  });

  it("waives only with a justification and a name, and records both", async () => {
    const plan = withRun(testPlan(), "enterprise", [
      ["ENT-PER.http.plain", "perimeter-web", "fail"],
    ]);
    const { current } = await renderCheck(plan, "ENT-PER.http.plain");
    fireEvent.click(screen.getByRole("button", { name: "Waive…" }));
    const form = screen.getByRole("form", { name: "Waive this check" });
    fireEvent.click(
      within(form).getByRole("button", { name: "Record the waiver" }),
    );
    within(form).getByText("A waiver's justification is required.");
    within(form).getByText("A name is required.");
    fireEvent.change(within(form).getByLabelText("Justification"), {
      target: { value: "Port 80 is closed by the site firewall in front." },
    });
    fireEvent.change(within(form).getByLabelText("Your name"), {
      target: { value: "Dana Field" },
    });
    fireEvent.click(
      within(form).getByRole("button", { name: "Record the waiver" }),
    );
    // The plan has the waiver at once; the card shows it when it is handed the new assessment.
    await vi.waitFor(() =>
      expect(current().plan.waivers).toMatchObject([
        {
          checkId: "ENT-PER.http.plain",
          endpointId: "perimeter-web",
          justification: "Port 80 is closed by the site firewall in front.",
          name: "Dana Field",
        },
      ]),
    );
  });

  it("offers no attestation for a check only a probe can prove", async () => {
    await renderCheck(testPlan(), "ENT-PER.reach");
    expect(screen.queryByRole("button", { name: "Attest…" })).toBeNull();
    screen.getByRole("button", { name: "Waive…" });
    screen.getByText("Not tested yet: run the enterprise vantage.");
  });

  it("moves focus into the waiver form, to the waiver once recorded, and back to Waive… when cancelled", async () => {
    const plan = withRun(testPlan(), "enterprise", [
      ["ENT-PER.http.plain", "perimeter-web", "fail"],
    ]);
    const { store, view } = await renderCheck(plan, "ENT-PER.http.plain");
    const waive = screen.getByRole("button", { name: "Waive…" });
    fireEvent.click(waive);
    expect(document.activeElement).toBe(screen.getByLabelText("Justification"));
    fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(document.activeElement).toBe(waive);

    fireEvent.click(waive);
    fireEvent.change(screen.getByLabelText("Justification"), {
      target: { value: "Port 80 is closed by the site firewall in front." },
    });
    fireEvent.change(screen.getByLabelText("Your name"), {
      target: { value: "Dana Field" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Record the waiver" }));
    // The card is handed the new assessment, as the walk does when the plan changes.
    const waived = checksOfVantage(
      assessmentOf(store.getState().plan.draft!),
      "enterprise",
    ).find((c) => c.check.id === "ENT-PER.http.plain")!;
    expect(waived.verdict).toBe("waived");
    view.rerender(
      <StoreProvider store={store}>
        <CheckCard item={waived} />
      </StoreProvider>,
    );
    expect(document.activeElement?.textContent).toMatch(
      /^Waived by Dana Field on /,
    );
  });
});
