// What a rule decides about one check on one endpoint, before the runner files it as a result of a run.
import type { MeasuredVerdict } from "../plant-words";

export interface CheckOutcome {
  /** A check id of the catalog, e.g. "PER-MES.cert.validity". */
  checkId: string;
  verdict: MeasuredVerdict;
  /** What was measured, in words the report prints: "TLS 1.2, TLS 1.3". */
  measured: string;
  /** The threshold it was held against (DESIGN §3): "TLS 1.2 or newer only". */
  threshold: string;
  /** How much room is left, where that means something: "21 days to expiry; warns below 30". */
  headroom: string;
  /** The sentence to act on. */
  message: string;
  /** For not-tested: why (unreachable, no credentials, no permission, prerequisite failed…). */
  reason: string;
}

/** An outcome with the fields a rule did not need left empty. */
export function outcome(
  checkId: string,
  verdict: MeasuredVerdict,
  message: string,
  details: Partial<
    Pick<CheckOutcome, "measured" | "threshold" | "headroom" | "reason">
  > = {},
): CheckOutcome {
  return {
    checkId,
    verdict,
    message,
    measured: "",
    threshold: "",
    headroom: "",
    reason: "",
    ...details,
  };
}

/** A check that could not be judged, with the reason and a sentence on what to do. */
export function notTested(
  checkId: string,
  reason: string,
  message: string,
): CheckOutcome {
  return outcome(checkId, "not-tested", message, { reason });
}

/**
 * Why a probe's checks are not tested when its failure record (shared/evidence/connection.ts) says nothing could
 * be judged: Stop was pressed, or the endpoint could not be reached. The one wording for every protocol.
 */
export function unjudgedReason(
  failure: { kind: string } | null | undefined,
): "stopped" | "unreachable" {
  return failure?.kind === "stopped" ? "stopped" : "unreachable";
}
