// The wizard's steps: setup, each vantage of the walk with its state in words, the overview, sign-off.
import type { ReactNode } from "react";
import type { Plan } from "../../../shared/model/plan";
import { vantageTitle } from "../lib/vantage-title";
import {
  selectAssessment,
  stepStateOf,
  type StepTone,
} from "../store/assessment";
import { useAppStore } from "../store/context";
import type { Position } from "../store/wizard-slice";
import { lookOf, type VerdictSymbol } from "../lib/verdict-look";
import { Icon } from "./Icon";
import { Sentence } from "./Sentence";

const TONE_SYMBOL: Record<StepTone, VerdictSymbol> = {
  todo: "clock",
  running: "spinner",
  pass: "check",
  warn: "alert",
  waived: "waived",
  fail: "cross",
  incomplete: "dash",
};

export function Stepper({
  plan,
  position,
}: {
  plan: Plan;
  position: Position;
}): ReactNode {
  const assessment = useAppStore(selectAssessment);
  const runningVantage = useAppStore((state) =>
    state.run.progress?.status === "running"
      ? state.run.progress.vantage
      : null,
  );
  const goTo = useAppStore((state) => state.goTo);
  if (assessment === null) return null;
  const plantLook = lookOf(assessment.verdict);
  return (
    <nav aria-label="Wizard steps" className="stepper">
      <ol>
        <li>
          <button
            type="button"
            className="step"
            aria-current={position.screen === "setup" ? "step" : undefined}
            onClick={() =>
              goTo(
                position.screen === "setup"
                  ? position
                  : { screen: "setup", section: "plant" },
              )
            }
          >
            <span className="step-title">Plan setup</span>
          </button>
        </li>
        {plan.vantages.map((vantage) => {
          const cell = plan.cells.find((c) => c.id === vantage.cell);
          const state = stepStateOf(
            plan,
            assessment,
            vantage.id,
            runningVantage === vantage.id,
          );
          const current =
            position.screen === "walk" && position.vantage === vantage.id;
          return (
            <li key={vantage.id}>
              <button
                type="button"
                className={`step step-${state.tone}`}
                aria-current={current ? "step" : undefined}
                onClick={() => goTo({ screen: "walk", vantage: vantage.id })}
              >
                <span className="step-title">
                  {vantageTitle(vantage.id, cell?.name)}
                </span>
                <span className="step-state">
                  <Icon symbol={TONE_SYMBOL[state.tone]} size={18} />
                  <span>
                    <Sentence text={state.label} />
                  </span>
                </span>
              </button>
            </li>
          );
        })}
        <li>
          <button
            type="button"
            className={`step step-${plantLook.tone}`}
            aria-current={position.screen === "overview" ? "step" : undefined}
            onClick={() => goTo({ screen: "overview", boundary: null })}
          >
            <span className="step-title">Overview</span>
            <span className="step-state">
              <Icon symbol={plantLook.symbol} size={18} />
              {plantLook.word}
            </span>
          </button>
        </li>
        <li>
          <button
            type="button"
            className="step"
            aria-current={position.screen === "signoff" ? "step" : undefined}
            onClick={() => goTo({ screen: "signoff" })}
          >
            <span className="step-title">Sign-off</span>
          </button>
        </li>
      </ol>
    </nav>
  );
}
