// A verdict as a badge: symbol and word, coloured by tone.
import type { ReactNode } from "react";
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
