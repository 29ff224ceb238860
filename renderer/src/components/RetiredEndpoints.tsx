// Endpoints removed after they were probed (shared/model/endpoint-removal.ts): shown as retired wherever their
// boundary is, with the runs that keep their results, so nothing measured seems to have vanished.
import type { ReactNode } from "react";
import { runsMeasuring } from "../../../shared/model/endpoint-removal";
import type { Endpoint, Plan } from "../../../shared/model/plan";

/** "…is retired: its results stay in run 2, 3 and no longer count." */
export function retiredSentence(plan: Plan, endpoint: Endpoint): string {
  const runs = runsMeasuring(plan, endpoint.id);
  return `"${endpoint.name}" is retired: its results stay in run ${runs.join(", ")} and no longer count; new runs leave it out.`;
}

export function RetiredEndpoints({
  plan,
  endpoints,
}: {
  plan: Plan;
  endpoints: readonly Endpoint[];
}): ReactNode {
  if (endpoints.length === 0) return null;
  return (
    <ul className="plain-list retired-endpoints" aria-label="Retired endpoints">
      {endpoints.map((endpoint) => (
        <li key={endpoint.id}>
          <span className="tag tag-muted">retired</span>{" "}
          {retiredSentence(plan, endpoint)}
        </li>
      ))}
    </ul>
  );
}
