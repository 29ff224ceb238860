// Re-audit in the app (issue 20): started from a certificate on the start screen — the CA given, the PDF uploaded,
// a refusal said — and the overview of the plan it made: how the certificate verified, what is to be done again
// (an identity imported again for its endpoints, checks to attest anew) and what changed, in words and symbols.
import {
  cleanup,
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import type {
  Input,
  PlanReauditResult,
} from "../../../shared/contract/schemas";
import { Plan } from "../../../shared/model/plan";
import type { PlanChanges } from "../../../shared/reaudit/changes";
import { ApiCallError } from "../api/client";
import { createAppStore } from "../store/app-store";
import { StoreProvider } from "../store/context";
import { fakeApi } from "../test-support/fake-api";
import { openPlanStore } from "../test-support/plan-store";
import { documentView, testPlan } from "../test-support/plans";
import { OverviewScreen } from "./OverviewScreen";
import { StartScreen } from "./StartScreen";

afterEach(cleanup);

function reaudited(): Plan {
  return Plan.parse({
    ...testPlan(),
    previousCertificate: {
      number: "PLANT-20260302-1",
      issuedAt: "2026-03-02T15:00:00.000Z",
      plantVerdict: "commissioned",
      pdfSha256: "a".repeat(64),
      evidenceSha256: "b".repeat(64),
      evidenceSchema: "cellcert.evidence/2",
      rulesetVersion: "cells-2021",
      signer: { subject: "CN=Łukasz Nowak", fingerprintSha256: "AA:BB" },
      verified: "signer-not-checked",
      identitiesToImport: [
        {
          id: "perimeter-client",
          role: "client",
          name: "Perimeter client",
          endpointIds: ["mes-gateway"],
        },
      ],
      attestationsToRenew: [
        {
          checkId: "MES-CELL.colocation",
          endpointId: "mes-cell",
          previous: { statement: "Seen.", name: "Ana", date: "2026-03-02" },
        },
      ],
    },
  });
}

const CHANGES: PlanChanges = {
  previous: {
    number: "PLANT-20260302-1",
    issuedAt: "2026-03-02T15:00:00.000Z",
    plantVerdict: "commissioned",
    verified: "signer-not-checked",
  },
  problem: null,
  changes: {
    old: {
      certificateNumber: "PLANT-20260302-1",
      issuedAt: "2026-03-02T15:00:00.000Z",
      plantName: "Test plant",
      site: "",
      plantVerdict: "commissioned",
      practice: false,
      evidenceSchema: "cellcert.evidence/2",
      rulesetVersion: "cells-2021",
      toolVersion: "1.0.0",
    },
    new: {
      certificateNumber: null,
      issuedAt: null,
      plantName: "Test plant",
      site: "",
      plantVerdict: "not commissioned",
      practice: false,
      evidenceSchema: null,
      rulesetVersion: "cells-2021",
      toolVersion: "1.2.3",
    },
    notes: ["Certificate PLANT-20260302-1 was judged by the same ruleset."],
    changes: [
      {
        kind: "verdict",
        direction: "worse",
        boundaryId: "ENT-PER",
        endpointId: "perimeter-web",
        checkId: "ENT-PER.tls.protocol",
        vantage: null,
        was: "pass",
        now: "fail",
        message: "TLS 1.0 is accepted again.",
      },
      {
        kind: "verdict",
        direction: "pending",
        boundaryId: "APP-DB",
        endpointId: "sql01",
        checkId: "APP-DB.tds.cert",
        vantage: null,
        was: "pass",
        now: null,
        message: "Not measured again yet.",
      },
    ],
    counts: { worse: 1, better: 0, changed: 0, notComparable: 0, pending: 1 },
    worse: true,
  },
};

describe("re-audit from a certificate", () => {
  it("sends the certificate with the CA given, says a refusal, and opens the plan it made", async () => {
    const calls: Input<"plan:reaudit">[] = [];
    const plan = reaudited();
    let answer: () => Promise<PlanReauditResult | null> = () =>
      Promise.reject(
        new ApiCallError(
          "invalid-input",
          "certificate.pdf is not valid (integrity failed: a byte changed) — a modified or invalid certificate is not read.",
        ),
      );
    const store = createAppStore(
      fakeApi({
        "plan:list": () =>
          Promise.resolve({ mode: "workspace", recent: [], workspace: [] }),
        "plan:reaudit": (input) => {
          calls.push(input);
          return answer();
        },
      }),
    );
    render(
      <StoreProvider store={store}>
        <StartScreen />
      </StoreProvider>,
    );
    const panel = screen.getByRole("region", {
      name: "Re-audit from a certificate",
    });
    expect(panel.textContent).toContain(
      "the plan says who signed it was not checked",
    );
    fireEvent.change(
      within(panel).getByLabelText("Add the commissioning CA (PEM, optional)…"),
      {
        target: {
          files: [
            // jsdom's File has no text(); a browser's does.
            Object.assign(new File([], "ca.pem"), {
              text: () => Promise.resolve("-----BEGIN CERTIFICATE-----"),
            }),
          ],
        },
      },
    );
    await within(panel).findByText("ca.pem");
    const pdf = new File(["%PDF-1.7"], "certificate.pdf");
    const choose = within(panel).getByLabelText(
      "Choose the certificate PDF to re-audit…",
    );
    fireEvent.change(choose, { target: { files: [pdf] } });
    expect((await within(panel).findByRole("alert")).textContent).toContain(
      "a modified or invalid certificate is not read",
    );
    expect(calls[0]).toEqual({
      source: {
        kind: "upload",
        fileName: "certificate.pdf",
        base64: btoa("%PDF-1.7"),
      },
      caPems: ["-----BEGIN CERTIFICATE-----"],
    });

    answer = () =>
      Promise.resolve({
        document: documentView(plan, 1),
        verification: {
          status: "valid",
          certificateNumber: "PLANT-20260302-1",
          plantVerdict: "commissioned",
          signer: { subject: "CN=Łukasz Nowak", fingerprintSha256: "AA:BB" },
          sentence:
            "Certificate PLANT-20260302-1 is valid: signed by CN=Łukasz Nowak.",
        },
        notes: ["The waiver of PLANT-20260302-1 is not carried over."],
      });
    fireEvent.change(choose, { target: { files: [pdf] } });
    await waitFor(() =>
      expect(
        store.getState().plan.document?.plan.previousCertificate?.number,
      ).toBe("PLANT-20260302-1"),
    );
    expect(store.getState().reaudit.started).toMatchObject({
      status: "valid",
      location: documentView(plan, 1).location,
    });
    expect(within(panel).queryByRole("alert")).toBeNull();
  });

  it("shows on the overview how it verified, what is to be done again and what changed", async () => {
    const imports: Input<"identity:import">[] = [];
    const plan = reaudited();
    const { store } = await openPlanStore(plan, {
      "plan:changes": () => Promise.resolve(CHANGES),
      "identity:import": (input) => {
        imports.push(input);
        return Promise.reject(new ApiCallError("invalid-input", "stop here"));
      },
    });
    render(
      <StoreProvider store={store}>
        <OverviewScreen plan={store.getState().plan.draft!} boundary={null} />
      </StoreProvider>,
    );
    const region = screen.getByRole("region", {
      name: "Changes since certificate PLANT-20260302-1",
    });
    // Intact with its signer not checked is said, never called valid.
    expect(region.textContent).toContain(
      "who signed it was NOT checked (no commissioning CA was given)",
    );
    const toDo = within(region).getByRole("region", {
      name: "To do again in this audit",
    });
    expect(toDo.textContent).toContain(
      "Import the client identity Perimeter client (subject not recorded) again: until then mes-gateway has no client identity.",
    );
    expect(toDo.textContent).toContain(
      "Attest MES-CELL.colocation on mes-cell anew (last time Ana, 2026-03-02: “Seen.”).",
    );
    within(toDo).getByRole("button", { name: "Show MES-CELL" }).click();
    await waitFor(() =>
      expect(store.getState().wizard.position).toEqual({
        screen: "overview",
        boundary: "MES-CELL",
      }),
    );

    expect((await within(region).findByRole("status")).textContent).toContain(
      "1 worse, 1 not checked again yet; something got worse.",
    );
    // What was measured again is listed; what was not yet is folded under its count.
    const [settled, pending] = within(region).getAllByRole("table");
    expect(
      within(settled!)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual([
      "▼ WORSEENT-PER.tls.protocolperimeter-webpassfailTLS 1.0 is accepted again.",
    ]);
    expect(pending!.closest("details")?.textContent).toContain(
      "1 not checked again yet",
    );
    expect(
      within(pending!)
        .getAllByRole("row")
        .slice(1)
        .map((row) => row.textContent),
    ).toEqual(["… PENDINGAPP-DB.tds.certsql01pass—Not measured again yet."]);

    // The identity imported again names the entry it replaces, so its endpoints are linked to it.
    const form = within(region).getByRole("form", {
      name: "Import “Perimeter client” again",
    });
    fireEvent.change(within(form).getByLabelText("The file's passphrase"), {
      target: { value: "secret" },
    });
    fireEvent.change(
      within(form).getByLabelText("Choose the .p12 or .pfx file…"),
      {
        target: { files: [new File(["p12"], "perimeter-client.p12")] },
      },
    );
    await within(form).findByText(/Chosen: perimeter-client\.p12/);
    fireEvent.submit(form);
    await waitFor(() => expect(imports).toHaveLength(1));
    expect(imports[0]).toMatchObject({
      role: "client",
      name: "Perimeter client",
      replaces: "perimeter-client",
    });
  });
});
