// Sentences the certificate and the app's check cards both print, worded once: counts with the right number,
// who waived or attested a check and until when, and whether a run stood in the vantage's cell.
import type { Attestation, Waiver } from "./model/plan";

/** "1 check", "2 checks", "0 boundaries": the noun's plural is given where it is not noun + s. */
export function count(n: number, noun: string, plural = `${noun}s`): string {
  return `${n} ${n === 1 ? noun : plural}`;
}

/** "the denied port is…" → "The denied port is…": a sentence starts with a capital. */
export function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Why an environment variable that is set but empty gives no secret: one rule for the plan's and the CLI's. */
export const EMPTY_SECRET = "set but empty; Cellcert takes no empty secret";

/** "a, b and c" */
export function listing(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items.at(-1) ?? ""}`;
}

/** "Waived by Dana Field on 2026-03-01, approved by Kim Keys until 2026-06-30: “…”" */
export function waiverNote(
  waiver: Pick<
    Waiver,
    "name" | "date" | "approvedBy" | "expires" | "justification"
  >,
  expired = false,
): string {
  const approved =
    waiver.approvedBy === waiver.name
      ? ""
      : `, approved by ${waiver.approvedBy}`;
  const until =
    waiver.expires === undefined
      ? ", with no end date"
      : expired
        ? `; it expired after ${waiver.expires} and waives nothing now`
        : ` until ${waiver.expires}`;
  return `Waived by ${waiver.name} on ${waiver.date}${approved}${until}: “${waiver.justification}”`;
}

/** "Attested by PRACTICE on 2026-12-01: “…”", and when a later run measured a failure, that it no longer counts. */
export function attestationNote(
  attestation: Pick<
    Attestation,
    "name" | "date" | "statement" | "contradictedByRun"
  >,
): string {
  const contradicted =
    attestation.contradictedByRun === undefined
      ? ""
      : ` Run ${attestation.contradictedByRun} measured a failure since, so it no longer counts.`;
  return `Attested by ${attestation.name} on ${attestation.date}: “${attestation.statement}”${contradicted}`;
}
