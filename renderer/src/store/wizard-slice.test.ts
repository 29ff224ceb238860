import { describe, expect, it, vi } from "vitest";
import type { Plan } from "../../../shared/model/plan";
import { fakeApi } from "../test-support/fake-api";
import { documentView, testPlan } from "../test-support/plans";
import { createAppStore } from "./app-store";
import {
  formatPosition,
  openingPosition,
  parsePosition,
  setupSections,
  type Position,
} from "./wizard-slice";

describe("wizard positions", () => {
  it("round-trip through the plan's text", () => {
    const positions: Position[] = [
      { screen: "setup", section: "endpoints" },
      { screen: "walk", vantage: "remote-site-no-vpn" },
      { screen: "overview", boundary: null },
      { screen: "overview", boundary: "APP-DB" },
      { screen: "signoff" },
    ];
    for (const position of positions)
      expect(parsePosition(formatPosition(position))).toEqual(position);
  });

  it("start at the plant data when the plan's text is empty or unknown", () => {
    for (const text of ["", "walk/nowhere", "setup/", "garbage"])
      expect(parsePosition(text)).toEqual({
        screen: "setup",
        section: "plant",
      });
    expect(parsePosition("overview/NOPE")).toEqual({
      screen: "overview",
      boundary: null,
    });
  });
});

describe("where a plan opens", () => {
  it("a practice plan never opened: on the walk's first step; any plan left somewhere: there", () => {
    const practice = testPlan({ practice: true });
    expect(openingPosition(practice)).toEqual({
      screen: "walk",
      vantage: "enterprise",
    });
    expect(
      openingPosition({ ...practice, wizard: { position: "setup/cells" } }),
    ).toEqual({ screen: "setup", section: "cells" });
    expect(openingPosition(testPlan())).toEqual({
      screen: "setup",
      section: "plant",
    });
  });

  it("setup asks for what endpoints refer to first; a section saved under the older order still opens", () => {
    const at = (section: (typeof setupSections)[number]) =>
      setupSections.indexOf(section);
    for (const before of ["anchors", "identities", "credentials"] as const)
      expect(at(before)).toBeLessThan(at("endpoints"));
    for (const section of setupSections)
      expect(parsePosition(`setup/${section}`)).toEqual({
        screen: "setup",
        section,
      });
  });
});

describe("the wizard slice", () => {
  it("continues where the plan was left, and records each move in the plan", async () => {
    let sent: Plan | null = null;
    const plan = testPlan({ wizard: { position: "walk/mes" } });
    const api = fakeApi({
      "plan:current": () => Promise.resolve(documentView(plan, 1)),
      "plan:update": (input) => {
        sent = (input as { plan: Plan }).plan;
        return Promise.resolve(documentView(sent, 2));
      },
    });
    const store = createAppStore(api);
    await store.getState().loadCurrentPlan();
    expect(store.getState().wizard.position).toEqual({
      screen: "walk",
      vantage: "mes",
    });
    store.getState().goTo({ screen: "signoff" });
    expect(store.getState().wizard.position).toEqual({ screen: "signoff" });
    await vi.waitFor(() => expect(sent).not.toBeNull());
    expect((sent as Plan | null)?.wizard.position).toBe("signoff");
  });

  it("does not jump when the plan changes under it, but follows another plan", async () => {
    const store = createAppStore(
      fakeApi({
        "plan:current": () => Promise.resolve(documentView(testPlan(), 1)),
      }),
    );
    await store.getState().loadCurrentPlan();
    store.setState({
      wizard: { ...store.getState().wizard, position: { screen: "signoff" } },
    });
    store
      .getState()
      .receivePlan(
        documentView(testPlan({ wizard: { position: "walk/mes" } }), 2),
      );
    expect(store.getState().wizard.position).toEqual({ screen: "signoff" });
    store.getState().receivePlan(
      documentView(testPlan({ wizard: { position: "overview" } }), 1, {
        location: "other.cellcert.json",
      }),
    );
    expect(store.getState().wizard.position).toEqual({
      screen: "overview",
      boundary: null,
    });
  });

  it("shows the verifier over the start screen and leaves it on the next move", () => {
    const store = createAppStore(fakeApi());
    store.getState().showVerifier(true);
    expect(store.getState().wizard.verifying).toBe(true);
    store.getState().goTo({ screen: "signoff" });
    expect(store.getState().wizard.verifying).toBe(false);
  });
});
