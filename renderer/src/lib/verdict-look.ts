// How each verdict and state looks: a word and a symbol always, a colour tone on top (never colour alone).
import type {
  BoundaryVerdict,
  CheckVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import type { ItemState } from "../../../shared/contract/schemas";

export type Tone = "pass" | "warn" | "fail" | "neutral" | "info";
export type VerdictSymbol =
  | "check"
  | "alert"
  | "cross"
  | "dash"
  | "waived"
  | "attested"
  | "clock"
  | "spinner"
  | "dots";

export interface Look {
  word: string;
  symbol: VerdictSymbol;
  tone: Tone;
}

export type AnyVerdict =
  | CheckVerdict
  | BoundaryVerdict
  | PlantVerdict
  | ItemState
  | "out-of-scope"
  | "skipped"
  /** A result of the endpoint as it was before a change (DESIGN §1): counted as not tested. */
  | "out-of-date";

const LOOKS: Record<AnyVerdict, Look> = {
  pass: { word: "pass", symbol: "check", tone: "pass" },
  warn: { word: "warning", symbol: "alert", tone: "warn" },
  fail: { word: "fail", symbol: "cross", tone: "fail" },
  "not-tested": { word: "not tested", symbol: "dash", tone: "neutral" },
  waived: { word: "waived", symbol: "waived", tone: "info" },
  attested: { word: "attested", symbol: "attested", tone: "info" },
  incomplete: { word: "incomplete", symbol: "dots", tone: "neutral" },
  queued: { word: "queued", symbol: "clock", tone: "neutral" },
  running: { word: "running", symbol: "spinner", tone: "info" },
  commissioned: { word: "commissioned", symbol: "check", tone: "pass" },
  "commissioned with waivers": {
    word: "commissioned with waivers",
    symbol: "waived",
    tone: "warn",
  },
  "not commissioned": {
    word: "not commissioned",
    symbol: "cross",
    tone: "fail",
  },
  "out-of-scope": { word: "out of scope", symbol: "dash", tone: "neutral" },
  skipped: { word: "skipped", symbol: "dash", tone: "neutral" },
  "out-of-date": { word: "out of date", symbol: "clock", tone: "neutral" },
};

export function lookOf(verdict: AnyVerdict): Look {
  return LOOKS[verdict];
}
