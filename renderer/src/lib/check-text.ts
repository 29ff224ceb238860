// One check as plain text, for the clipboard: what it is, its verdict, the measurement and the evidence.
import { SYSTEM_REQUIREMENTS } from "../../../shared/catalog/catalog";
import {
  checkCriteria,
  criteriaLines,
  type CriteriaPolicy,
} from "../../../shared/catalog/criteria";
import type { Evidence } from "../../../shared/model/plan";
import type { CheckAssessment } from "../../../shared/verdicts/rollup";
import { inAppWords } from "./engine-words";
import { lookOf } from "./verdict-look";

export function srTitles(item: CheckAssessment): string[] {
  return item.check.sr.map((sr) => SYSTEM_REQUIREMENTS[sr]);
}

/** "Pass if …", "Warn if …", "Fail if …": the certificate's words for the check under the plan's policy. */
export function criteriaOf(
  item: CheckAssessment,
  policy?: CriteriaPolicy,
): { label: string; text: string }[] {
  return criteriaLines(checkCriteria(item.check, policy));
}

export function checkText(
  item: CheckAssessment,
  evidence: readonly Evidence[],
  policy?: CriteriaPolicy,
): string {
  const { check, endpoint, result } = item;
  const lines = [
    `${check.id} — ${check.title}`,
    `Endpoint: ${endpoint.name} (${endpoint.id})`,
    `Verdict: ${item.outOfDate === null ? lookOf(item.verdict).word : "out of date (counted as not tested)"}`,
    inAppWords(item.summary),
  ];
  if (result !== null) {
    if (result.measured !== "") lines.push(`Measured: ${result.measured}`);
    if (result.headroom !== "") lines.push(`Headroom: ${result.headroom}`);
    lines.push(`Judged: ${result.finishedAt} (run ${result.runId})`);
  }
  lines.push(
    ...criteriaOf(item, policy).map((line) => `${line.label} ${line.text}`),
    `Requirement: ${check.requirement}`,
    `Guide, ${check.guide.section}: "${check.guide.quote}"`,
    `IEC 62443-3-3: ${srTitles(item).join("; ")}`,
    `Severity: ${check.severity}`,
  );
  if (evidence.length > 0)
    lines.push("", "Evidence:", JSON.stringify(evidence, null, 2));
  return lines.join("\n");
}
