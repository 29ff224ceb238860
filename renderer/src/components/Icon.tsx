// Verdict symbols as inline SVG, so they never depend on a font having the glyph.
import type { ReactNode } from "react";
import type { VerdictSymbol } from "../lib/verdict-look";

const PATHS: Record<VerdictSymbol, ReactNode> = {
  check: <path d="M4 12.5l5 5L20 6.5" />,
  alert: (
    <>
      <path d="M12 3L2.5 20h19z" />
      <path d="M12 10v4.5M12 17.2v.3" />
    </>
  ),
  cross: <path d="M6 6l12 12M18 6L6 18" />,
  dash: <path d="M5 12h14" />,
  // A flag (⚑): waived is a decision someone put their name to, not a measurement.
  waived: (
    <>
      <path d="M6 21V3.5" />
      <path d="M6 4.5h11.5l-3 4.25 3 4.25H6z" />
    </>
  ),
  attested: (
    <>
      <path d="M4 20h16" />
      <path d="M14.5 4.5l4 4L9 18H5v-4z" />
    </>
  ),
  clock: (
    <>
      <circle cx="12" cy="12" r="8.5" />
      <path d="M12 7v5l3 2" />
    </>
  ),
  spinner: (
    <>
      <circle cx="12" cy="12" r="8.5" opacity="0.35" />
      <path d="M12 3.5a8.5 8.5 0 0 1 8.5 8.5" />
    </>
  ),
  dots: (
    <>
      <path d="M6 12h.5M12 12h.5M18 12h.5" />
    </>
  ),
};

export function Icon({
  symbol,
  size = 22,
}: {
  symbol: VerdictSymbol;
  size?: number;
}): ReactNode {
  return (
    <svg
      className={`icon icon-${symbol}`}
      viewBox="0 0 24 24"
      width={size}
      height={size}
      aria-hidden="true"
      focusable="false"
      fill="none"
      stroke="currentColor"
      strokeWidth={2.6}
      strokeLinecap="round"
      strokeLinejoin="round"
    >
      {PATHS[symbol]}
    </svg>
  );
}
