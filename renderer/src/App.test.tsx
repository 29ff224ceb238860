import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import type { Api } from "../../shared/contract/schemas";
import { App } from "./App";
import { createAppStore } from "./store/app-store";
import { StoreProvider } from "./store/context";

describe("<App>", () => {
  it("shows the version the engine reports", async () => {
    const api: Api = {
      "app:info": () =>
        Promise.resolve({
          name: "Cellcert",
          version: "9.8.7",
          rulesetVersion: "cells-2021",
          platform: "linux-x64",
          mode: "browser",
        }),
      on: () => () => undefined,
    };
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
