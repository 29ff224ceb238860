// Where the wizard stands. With a plan open the position lives in the plan (`wizard.position`), sent with the
// plan's edits, so a reload or a reopen continues there; without one the start screen or the verifier shows.
import type { StateCreator } from "zustand";
import type { PlanDocumentView } from "../../../shared/contract/schemas";
import type { Plan } from "../../../shared/model/plan";
import {
  boundaryIds,
  vantageIds,
  type BoundaryId,
  type VantageId,
} from "../../../shared/plant-words";
import type { AppState } from "./app-store";
import { setWizardPosition } from "./plan-edits";

/**
 * Setup in the order an engineer gathers a plan: what an endpoint refers to (trust anchors, client identities,
 * SQL credentials) comes before the endpoints, so each can be chosen when the endpoint is written. A plan records
 * its section by name, so a position saved under another order still opens where it was.
 */
export const setupSections = [
  "plant",
  "cells",
  "anchors",
  "identities",
  "credentials",
  "endpoints",
  "policy",
] as const;
export type SetupSection = (typeof setupSections)[number];

export type Position =
  | { screen: "setup"; section: SetupSection }
  | { screen: "walk"; vantage: VantageId }
  | { screen: "overview"; boundary: BoundaryId | null }
  | { screen: "signoff" };

export const FIRST_POSITION: Position = { screen: "setup", section: "plant" };

export function formatPosition(position: Position): string {
  switch (position.screen) {
    case "setup":
      return `setup/${position.section}`;
    case "walk":
      return `walk/${position.vantage}`;
    case "overview":
      return position.boundary === null
        ? "overview"
        : `overview/${position.boundary}`;
    case "signoff":
      return "signoff";
  }
}

/** The position a plan records; anything unknown starts at the plan's setup. */
export function parsePosition(text: string): Position {
  const [screen, detail = ""] = text.split("/", 2);
  const isSection = (value: string): value is SetupSection =>
    (setupSections as readonly string[]).includes(value);
  const isVantage = (value: string): value is VantageId =>
    (vantageIds as readonly string[]).includes(value);
  const isBoundary = (value: string): value is BoundaryId =>
    (boundaryIds as readonly string[]).includes(value);
  if (screen === "setup" && isSection(detail))
    return { screen: "setup", section: detail };
  if (screen === "walk" && isVantage(detail))
    return { screen: "walk", vantage: detail };
  if (screen === "overview")
    return { screen: "overview", boundary: isBoundary(detail) ? detail : null };
  if (screen === "signoff") return { screen: "signoff" };
  return FIRST_POSITION;
}

/**
 * Where a plan opens: where it was left, or, for a practice plan never opened before, the first step of the walk
 * (its setup is already filled in; the stepper still reaches it).
 */
export function openingPosition(plan: Plan): Position {
  const first = plan.vantages[0];
  if (plan.wizard.position === "" && plan.practice && first !== undefined)
    return { screen: "walk", vantage: first.id };
  return parsePosition(plan.wizard.position);
}

export interface WizardSlice {
  wizard: {
    /** Null: no plan is open. */
    position: Position | null;
    /** The plan file the position belongs to. */
    location: string | null;
    /** The certificate verifier, shown over the start screen or the plan. */
    verifying: boolean;
  };
  goTo: (position: Position) => void;
  showVerifier: (shown: boolean) => void;
  /** Called by the plan slice with each document it takes (null: closed). */
  wizardFollowPlan: (document: PlanDocumentView | null) => void;
}

export const createWizardSlice: StateCreator<AppState, [], [], WizardSlice> = (
  set,
  get,
) => ({
  wizard: { position: null, location: null, verifying: false },
  goTo(position) {
    set((state) => ({
      wizard: { ...state.wizard, position, verifying: false },
    }));
    if (get().plan.document !== null)
      void get().editPlan(setWizardPosition(formatPosition(position)));
  },
  showVerifier(shown) {
    set((state) => ({ wizard: { ...state.wizard, verifying: shown } }));
  },
  wizardFollowPlan(document) {
    const wizard = get().wizard;
    if (document === null) {
      if (wizard.position !== null || wizard.location !== null)
        set({ wizard: { ...wizard, position: null, location: null } });
      return;
    }
    // Another plan (or the first): continue where that plan was left.
    if (wizard.location !== document.location || wizard.position === null) {
      set({
        wizard: {
          ...wizard,
          position: openingPosition(document.plan),
          location: document.location,
        },
      });
    }
  },
});
