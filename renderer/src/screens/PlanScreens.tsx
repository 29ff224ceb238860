// The screens of an open plan (setup, the walk, overview, sign-off) and the wizard's stepper: one chunk that
// loads once the start screen is up, so the first screen does not wait for them.
import type { ReactNode } from "react";
import { Problem } from "../components/Field";
import { useAppStore } from "../store/context";
import { selectPlan } from "../store/plan-slice";
import { OverviewScreen } from "./OverviewScreen";
import { SetupScreen } from "./SetupScreen";
import { SignOffScreen } from "./SignOffScreen";
import { WalkScreen } from "./WalkScreen";

export { Stepper } from "../components/Stepper";

export function PlanScreen(): ReactNode {
  const plan = useAppStore(selectPlan);
  const position = useAppStore((state) => state.wizard.position);
  const location = useAppStore((state) => state.plan.document?.location ?? "");
  const planError = useAppStore((state) => state.plan.error);
  const dismiss = useAppStore((state) => state.dismissPlanError);
  if (plan === null || position === null) return null;
  return (
    <>
      {planError !== null && (
        <div className="banner-row">
          <Problem text={planError} />
          <button
            type="button"
            className="button button-small"
            onClick={dismiss}
          >
            Dismiss
          </button>
        </div>
      )}
      {position.screen === "setup" && (
        <SetupScreen
          plan={plan}
          section={position.section}
          planKey={location}
        />
      )}
      {position.screen === "walk" && (
        <WalkScreen plan={plan} vantage={position.vantage} />
      )}
      {position.screen === "overview" && (
        <OverviewScreen plan={plan} boundary={position.boundary} />
      )}
      {position.screen === "signoff" && <SignOffScreen plan={plan} />}
    </>
  );
}
