// The overview: the plant's verdict, counts per verdict (and how many of the not-tested are out of date), the
// topology coloured and labelled by verdict, a boundary's checks and retired endpoints on demand, and what keeps
// the plant from `commissioned`; for a plan started from a certificate, what changed since it and what is to be
// done again (beside the topology).
import type { ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import type { BoundaryId } from "../../../shared/plant-words";
import { shownBoundaryVerdict } from "../../../shared/verdicts/rollup";
import { BlockerList } from "../components/BlockerList";
import { CheckCard } from "../components/CheckCard";
import { ReauditChanges } from "../components/ReauditChanges";
import { RetiredEndpoints } from "../components/RetiredEndpoints";
import { Sentence } from "../components/Sentence";
import { TopologyDiagram } from "../components/TopologyDiagram";
import { OutOfDateCount, Verdict, VerdictCounts } from "../components/Verdict";
import { useFocusHeading } from "../lib/use-focus-heading";
import {
  boundaryOf,
  outOfDateChecks,
  selectAssessment,
  waivedChecks,
} from "../store/assessment";
import { useAppStore } from "../store/context";

export function OverviewScreen({
  plan,
  boundary,
}: {
  plan: Plan;
  boundary: BoundaryId | null;
}): ReactNode {
  const assessment = useAppStore(selectAssessment);
  const goTo = useAppStore((state) => state.goTo);
  const heading = useFocusHeading<HTMLHeadingElement>("overview");
  if (assessment === null) return null;
  const waived = waivedChecks(assessment);
  const chosen =
    boundary === null ? undefined : boundaryOf(assessment, boundary);
  return (
    <section className="screen" aria-labelledby="overview-title">
      <h1 id="overview-title" tabIndex={-1} ref={heading}>
        Overview
      </h1>
      <p className="plant-verdict">
        The plant is <Verdict verdict={assessment.verdict} size="large" />
      </p>
      <section aria-labelledby="counts-title">
        <h2 id="counts-title" className="visually-hidden">
          Checks per verdict
        </h2>
        <VerdictCounts counts={assessment.counts} />
        <OutOfDateCount count={outOfDateChecks(assessment).length} />
      </section>
      <section className="panel" aria-labelledby="topology-title">
        <h2 id="topology-title">Cells and boundaries</h2>
        <p className="muted">Choose a boundary to see its checks.</p>
        <TopologyDiagram
          plan={plan}
          assessment={assessment}
          selected={boundary}
          onSelect={(id) => goTo({ screen: "overview", boundary: id })}
        />
      </section>
      <ReauditChanges plan={plan} />
      {chosen !== undefined && (
        <section className="panel" aria-labelledby="boundary-title">
          <h2 id="boundary-title">
            {chosen.boundary.id} · {chosen.boundary.title}{" "}
            <Verdict verdict={shownBoundaryVerdict(chosen)} />
          </h2>
          <p>{chosen.boundary.protection}</p>
          {!chosen.inScope && (
            <p className="muted">
              Out of scope: {chosen.outOfScopeReason || "no reason given"}
            </p>
          )}
          {chosen.gaps.map((gap) => (
            <p key={gap} className="banner banner-error">
              {gap}
            </p>
          ))}
          {chosen.checks.map((item) => (
            <CheckCard
              key={`${item.check.id} ${item.endpoint.id}`}
              item={item}
            />
          ))}
          <RetiredEndpoints plan={plan} endpoints={chosen.retired} />
          <button
            type="button"
            className="button button-small"
            onClick={() => goTo({ screen: "overview", boundary: null })}
          >
            Close {chosen.boundary.id}
          </button>
        </section>
      )}
      <section className="panel" aria-labelledby="blockers-title">
        <h2 id="blockers-title">What keeps the plant from commissioned</h2>
        <BlockerList plan={plan} assessment={assessment} />
      </section>
      {waived.length > 0 && (
        <section className="panel" aria-labelledby="waived-title">
          <h2 id="waived-title">Waived checks</h2>
          <p className="muted">
            Failures a person accepted: with them the plant is at best
            commissioned with waivers.
          </p>
          <ul className="plain-list blockers">
            {waived.map((item) => (
              <li
                key={`${item.check.id} ${item.endpoint.id}`}
                className="blocker"
              >
                <Verdict verdict="waived" />{" "}
                <span>
                  <strong>{item.check.id}</strong> on {item.endpoint.name}:{" "}
                  <Sentence text={item.summary} />
                </span>{" "}
                <button
                  type="button"
                  className="button button-small"
                  onClick={() =>
                    goTo({ screen: "overview", boundary: item.check.boundary })
                  }
                >
                  Show {item.check.boundary}
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
      <div className="actions actions-next">
        <button
          type="button"
          className="button button-primary"
          onClick={() => goTo({ screen: "signoff" })}
        >
          Next: Sign-off
        </button>
      </div>
    </section>
  );
}
