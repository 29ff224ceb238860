// The plan being re-audited as the comparison reads it: its roll-up (assessPlan) as its certificate would state
// it now, and what its runs observed — the same AuditRecord a certificate's evidence gives.
import type { Plan } from "../../../shared/model/plan";
import { RULESET_VERSION } from "../../../shared/product";
import { assessPlan } from "../../../shared/verdicts/rollup";
import { observationsOf, recordEndpointOf, type AuditRecord } from "./record";

export function recordOfPlan(
  plan: Plan,
  options: { now?: Date; toolVersion: string },
): AuditRecord {
  const now = options.now ?? new Date();
  const assessment = assessPlan(plan, { now });
  const { observations, unreadable } = observationsOf(plan.runs);
  const expired = new Set(
    assessment.boundaries.flatMap((b) =>
      b.checks
        .filter((c) => c.waiverExpired)
        .map((c) => `${c.check.id} ${c.endpoint.id}`),
    ),
  );
  return {
    side: {
      certificateNumber: null,
      issuedAt: null,
      plantName: plan.plant.name,
      site: plan.plant.site,
      plantVerdict: assessment.verdict,
      practice: plan.practice,
      evidenceSchema: null,
      rulesetVersion: RULESET_VERSION,
      toolVersion: options.toolVersion,
    },
    boundaries: assessment.boundaries.map((b) => ({
      id: b.boundary.id,
      inScope: b.inScope,
      verdict: b.verdict,
    })),
    endpoints: plan.endpoints.map(recordEndpointOf),
    checks: assessment.boundaries.flatMap((b) =>
      b.checks.map((c) => ({
        checkId: c.check.id,
        endpointId: c.endpoint.id,
        boundaryId: b.boundary.id,
        severity: c.check.severity,
        verdict: c.verdict,
        measured: c.result !== null,
        waived: c.waiver !== null,
        attested: c.attestation !== null,
        summary: c.summary,
      })),
    ),
    waivers: plan.waivers.map((w) => ({
      checkId: w.checkId,
      endpointId: w.endpointId,
      approvedBy: w.approvedBy,
      expires: w.expires ?? null,
      expired: expired.has(`${w.checkId} ${w.endpointId}`),
    })),
    observations,
    unreadable,
  };
}
