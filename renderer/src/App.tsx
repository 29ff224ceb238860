// The shell: a header naming the app, its version and the open plan; the wizard's steps; the current screen.
import { lazy, Suspense, useEffect, type ReactNode } from "react";
import { StartScreen } from "./screens/StartScreen";
import { VerifyScreen } from "./screens/VerifyScreen";
import { selectModeLabel, selectVersionLabel } from "./store/about-slice";

// The plan's screens load after the start screen is up: the first screen needs none of them.
const PlanScreen = lazy(() =>
  import("./screens/PlanScreens").then((m) => ({ default: m.PlanScreen })),
);
const Stepper = lazy(() =>
  import("./screens/PlanScreens").then((m) => ({ default: m.Stepper })),
);
import { startUp } from "./store/app-store";
import { useAppStore, useAppStoreApi } from "./store/context";
import {
  selectPlan,
  selectSaveFailed,
  selectSaveState,
} from "./store/plan-slice";

export function App(): ReactNode {
  const store = useAppStoreApi();
  const versionLabel = useAppStore(selectVersionLabel);
  const modeLabel = useAppStore(selectModeLabel);
  const aboutError = useAppStore((state) => state.about.error);
  const planStatus = useAppStore((state) => state.plan.status);
  const plan = useAppStore(selectPlan);
  const location = useAppStore((state) => state.plan.document?.location ?? "");
  const position = useAppStore((state) => state.wizard.position);
  const verifying = useAppStore((state) => state.wizard.verifying);

  useEffect(() => {
    void startUp(store);
  }, [store]);

  return (
    <div className="shell">
      <header className="shell-header">
        <img
          className="shell-logo"
          src="./favicon.svg"
          alt=""
          width={36}
          height={36}
        />
        <span className="shell-name">Cellcert</span>
        <span className="shell-version" data-testid="app-version">
          {versionLabel ?? "Loading…"}
        </span>
        {plan !== null && <PlanBadge />}
        {modeLabel !== null && <span className="shell-mode">{modeLabel}</span>}
      </header>
      {plan !== null && position !== null && !verifying && (
        <Suspense fallback={null}>
          <Stepper plan={plan} position={position} />
        </Suspense>
      )}
      <main className="shell-main">
        {aboutError !== null && (
          <p role="alert" className="banner banner-error">
            {aboutError}
          </p>
        )}
        {verifying ? (
          <VerifyScreen />
        ) : plan === null || position === null ? (
          planStatus === "ready" ? (
            <StartScreen />
          ) : (
            <p role="status">Loading…</p>
          )
        ) : (
          <Suspense fallback={<p role="status">Loading…</p>}>
            <PlanScreen key={location} />
          </Suspense>
        )}
      </main>
    </div>
  );
}

function PlanBadge(): ReactNode {
  const plan = useAppStore(selectPlan);
  const label = useAppStore((state) => state.plan.document?.label ?? "");
  const save = useAppStore(selectSaveState);
  const saveFailed = useAppStore(selectSaveFailed);
  const closePlan = useAppStore((state) => state.closePlan);
  if (plan === null) return null;
  return (
    <div className="shell-plan">
      {plan.practice && <span className="tag tag-practice">PRACTICE</span>}
      <span className="shell-plant" title={label}>
        {plan.plant.name}
      </span>
      {save !== null && (
        <span
          className={saveFailed ? "shell-save problem" : "shell-save"}
          role={saveFailed ? "alert" : "status"}
        >
          {save}
        </span>
      )}
      <button
        type="button"
        className="button button-small"
        onClick={() => void closePlan()}
      >
        Close the plan
      </button>
    </div>
  );
}

export function Disconnected({ reason }: { reason: string }): ReactNode {
  return (
    <div className="shell">
      <main className="shell-main">
        <h1>Cellcert</h1>
        <p role="alert" className="banner banner-error">
          {reason}
        </p>
      </main>
    </div>
  );
}
