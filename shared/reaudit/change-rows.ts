// The changes as printable rows, one per change, for every place that prints them: `cellcert diff`'s table, the
// overview, and the certificate's "Changes since certificate <number>". Words and symbols, never colour alone;
// every text passes visibleText (evidence holds what servers sent: subjects, issuers, error texts).
import type { AuditChanges, Change, ChangeDirection } from "./changes";
import { visibleText } from "../visible-text";

export const DIRECTION_WORDS: Readonly<
  Record<ChangeDirection, { symbol: string; word: string }>
> = {
  worse: { symbol: "▼", word: "WORSE" },
  better: { symbol: "▲", word: "BETTER" },
  changed: { symbol: "•", word: "CHANGED" },
  "not-comparable": { symbol: "?", word: "NOT COMPARABLE" },
  pending: { symbol: "…", word: "PENDING" },
};

export interface ChangeRow {
  direction: ChangeDirection;
  /** "▼ WORSE" */
  change: string;
  /** The check id for a verdict, else what changed ("certificate", "port from enterprise", "boundary ENT-PER"). */
  what: string;
  /** The endpoint's id, or "" for the plant and a boundary. */
  endpoint: string;
  was: string;
  now: string;
  message: string;
}

export function changeRows(changes: AuditChanges): ChangeRow[] {
  return changes.changes.map((change) => ({
    direction: change.direction,
    change: `${DIRECTION_WORDS[change.direction].symbol} ${DIRECTION_WORDS[change.direction].word}`,
    what: safe(whatChanged(change)),
    endpoint: safe(change.endpointId ?? ""),
    was: safe(change.was ?? "—"),
    now: safe(change.now ?? "—"),
    message: safe(change.message),
  }));
}

/** "Changes since certificate PLANT-20260302-1" */
export function changesTitle(changes: AuditChanges): string {
  return safe(
    `Changes since certificate ${changes.old.certificateNumber ?? "(none)"}`,
  );
}

/** "2 worse, 1 better, 5 changed" — or that nothing changed. */
export function changesSummary(changes: AuditChanges): string {
  const { worse, better, changed, notComparable, pending } = changes.counts;
  const parts = [
    [worse, "worse"],
    [better, "better"],
    [changed, "changed"],
    [notComparable, "not comparable"],
    [pending, "not checked again yet"],
  ]
    .filter(([count]) => count !== 0)
    .map(([count, word]) => `${String(count)} ${String(word)}`);
  return parts.length === 0
    ? "Nothing changed."
    : `${parts.join(", ")}; ${changes.worse ? "something got worse" : "nothing got worse"}.`;
}

/** The notes, safe to print. */
export function changeNotes(changes: AuditChanges): string[] {
  return changes.notes.map(safe);
}

function whatChanged(change: Change): string {
  switch (change.kind) {
    case "plant":
      return "plant verdict";
    case "boundary":
      return `boundary ${change.boundaryId ?? ""}`;
    case "verdict":
      return change.checkId ?? "";
    case "port":
      return `port from ${change.vantage ?? "?"}`;
    case "suite":
      return "suites";
    case "waiver":
      return `waiver ${change.checkId ?? ""}`;
    default:
      return change.kind;
  }
}

function safe(text: string): string {
  return visibleText(text);
}
