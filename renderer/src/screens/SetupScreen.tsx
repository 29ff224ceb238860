// Plan setup: plant data, cells and boundaries, trust anchors, identities, SQL credentials, endpoints, policy.
import type { ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import { useFocusHeading } from "../lib/use-focus-heading";
import { useAppStore } from "../store/context";
import { setupSections, type SetupSection } from "../store/wizard-slice";
import { AnchorsSection } from "./setup/AnchorsSection";
import { CellsSection } from "./setup/CellsSection";
import { CredentialsSection } from "./setup/CredentialsSection";
import { EndpointsSection } from "./setup/EndpointsSection";
import { IdentitiesSection } from "./setup/IdentitiesSection";
import { PlantSection } from "./setup/PlantSection";
import { PolicySection } from "./setup/PolicySection";

export const SECTION_TITLES: Record<SetupSection, string> = {
  plant: "Plant data",
  cells: "Cells and boundaries",
  anchors: "Trust anchors",
  identities: "Identities",
  credentials: "SQL credentials",
  endpoints: "Endpoints",
  policy: "Policy",
};

export function SetupScreen({
  plan,
  section,
  planKey,
}: {
  plan: Plan;
  section: SetupSection;
  /** Which plan file: drafts start over when another plan opens. */
  planKey: string;
}): ReactNode {
  const goTo = useAppStore((state) => state.goTo);
  const heading = useFocusHeading<HTMLHeadingElement>(`setup/${section}`);
  const index = setupSections.indexOf(section);
  const next = setupSections[index + 1];
  const firstVantage = plan.vantages[0]?.id;
  return (
    <section className="screen" aria-labelledby="setup-title">
      <h1 id="setup-title" tabIndex={-1} ref={heading}>
        Plan setup
      </h1>
      <nav aria-label="Plan setup sections" className="subnav">
        <ul>
          {setupSections.map((s) => (
            <li key={s}>
              <button
                type="button"
                className="subnav-item"
                aria-current={s === section ? "step" : undefined}
                onClick={() => goTo({ screen: "setup", section: s })}
              >
                {SECTION_TITLES[s]}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <div key={`${planKey} ${section}`}>
        {section === "plant" && <PlantSection plan={plan} />}
        {section === "cells" && <CellsSection plan={plan} />}
        {section === "endpoints" && <EndpointsSection plan={plan} />}
        {section === "anchors" && <AnchorsSection plan={plan} />}
        {section === "identities" && <IdentitiesSection plan={plan} />}
        {section === "credentials" && <CredentialsSection plan={plan} />}
        {section === "policy" && <PolicySection plan={plan} />}
      </div>
      <div className="actions actions-next">
        {next !== undefined ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => goTo({ screen: "setup", section: next })}
          >
            Next: {SECTION_TITLES[next]}
          </button>
        ) : (
          firstVantage !== undefined && (
            <button
              type="button"
              className="button button-primary"
              onClick={() => goTo({ screen: "walk", vantage: firstVantage })}
            >
              Start the walk
            </button>
          )
        )}
      </div>
    </section>
  );
}
