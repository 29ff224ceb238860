import {
  cleanup,
  fireEvent,
  render,
  screen,
  waitFor,
} from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { fakeApi, TEST_APP_INFO } from "./test-support/fake-api";
import { documentView, testPlan } from "./test-support/plans";
import { App } from "./App";
import { createAppStore } from "./store/app-store";
import { StoreProvider } from "./store/context";
import type { Api } from "../../shared/contract/schemas";

// A getBy…/findBy… query fails the test when nothing matches: such a query alone is the assertion.

afterEach(cleanup);

const noPlan: Partial<Omit<Api, "on">> = {
  "plan:current": () => Promise.resolve(null),
  "run:current": () => Promise.resolve(null),
  "plan:list": () =>
    Promise.resolve({
      mode: "workspace",
      recent: [],
      workspace: [
        {
          file: "older.cellcert.json",
          modifiedAt: "2026-11-20T10:00:00.000Z",
          sizeBytes: 100,
        },
      ],
    }),
  "practice:status": () => Promise.resolve(null),
};

function renderApp(api: Api) {
  render(
    <StoreProvider store={createAppStore(api)}>
      <App />
    </StoreProvider>,
  );
}

describe("<App>", () => {
  it("shows the version the engine reports and the start screen", async () => {
    renderApp(
      fakeApi({
        ...noPlan,
        "app:info": () =>
          Promise.resolve({ ...TEST_APP_INFO, version: "9.8.7" }),
      }),
    );
    await screen.findByText("Cellcert 9.8.7 · ruleset cells-2021");
    screen.getByText("Browser mode");
    screen.getByRole("heading", { name: "Commission a plant" });
    await screen.findByRole("button", { name: /older\.cellcert\.json/ });
    screen.getByRole("button", { name: "Start the practice plant" });
  });

  it("asks for the plant's name before making a plan, then opens its setup", async () => {
    renderApp(
      fakeApi({
        ...noPlan,
        "plan:new": ({ plantName }) =>
          Promise.resolve(
            documentView(testPlan({ plant: { name: plantName } })),
          ),
        "secret:status": () => Promise.resolve([]),
      }),
    );
    fireEvent.click(
      await screen.findByRole("button", { name: "Create the plan" }),
    );
    screen.getByText(
      "Give the plant a name; it starts the certificate number.",
    );
    fireEvent.change(screen.getByLabelText("Plant name"), {
      target: { value: "Riverside" },
    });
    fireEvent.click(screen.getByRole("button", { name: "Create the plan" }));
    await screen.findByRole("heading", { level: 1, name: "Plan setup" });
    screen.getByRole("navigation", { name: "Wizard steps" });
    expect(screen.getByLabelText("Plant name")).toHaveProperty(
      "value",
      "Riverside",
    );
  });

  it("after a reload continues at the position the plan recorded", async () => {
    renderApp(
      fakeApi({
        ...noPlan,
        "plan:current": () =>
          Promise.resolve(
            documentView(testPlan({ wizard: { position: "overview/APP-DB" } })),
          ),
      }),
    );
    await screen.findByRole("heading", { level: 1, name: "Overview" });
    screen.getByRole("heading", { level: 2, name: /^APP-DB/ });
    screen.getByText("The plant is");
  });

  it("stops a practice plant that still runs", async () => {
    let running = true;
    renderApp(
      fakeApi({
        ...noPlan,
        "practice:status": () =>
          Promise.resolve({
            running,
            broken: true,
            folder: "/tmp/p",
            passphraseHint: "practice-only",
          }),
        "practice:stop": () => {
          running = false;
          return Promise.resolve(null);
        },
      }),
    );
    await screen.findByText("The broken practice plant is running.");
    fireEvent.click(
      screen.getByRole("button", { name: "Stop the practice plant" }),
    );
    await waitFor(() =>
      expect(
        screen.queryByText("The broken practice plant is running."),
      ).toBeNull(),
    );
  });

  it("opens the verifier from the start screen and comes back", async () => {
    renderApp(fakeApi(noPlan));
    fireEvent.click(
      await screen.findByRole("button", { name: "Verify a certificate" }),
    );
    screen.getByRole("heading", { level: 1, name: "Verify a certificate" });
    screen.getByLabelText("Choose a certificate PDF…");
    fireEvent.click(screen.getByRole("button", { name: "Back" }));
    screen.getByRole("heading", { name: "Commission a plant" });
  });
});
