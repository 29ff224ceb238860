// How verdicts look on the certificate: a symbol and a word that read in black and white, colour only as a help,
// and a line style of their own for the topology diagram.
import type {
  BoundaryVerdict,
  CheckVerdict,
  PlantVerdict,
} from "../../../shared/plant-words";
import { PLANT_VERDICT_WORDS } from "../signing/document-format";

export interface VerdictStyle {
  symbol: string;
  word: string;
  /** Dark enough to print as dark grey. */
  color: string;
  /** Light enough to print as a faint grey. */
  tint: string;
  /** How a boundary with this verdict is drawn in the diagram. */
  line: { width: number; dash: [number, number] | null };
}

export type AnyVerdict =
  CheckVerdict | BoundaryVerdict | "out-of-scope" | "out-of-date";

export const VERDICT_STYLES: Record<AnyVerdict, VerdictStyle> = {
  pass: {
    symbol: "✔",
    word: "PASS",
    color: "#1e6b34",
    tint: "#e2f0e5",
    line: { width: 1.6, dash: null },
  },
  warn: {
    symbol: "▲",
    word: "WARN",
    color: "#8a5a00",
    tint: "#faefd6",
    line: { width: 1.6, dash: [5, 3] },
  },
  fail: {
    symbol: "✖",
    word: "FAIL",
    color: "#a11d1d",
    tint: "#f7dfdf",
    line: { width: 3.2, dash: null },
  },
  "not-tested": {
    symbol: "○",
    word: "NOT TESTED",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.2, dash: [1, 2.5] },
  },
  incomplete: {
    symbol: "◐",
    word: "INCOMPLETE",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.6, dash: [1, 2.5] },
  },
  waived: {
    symbol: "⚑",
    word: "WAIVED",
    color: "#5b3f8c",
    tint: "#ebe5f4",
    line: { width: 1.6, dash: [6, 2] },
  },
  attested: {
    symbol: "✎",
    word: "ATTESTED",
    color: "#1f5f73",
    tint: "#e0eef2",
    line: { width: 1.6, dash: null },
  },
  /** A check whose latest result measured an endpoint that changed since: counted as not tested. */
  "out-of-date": {
    symbol: "○",
    word: "OUT OF DATE",
    color: "#444e5c",
    tint: "#eceef1",
    line: { width: 1.2, dash: [1, 2.5] },
  },
  "out-of-scope": {
    symbol: "—",
    word: "OUT OF SCOPE",
    color: "#666666",
    tint: "#f2f2f2",
    line: { width: 0.8, dash: [2, 3] },
  },
};

/** The stamp's words are the verifier's too (signing/document-format.ts): it finds them on page 1. */
export const PLANT_VERDICT_STYLES: Record<PlantVerdict, VerdictStyle> = {
  commissioned: {
    ...VERDICT_STYLES.pass,
    word: PLANT_VERDICT_WORDS.commissioned,
  },
  "commissioned with waivers": {
    ...VERDICT_STYLES.waived,
    word: PLANT_VERDICT_WORDS["commissioned with waivers"],
  },
  "not commissioned": {
    ...VERDICT_STYLES.fail,
    word: PLANT_VERDICT_WORDS["not commissioned"],
  },
};

export function verdictLabel(verdict: AnyVerdict): string {
  const style = VERDICT_STYLES[verdict];
  return `${style.symbol} ${style.word}`;
}
