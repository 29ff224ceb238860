// A verdict as a badge: symbol and word, coloured by tone; and the checks counted per verdict.
import type { ReactNode } from "react";
import { checkVerdicts, type CheckVerdict } from "../../../shared/plant-words";
import { lookOf, type AnyVerdict } from "../lib/verdict-look";
import { Icon } from "./Icon";

export function Verdict({
  verdict,
  size = "normal",
}: {
  verdict: AnyVerdict;
  size?: "normal" | "large";
}): ReactNode {
  const look = lookOf(verdict);
  return (
    <span className={`verdict tone-${look.tone} verdict-${size}`}>
      <Icon symbol={look.symbol} size={size === "large" ? 34 : 20} />
      <span className="verdict-word">{look.word}</span>
    </span>
  );
}

/** How many checks have each verdict: every verdict named, a zero included. */
export function VerdictCounts({
  counts,
}: {
  counts: Record<CheckVerdict, number>;
}): ReactNode {
  return (
    <ul className="counts">
      {checkVerdicts.map((verdict) => (
        <li key={verdict}>
          <Verdict verdict={verdict} /> <strong>{counts[verdict]}</strong>
        </li>
      ))}
    </ul>
  );
}

/** How many of the not-tested checks are out of date (DESIGN §1): said beside the counts, not counted twice. */
export function OutOfDateCount({ count }: { count: number }): ReactNode {
  if (count === 0) return null;
  return (
    <p className="counts-note">
      <Verdict verdict="out-of-date" /> <strong>{count}</strong> of the not
      tested: measured before their endpoint changed; run them again.
    </p>
  );
}
