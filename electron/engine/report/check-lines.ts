// How one check on one endpoint is named wherever the certificate lists it: the endpoint with its address and
// cell, where it was measured from, its verdict as shown, its SRs and its evidence ids.
import {
  checkCriteria,
  type CheckCriteria,
} from "../../../shared/catalog/criteria";
import type { CheckAssessment } from "../../../shared/verdicts/rollup";
import type { CertificateContext } from "./certificate-context";
import { certificatesIn } from "./evidence-summary";
import { formatTime } from "./format";
import type { AnyVerdict } from "./verdict-styles";

/** How a check's badge reads: its verdict, or OUT OF DATE for a result of an endpoint that changed since. */
export function shownCheckVerdict(item: CheckAssessment): AnyVerdict {
  return item.outOfDate === null ? item.verdict : "out-of-date";
}

/** "SR 3.1, SR 4.1" */
export function srList(item: Pick<CheckAssessment, "check">): string {
  return item.check.sr.map((sr) => `SR ${sr}`).join(", ");
}

/** "Perimeter web (perimeter-web), 127.0.2.1:41443 (perimeter.practice.cellcert), cell Perimeter" */
export function endpointLine(
  context: CertificateContext,
  item: CheckAssessment,
): string {
  const { endpoint } = item;
  return `${endpoint.name} (${endpoint.id}), ${endpoint.kind === "manual" ? "manual check" : `${endpoint.kind} ${context.target(endpoint)}`}, cell ${context.cellName(endpoint.cell)}`;
}

/** "run 1 (enterprise), 2026-12-01 17:44 UTC, from 127.0.1.10 inside Enterprise 127.0.1.0/24 ✔" */
export function measuredFromLine(
  context: CertificateContext,
  item: CheckAssessment,
): string {
  const run = item.run === null ? undefined : context.runs.get(item.run.id);
  if (run === undefined || item.result === null)
    return item.attestation !== null
      ? "not measured: attested by the engineer"
      : "not measured";
  const source = context.source(run);
  return `run ${run.sequence} (${run.vantage} vantage), ${formatTime(item.result.finishedAt)}, from ${source.address ?? "the system's address"} ${source.text}`;
}

/** The plan's policy as the criteria read it. */
export function criteriaOf(
  context: CertificateContext,
  item: CheckAssessment,
): CheckCriteria {
  return checkCriteria(item.check, context.plan.policy);
}

/**
 * The headroom of a result: the rule's own where it gives one; for key and signature strength, the weakest key
 * against its minimum, read from the evidence (an RSA 2048 key against a 2048 minimum has no margin).
 */
export function headroomOf(
  context: CertificateContext,
  item: CheckAssessment,
): string {
  const given = item.result?.headroom ?? "";
  if (given !== "") return given;
  if (!item.check.id.endsWith("cert.strength") || item.verdict !== "pass")
    return "";
  const certificates = context
    .evidenceOf(item)
    .flatMap(({ evidence }) => certificatesIn(evidence.data))
    .filter((c) => !c.selfSigned);
  const margins = certificates.flatMap((c) => {
    const minimum =
      c.keyType === "rsa" || c.keyType === "rsa-pss" || c.keyType === "dsa"
        ? 2048
        : c.keyType === "ec"
          ? 256
          : null;
    return minimum === null
      ? []
      : [{ bits: c.keyBits, minimum, type: c.keyType }];
  });
  if (margins.length === 0) return "";
  const weakest = margins.reduce((a, b) =>
    b.bits - b.minimum < a.bits - a.minimum ? b : a,
  );
  const room = weakest.bits - weakest.minimum;
  return room === 0
    ? `none: ${weakest.type.toUpperCase()} ${weakest.bits} is the minimum`
    : `${room} bits above the ${weakest.minimum}-bit minimum`;
}
