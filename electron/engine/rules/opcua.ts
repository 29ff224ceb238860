// The MES-PCS OPC UA checks (DESIGN §4) as pure functions of the OPC UA probe's evidence: security modes, security
// policies, anonymous access, user-name tokens and the application certificate, judged over every endpoint the
// server lists in GetEndpoints. An endpoint that does not answer as OPC UA fails MES-PCS.opcua.mode once and
// leaves the others not-tested (DESIGN §2: one fault, one failing check).
// The checks live by group in opcua-security.ts (mode, policy), opcua-users.ts (anonymous, user-token) and
// opcua-cert.ts; this file reads the probe's situation and runs them.
import type {
  OpcuaEndpoint,
  OpcuaError,
  OpcuaEvidence,
} from "../../../shared/evidence/opcua";
import { formatHostPort } from "../../../shared/model/net";
import {
  notTested,
  outcome,
  unjudgedReason,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { applyPrerequisites } from "../../../shared/verdicts/prerequisites";
import { judgeCertificate, type OpcuaJudgeContext } from "./opcua-cert";
import { judgeMode, judgePolicy } from "./opcua-security";
import { judgeAnonymous, judgeUserToken } from "./opcua-users";

export type { OpcuaJudgeContext } from "./opcua-cert";
export { endpointLabel } from "./opcua-words";
export { tokenInClear } from "./opcua-users";

export const OPCUA_CHECKS = [
  "MES-PCS.opcua.mode",
  "MES-PCS.opcua.policy",
  "MES-PCS.opcua.anonymous",
  "MES-PCS.opcua.user-token",
  "MES-PCS.opcua.cert",
] as const;
export type OpcuaCheckId = (typeof OPCUA_CHECKS)[number];

/** What the probe found, in the words the verdicts use. */
export type OpcuaSituation =
  /** Nothing could be judged: not reached, or stopped. */
  | { kind: "unreachable"; error: OpcuaError | null }
  /** Something answers, but not as OPC UA. */
  | { kind: "not-opcua"; error: OpcuaError | null }
  /** An OPC UA server, but its endpoints could not be read (it refused, closed or stayed silent after the Hello). */
  | { kind: "endpoints-not-read"; error: OpcuaError | null }
  | { kind: "answered"; endpoints: OpcuaEndpoint[] };

export function opcuaSituation(evidence: OpcuaEvidence): OpcuaSituation {
  const hello = evidence.hello;
  if (evidence.unreachable !== null || hello === null) {
    return { kind: "unreachable", error: evidence.unreachable };
  }
  if (hello.outcome === "error") {
    return { kind: "endpoints-not-read", error: hello.error };
  }
  if (hello.outcome !== "answered") {
    return { kind: "not-opcua", error: hello.error };
  }
  const channel = evidence.secureChannel;
  if (channel === null || channel.outcome !== "answered") {
    return { kind: "endpoints-not-read", error: channel?.error ?? null };
  }
  const answer = evidence.getEndpoints;
  if (answer === null || answer.outcome !== "answered") {
    return { kind: "endpoints-not-read", error: answer?.error ?? null };
  }
  return { kind: "answered", endpoints: answer.endpoints };
}

// ---- all five ---------------------------------------------------------------------------------------------------

/** The check every other MES-PCS OPC UA check builds on (the catalog's presencePrerequisites). */
const PREREQUISITE = "MES-PCS.opcua.mode";

/** The five MES-PCS OPC UA checks, in catalog order. */
export async function judgeOpcua(
  evidence: OpcuaEvidence,
  context: OpcuaJudgeContext,
): Promise<CheckOutcome[]> {
  const where = formatHostPort(evidence.target.host, evidence.target.port);
  const situation = opcuaSituation(evidence);
  switch (situation.kind) {
    case "unreachable": {
      const reason = unjudgedReason(situation.error);
      return OPCUA_CHECKS.map((id) =>
        notTested(
          id,
          reason,
          situation.error?.message ??
            `The OPC UA server at ${where} could not be reached.`,
        ),
      );
    }
    case "endpoints-not-read":
      return OPCUA_CHECKS.map((id) =>
        notTested(
          id,
          "endpoints not read",
          situation.error?.message ??
            `The OPC UA server at ${where} did not list its endpoints.`,
        ),
      );
    case "not-opcua":
      // The mode check fails once, for want of OPC UA; the checks that build on it are not judged (DESIGN §2).
      return applyPrerequisites(
        OPCUA_CHECKS.map((id) =>
          id === PREREQUISITE
            ? outcome(
                id,
                "fail",
                situation.error?.message ??
                  `The endpoint at ${where} does not answer as OPC UA.`,
                {
                  measured: `does not answer as OPC UA (${situation.error?.code ?? "no answer"})`,
                  threshold:
                    "answers the OPC UA Hello and lists its endpoints in GetEndpoints",
                },
              )
            : notTested(
                id,
                "not OPC UA",
                `The endpoint at ${where} does not answer as OPC UA.`,
              ),
        ),
        { absent: [PREREQUISITE] },
      );
    case "answered": {
      const { endpoints } = situation;
      const mode = judgeMode(PREREQUISITE, endpoints, where);
      if (endpoints.length === 0) {
        return [
          mode,
          ...OPCUA_CHECKS.filter((id) => id !== PREREQUISITE).map((id) =>
            notTested(
              id,
              "no endpoints",
              `Not judged: the OPC UA server at ${where} lists no endpoint (${PREREQUISITE}).`,
            ),
          ),
        ];
      }
      return [
        mode,
        judgePolicy("MES-PCS.opcua.policy", endpoints, where),
        judgeAnonymous("MES-PCS.opcua.anonymous", endpoints, where),
        judgeUserToken("MES-PCS.opcua.user-token", endpoints, where),
        await judgeCertificate(
          "MES-PCS.opcua.cert",
          endpoints,
          evidence.target.host,
          where,
          context,
        ),
      ];
    }
  }
}
