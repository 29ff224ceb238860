// What plan setup flags before anything is run: the plan's warnings (shared/model/plan-warnings.ts — overlapping
// cell networks, an mTLS endpoint without a client identity), which the engine sends with each document. Each is
// shown beside what its pointer names; saving stays possible. An editor shows the same rule on its draft as typed.
import type { PlanDocumentView } from "../../../shared/contract/schemas";
import type { PlanProblem } from "../../../shared/model/parse-plan";
import { planWarnings } from "../../../shared/model/plan-warnings";
import type { Plan } from "../../../shared/model/plan";

const NONE: readonly string[] = [];

/**
 * The warnings of the document about one cell or endpoint, by its id (pointers name the document's own indices).
 * `field`, when given, narrows them to that field ("networks", "clientIdentityId").
 */
export function warningsAbout(
  document: PlanDocumentView | null,
  collection: "cells" | "endpoints",
  id: string,
  field?: string,
): readonly string[] {
  if (document === null || document.warnings.length === 0) return NONE;
  const index = document.plan[collection].findIndex((entry) => entry.id === id);
  if (index < 0) return NONE;
  return under(document.warnings, `/${collection}/${index}`, field);
}

/** The warnings the plan would have with this draft of one endpoint in it, as the editor shows them while typing. */
export function draftEndpointWarnings(
  candidate: Plan,
  index: number,
): readonly string[] {
  return under(planWarnings(candidate), `/endpoints/${index}`);
}

function under(
  warnings: readonly PlanProblem[],
  prefix: string,
  field?: string,
): readonly string[] {
  const at = field === undefined ? prefix : `${prefix}/${field}`;
  const found = warnings
    .filter((w) => w.pointer === at || w.pointer.startsWith(`${at}/`))
    .map((w) => w.reason);
  return found.length === 0 ? NONE : found;
}
