// What stands between the plant and "commissioned", as the roll-up lists it (its blockers match its counts): the
// mandatory checks that failed or are not tested and the gaps, which keep the plant from commissioned, then the
// recommended ones, which only make their boundary warn. Each is labelled by its severity, an out-of-date result as
// out of date, with the roll-up's sentence; "Show" opens its boundary on the overview.
import type { ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import type { Blocker, PlantAssessment } from "../../../shared/verdicts/rollup";
import { useAppStore } from "../store/context";
import { Sentence } from "./Sentence";
import { Verdict } from "./Verdict";

const plural = (n: number, one: string, many: string): string =>
  `${n} ${n === 1 ? one : many}`;

export function BlockerList({
  plan,
  assessment,
}: {
  plan: Plan;
  assessment: PlantAssessment;
}): ReactNode {
  const mandatory = assessment.blockers.filter(
    (b) => b.severity === "mandatory",
  );
  const recommended = assessment.blockers.filter(
    (b) => b.severity === "recommended",
  );
  const outOfDate = assessment.blockers.filter((b) => b.outOfDate).length;
  if (assessment.blockers.length === 0)
    return assessment.waiversNeeded ? (
      <p>Only the waivers: the plant is commissioned with waivers.</p>
    ) : (
      <p>Nothing: every boundary in scope passes or warns.</p>
    );
  return (
    <>
      <p className="muted">
        {[
          mandatory.length > 0 &&
            `${plural(mandatory.length, "mandatory item keeps", "mandatory items keep")} the plant from commissioned`,
          recommended.length > 0 &&
            `${plural(recommended.length, "recommended check is", "recommended checks are")} not met (its boundary warns)`,
        ]
          .filter((part) => part !== false)
          .join("; ")}
        {outOfDate > 0 && (
          <>
            ; {outOfDate} of them <span className="nowrap">out of date</span>:
            probe their endpoints again
          </>
        )}
        .
      </p>
      {mandatory.length > 0 && (
        <ul className="plain-list blockers" aria-label="Mandatory">
          {mandatory.map((blocker, index) => (
            <BlockerItem key={index} plan={plan} blocker={blocker} />
          ))}
        </ul>
      )}
      {recommended.length > 0 && (
        <>
          <h3>Recommended, not met</h3>
          <ul className="plain-list blockers" aria-label="Recommended">
            {recommended.map((blocker, index) => (
              <BlockerItem key={index} plan={plan} blocker={blocker} />
            ))}
          </ul>
        </>
      )}
    </>
  );
}

function BlockerItem({
  plan,
  blocker,
}: {
  plan: Plan;
  blocker: Blocker;
}): ReactNode {
  const goTo = useAppStore((state) => state.goTo);
  const endpoint =
    blocker.endpointId === null
      ? null
      : (plan.endpoints.find((e) => e.id === blocker.endpointId)?.name ??
        blocker.endpointId);
  return (
    <li className="blocker blocker-graded">
      <Verdict verdict={blocker.outOfDate ? "out-of-date" : blocker.verdict} />{" "}
      <span
        className={`tag ${blocker.severity === "mandatory" ? "tag-warn" : "tag-muted"}`}
      >
        {blocker.severity}
      </span>{" "}
      <span>
        <strong>{blocker.checkId ?? blocker.boundaryId}</strong>
        {endpoint !== null && ` on ${endpoint}`}:{" "}
        <Sentence text={blocker.message} />
      </span>{" "}
      <button
        type="button"
        className="button button-small"
        onClick={() =>
          goTo({ screen: "overview", boundary: blocker.boundaryId })
        }
      >
        Show {blocker.boundaryId}
      </button>
    </li>
  );
}
