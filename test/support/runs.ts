// A recorded run for tests: results on the plan's endpoints, each fingerprinted with what it measured (the
// endpoint as the plan holds it), as the runner records them.
import { endpointFingerprint } from "../../shared/model/endpoint-fingerprint";
import type { CheckResult, Plan, Run } from "../../shared/model/plan";
import type { MeasuredVerdict, VantageId } from "../../shared/plant-words";

export type ResultRow = [
  checkId: string,
  endpointId: string,
  verdict: MeasuredVerdict,
  message?: string,
];

export function recordedRun(
  plan: Pick<
    Plan,
    "endpoints" | "trustAnchors" | "crls" | "identities" | "credentials"
  >,
  sequence: number,
  vantage: VantageId,
  rows: readonly ResultRow[],
  time = `2026-11-${String(20 + sequence).padStart(2, "0")}T10:00:00.000Z`,
): Run {
  const id = `run-${sequence}`;
  return {
    id,
    sequence,
    vantage,
    scope: { kind: "vantage" },
    startedAt: time,
    finishedAt: time,
    status: "completed",
    laptop: { hostName: "laptop", addresses: [] },
    vantageAddress: { verdict: "pass", message: "ok" },
    toolVersion: "0.1.0",
    rulesetVersion: "cells-2021",
    evidence: [],
    results: rows.map(
      ([checkId, endpointId, verdict, message]): CheckResult => {
        const endpoint = plan.endpoints.find((e) => e.id === endpointId);
        if (endpoint === undefined)
          throw new Error(`The test plan has no endpoint ${endpointId}.`);
        return {
          checkId,
          endpointId,
          runId: id,
          verdict,
          measured: "",
          threshold: "",
          headroom: "",
          message: message ?? `${checkId} ${verdict}`,
          reason: "",
          evidenceIds: [],
          finishedAt: time,
          endpointFingerprint: endpointFingerprint(plan, endpoint),
        };
      },
    ),
  };
}
