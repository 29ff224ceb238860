// How a plan is written: pretty-printed, keys in the schema's order, defaults filled in, so that the same plan
// always gives the same bytes and a diff shows only what changed.
import { Plan, type PlanInput } from "./plan";

export function serializePlan(plan: PlanInput): string {
  return `${JSON.stringify(Plan.parse(plan), null, 2)}\n`;
}
