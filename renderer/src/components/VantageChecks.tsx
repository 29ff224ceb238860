// The checks made from one vantage, boundary by boundary, each card showing its live state during a run.
// Cards are memoised on what they show, so a progress batch re-renders only the checks that moved.
import { memo, useState, type ReactNode } from "react";
import { boundaryDefinition } from "../../../shared/catalog/catalog";
import type { RunItem } from "../../../shared/contract/schemas";
import type { BoundaryId, VantageId } from "../../../shared/plant-words";
import type { CheckAssessment } from "../../../shared/verdicts/rollup";
import {
  selectRetiredOfVantage,
  selectVantageChecks,
} from "../store/assessment";
import { useAppStore } from "../store/context";
import { itemKey } from "../store/run-slice";
import { CheckCard } from "./CheckCard";
import { RetiredEndpoints } from "./RetiredEndpoints";

type Filter = "all" | "attention";

export function VantageChecks({ vantage }: { vantage: VantageId }): ReactNode {
  const checks = useAppStore(selectVantageChecks(vantage));
  const retired = useAppStore(selectRetiredOfVantage(vantage));
  const plan = useAppStore((state) => state.plan.draft);
  const items = useAppStore((state) =>
    state.run.progress?.vantage === vantage ? state.run.items : null,
  );
  const runId = useAppStore((state) => state.run.progress?.runId ?? null);
  const [filter, setFilter] = useState<Filter>("all");
  const shown =
    filter === "all"
      ? checks
      : checks.filter((c) => c.verdict !== "pass" && c.verdict !== "attested");
  const groups = new Map<BoundaryId, CheckAssessment[]>();
  for (const item of shown) {
    const list = groups.get(item.check.boundary) ?? [];
    list.push(item);
    groups.set(item.check.boundary, list);
  }
  return (
    <section aria-labelledby={`checks-${vantage}`} className="vantage-checks">
      <div className="row">
        <h2 id={`checks-${vantage}`}>Checks from here</h2>
        <fieldset className="segmented">
          <legend className="visually-hidden">Which checks to show</legend>
          <label>
            <input
              type="radio"
              name={`filter-${vantage}`}
              checked={filter === "all"}
              onChange={() => setFilter("all")}
            />
            All {checks.length}
          </label>
          <label>
            <input
              type="radio"
              name={`filter-${vantage}`}
              checked={filter === "attention"}
              onChange={() => setFilter("attention")}
            />
            Needing attention
          </label>
        </fieldset>
      </div>
      {checks.length === 0 && (
        <p className="muted">
          No check of an in-scope boundary is made from here.
        </p>
      )}
      {[...groups].map(([boundary, list]) => (
        <section
          key={boundary}
          aria-labelledby={`group-${vantage}-${boundary}`}
        >
          <h3 id={`group-${vantage}-${boundary}`}>
            {boundary} · {boundaryDefinition(boundary).title}
          </h3>
          {list.map((item) => {
            const key = itemKey(item.check.id, item.endpoint.id);
            return (
              <LiveCheck
                key={key}
                item={item}
                live={items?.get(key)}
                runId={runId}
              />
            );
          })}
        </section>
      ))}
      {retired.length > 0 && plan !== null && (
        <section aria-labelledby={`retired-${vantage}`}>
          <h3 id={`retired-${vantage}`}>Retired endpoints</h3>
          <RetiredEndpoints plan={plan} endpoints={retired} />
        </section>
      )}
    </section>
  );
}

const LiveCheck = memo(
  function LiveCheck({
    item,
    live,
    runId,
  }: {
    item: CheckAssessment;
    live: RunItem | undefined;
    runId: string | null;
  }): ReactNode {
    // A verdict from the run under way that the plan has not brought yet is shown from the progress.
    const fresh =
      live !== undefined &&
      live.state !== "queued" &&
      live.state !== "running" &&
      item.run?.id !== runId;
    return <CheckCard item={item} live={live} freshFromRun={fresh} />;
  },
  (before, after) =>
    before.live === after.live &&
    before.runId === after.runId &&
    sameAssessment(before.item, after.item),
);

/** Whether two assessments of the same check show the same thing (plans arrive as new objects each time). */
export function sameAssessment(
  a: CheckAssessment,
  b: CheckAssessment,
): boolean {
  return (
    a.check.id === b.check.id &&
    a.endpoint.id === b.endpoint.id &&
    a.endpoint.name === b.endpoint.name &&
    a.endpoint.placeholder === b.endpoint.placeholder &&
    a.verdict === b.verdict &&
    a.summary === b.summary &&
    a.outOfDate?.afterRun === b.outOfDate?.afterRun &&
    a.waiverExpired === b.waiverExpired &&
    a.result?.runId === b.result?.runId &&
    a.result?.evidenceIds.join() === b.result?.evidenceIds.join() &&
    a.waiver?.justification === b.waiver?.justification &&
    a.waiver?.name === b.waiver?.name &&
    a.waiver?.approvedBy === b.waiver?.approvedBy &&
    a.waiver?.expires === b.waiver?.expires &&
    a.attestation?.statement === b.attestation?.statement &&
    a.attestation?.name === b.attestation?.name &&
    a.attestation?.contradictedByRun === b.attestation?.contradictedByRun
  );
}
