// Comparing an endpoint's checks and waivers across two audits: verdicts better or worse (or pending, or judged
// on one side only), waivers added, dropped or expired.
import { capitalized } from "../../../shared/wording";
import {
  CHECK_VERDICT_RANK,
  catalogOrder,
  rankDirection,
  type Comparison,
} from "./compare-shared";

export function compareChecks(
  comparison: Comparison,
  endpointId: string,
  boundaryId: string | null,
): void {
  const { old, next, was, now, row, pending } = comparison;
  for (const { checkId, before, after } of pairsByCheck(
    old.checks,
    next.checks,
    endpointId,
  )) {
    const at = { endpointId, boundaryId, checkId };
    if (before === undefined && after !== undefined) {
      row({
        ...at,
        kind: "verdict",
        direction: "not-comparable",
        now: after.verdict,
        message: `Judged only in ${now} (${after.verdict}): ${after.summary}`,
      });
      continue;
    }
    if (before === undefined) continue;
    if (after === undefined) {
      row({
        ...at,
        kind: "verdict",
        direction: "not-comparable",
        was: before.verdict,
        message: `Judged ${before.verdict} in ${was}; not judged in ${now} (the rules or the endpoint's kind changed).`,
      });
      continue;
    }
    if (pending(after)) {
      const attest = before.verdict === "attested";
      row({
        ...at,
        kind: "verdict",
        direction: "pending",
        was: before.verdict,
        now: attest ? "to attest again" : "not probed again yet",
        message: attest
          ? `Attested in ${was}: each audit attests anew, attest it again.`
          : `${capitalized(before.verdict)} in ${was}; not probed again yet.`,
      });
      continue;
    }
    if (before.verdict === after.verdict) continue;
    const direction = rankDirection(
      CHECK_VERDICT_RANK[before.verdict],
      CHECK_VERDICT_RANK[after.verdict],
    );
    row({
      ...at,
      kind: "verdict",
      direction,
      was: before.verdict,
      now: after.verdict,
      message: `${capitalized(before.verdict)} in ${was}, ${after.verdict} now: ${after.summary}`,
    });
  }
}

export function compareWaivers(
  comparison: Comparison,
  endpointId: string,
  boundaryId: string | null,
): void {
  const { old, next, was, now, live, row } = comparison;
  for (const { checkId, before, after } of pairsByCheck(
    old.waivers,
    next.waivers,
    endpointId,
  )) {
    const at = { endpointId, boundaryId, checkId, kind: "waiver" as const };
    const until = (expires: string | null): string =>
      expires === null ? "with no end" : `until ${expires}`;
    if (before === undefined && after !== undefined)
      row({
        ...at,
        direction: "changed",
        now: `approved by ${after.approvedBy}, ${until(after.expires)}`,
        message: `A waiver was added in ${now}, approved by ${after.approvedBy}, ${until(after.expires)}${after.expired ? ", and it had expired" : ""}.`,
      });
    else if (before !== undefined && after === undefined)
      row({
        ...at,
        direction: "changed",
        was: `approved by ${before.approvedBy}, ${until(before.expires)}`,
        message: live
          ? `The waiver of ${was} is not carried over: waive it again only if it is still needed.`
          : `The waiver of ${was} is not in ${now}.`,
      });
    else if (
      before !== undefined &&
      after !== undefined &&
      after.expired &&
      !before.expired
    )
      row({
        ...at,
        direction: "changed",
        was: `waived ${until(before.expires)}`,
        now: `expired on ${after.expires ?? ""}`,
        message: `The waiver approved by ${after.approvedBy} expired on ${after.expires ?? ""}: it waives nothing in ${now}.`,
      });
  }
}

/** Per check of one endpoint, in catalog order: its entry on each side (checks or waivers), if any. */
function pairsByCheck<T extends { checkId: string; endpointId: string }>(
  old: readonly T[],
  next: readonly T[],
  endpointId: string,
): { checkId: string; before: T | undefined; after: T | undefined }[] {
  const ids = [
    ...new Set(
      [...old, ...next]
        .filter((e) => e.endpointId === endpointId)
        .map((e) => e.checkId),
    ),
  ].sort((a, b) => catalogOrder(a) - catalogOrder(b));
  const find = (side: readonly T[], checkId: string): T | undefined =>
    side.find((e) => e.checkId === checkId && e.endpointId === endpointId);
  return ids.map((checkId) => ({
    checkId,
    before: find(old, checkId),
    after: find(next, checkId),
  }));
}
