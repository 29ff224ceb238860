import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { fakeApi, TEST_APP_INFO } from "./test-support/fake-api";
import { App } from "./App";
import { createAppStore } from "./store/app-store";
import { StoreProvider } from "./store/context";

describe("<App>", () => {
  it("shows the version the engine reports", async () => {
    const api = fakeApi({
      "app:info": () => Promise.resolve({ ...TEST_APP_INFO, version: "9.8.7" }),
    });
    render(
      <StoreProvider store={createAppStore(api)}>
        <App />
      </StoreProvider>,
    );
    expect(
      await screen.findByText("Cellcert 9.8.7 · ruleset cells-2021"),
    ).toBeDefined();
    expect(screen.getByText("Browser mode")).toBeDefined();
    expect(
      screen.getByRole("heading", { name: "Commission a plant" }),
    ).toBeDefined();
  });
});
