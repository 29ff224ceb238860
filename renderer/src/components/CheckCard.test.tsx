import {
  cleanup,
  fireEvent,
  render,
  screen,
  within,
} from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Plan } from "../../../shared/model/plan";
import type { VantageId } from "../../../shared/plant-words";
import { putAttestation, putEndpoint, putWaiver } from "../store/plan-edits";
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

/** A waiver of ENT-PER.http.plain on the perimeter, approved on the plant's side. */
const HTTP_PLAIN_WAIVER = {
  checkId: "ENT-PER.http.plain",
  endpointId: "perimeter-web",
  justification: "Port 80 is closed by the site firewall in front.",
  name: "Dana Field",
  approvedBy: "Lee Owner",
  date: "2026-01-05",
  notes: "",
};

async function renderCheck(
  plan: Plan,
  checkId: string,
  vantage: VantageId = "enterprise",
) {
  const { store, current } = await openPlanStore(plan);
  const item = checksOfVantage(
    assessmentOf(store.getState().plan.draft!),
    vantage,
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

  it("waives only with a justification, a name and who approved it, and records them with the expiry", async () => {
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
    within(form).getByText("Who approved the waiver is required.");
    fireEvent.change(within(form).getByLabelText("Justification"), {
      target: { value: "Port 80 is closed by the site firewall in front." },
    });
    fireEvent.change(within(form).getByLabelText("Your name"), {
      target: { value: "Dana Field" },
    });
    fireEvent.change(within(form).getByLabelText("Approved by"), {
      target: { value: "Lee Owner, plant security" },
    });
    fireEvent.change(within(form).getByLabelText("Waived until (optional)"), {
      target: { value: "2099-06-30" },
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
          approvedBy: "Lee Owner, plant security",
          expires: "2099-06-30",
        },
      ]),
    );
  });

  it("shows who approved a waiver and until when; an expired one reads expired, no longer waives, and can be waived again", async () => {
    const failed = withRun(testPlan(), "enterprise", [
      [
        "ENT-PER.http.plain",
        "perimeter-web",
        "fail",
        "Port 80 serves the site.",
      ],
    ]);
    await renderCheck(
      putWaiver({ ...HTTP_PLAIN_WAIVER, expires: "2099-06-30" })(failed),
      "ENT-PER.http.plain",
    );
    let card = screen.getByRole("article");
    within(card).getByText("waived");
    within(card).getByText(
      /^Waived by Dana Field on 2026-01-05, approved by Lee Owner until 2099-06-30: “Port 80 is closed/,
    );
    expect(within(card).queryByRole("button", { name: /^Waive/ })).toBeNull();
    cleanup();

    await renderCheck(
      putWaiver({ ...HTTP_PLAIN_WAIVER, expires: "2020-01-31" })(failed),
      "ENT-PER.http.plain",
    );
    card = screen.getByRole("article");
    within(card).getByText("fail");
    within(card).getByText(
      /^Waived by Dana Field on 2026-01-05, approved by Lee Owner; it expired after 2020-01-31 and waives nothing now: “Port 80 is closed/,
    );
    within(card).getByText("Port 80 serves the site.");
    within(card).getByRole("button", { name: "Waive again…" });
  });

  it("reads out of date with the roll-up's sentence once its endpoint changed: re-run offered, neither waive nor attest", async () => {
    const measured = putWaiver(HTTP_PLAIN_WAIVER)(
      withRun(testPlan(), "enterprise", [
        [
          "ENT-PER.http.plain",
          "perimeter-web",
          "fail",
          "Port 80 serves the site.",
        ],
      ]),
    );
    const perimeter = measured.endpoints.find((e) => e.id === "perimeter-web")!;
    const changed = putEndpoint("perimeter-web", {
      ...perimeter,
      host: "perimeter2.plant.test",
    })(measured);
    await renderCheck(changed, "ENT-PER.http.plain");
    const card = screen.getByRole("article");
    within(card.querySelector(".check-head") as HTMLElement).getByText(
      "out of date",
    );
    const message = card.querySelector(".check-message")!;
    expect(message.textContent).toMatch(
      /^Out of date: the endpoint changed after run \d+; probe it again\.$/,
    );
    // DESIGN §1's words never break across a line.
    expect(
      within(message as HTMLElement)
        .getByText("Out of date")
        .classList.contains("nowrap"),
    ).toBe(true);
    // The waiver made for what was measured before waits: it does not count meanwhile.
    expect(card.querySelector(".check-note")?.textContent).toMatch(
      /^Waived by Dana Field on 2026-01-05, .* \(not counted while the result is out of date\)/,
    );
    // What the old endpoint measured is not shown as if it were the new one's.
    expect(within(card).queryByText("Port 80 serves the site.")).toBeNull();
    within(card).getByRole("button", { name: "Re-run this check" });
    expect(within(card).queryByRole("button", { name: /^Waive/ })).toBeNull();
    expect(within(card).queryByRole("button", { name: "Attest…" })).toBeNull();
    fireEvent.click(
      within(card).getByRole("button", { name: "Details and evidence" }),
    );
    within(card).getByText("Measured before the change");
    within(card).getByText(/Port 80 serves the site\./);
  });

  it("never offers Attest… on a measured failure, says why, and shows an attestation a later failure contradicted", async () => {
    const failed = withRun(testPlan(), "remote-site", [
      [
        "REMOTE.firewall.denied",
        "remote-firewall",
        "fail",
        "Port 1433 is open.",
      ],
    ]);
    await renderCheck(failed, "REMOTE.firewall.denied", "remote-site");
    let card = screen.getByRole("article");
    expect(within(card).queryByRole("button", { name: "Attest…" })).toBeNull();
    within(card).getByRole("button", { name: "Waive…" });
    within(card).getByText(
      /^REMOTE\.firewall\.denied was measured to fail in run \d+: an attestation cannot stand next to a measured failure/,
    );
    cleanup();

    // Not measured yet: an attestable check may be attested.
    await renderCheck(testPlan(), "REMOTE.firewall.denied", "remote-site");
    screen.getByRole("button", { name: "Attest…" });
    cleanup();

    const attestedThenFailed = putAttestation({
      checkId: "REMOTE.firewall.denied",
      endpointId: "remote-firewall",
      statement: "The rule base refuses 1433 (printout, rule 12).",
      name: "Dana Field",
      date: "2026-01-05",
      notes: "",
      contradictedByRun: failed.runs[0]!.sequence,
    })(failed);
    await renderCheck(
      attestedThenFailed,
      "REMOTE.firewall.denied",
      "remote-site",
    );
    card = screen.getByRole("article");
    within(card).getByText("fail");
    within(card).getByText(
      /^Attested by Dana Field on 2026-01-05: “The rule base refuses 1433 \(printout, rule 12\)\.” Run \d+ measured a failure since, so it no longer counts\./,
    );
    expect(within(card).queryByRole("button", { name: "Attest…" })).toBeNull();
    within(card).getByRole("button", { name: "Waive…" });
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
    fireEvent.change(screen.getByLabelText("Approved by"), {
      target: { value: "Lee Owner" },
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
