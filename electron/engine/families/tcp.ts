// The tcp family: the ports of one endpoint probed (protocols/tcp), judged by the reachability rules.
// It serves ENT-PER.segmentation, REMOTE.firewall.allowed/.denied and REMOTE.vpn.
import type { TcpEvidence } from "../../../shared/evidence/web";
import type { Endpoint } from "../../../shared/model/plan";
import { tcpPorts, type RunTarget } from "../../../shared/run-plan";
import { notTested, type CheckOutcome } from "../../../shared/verdicts/outcome";
import { probePorts } from "../protocols/tcp/ports";
import {
  judgeMustBeClosed,
  judgeMustBeOpen,
  REASONS,
} from "../rules/reachability";
import { evidenceDraft, probeOptionsOf, type FamilyProbe } from "./types";

/** The outcome of each tcp-family check for an endpoint, from its evidence. */
export function judgeTcpChecks(
  checkIds: readonly string[],
  endpoint: Endpoint,
  evidence: TcpEvidence,
  probedFrom?: string,
): CheckOutcome[] {
  const allowed =
    endpoint.allowedPorts.length > 0
      ? endpoint.allowedPorts
      : endpoint.port === undefined
        ? []
        : [endpoint.port];
  return checkIds.map((checkId) => {
    switch (checkId) {
      case "ENT-PER.segmentation":
        return judgeMustBeClosed(checkId, evidence, tcpPorts(endpoint), {
          what: `"${endpoint.name}"`,
          where: "the enterprise cell",
          why: REASONS.segmentation,
        });
      case "REMOTE.firewall.allowed":
        return judgeMustBeOpen(
          checkId,
          evidence,
          allowed,
          probedFrom ?? "the remote site",
        );
      case "REMOTE.firewall.denied": {
        // A port listed twice is one port (tcpPorts probes it once).
        const denied = new Set(endpoint.deniedPorts).size;
        return judgeMustBeClosed(checkId, evidence, endpoint.deniedPorts, {
          what: denied === 1 ? "the denied port" : "the denied ports",
          plural: denied !== 1,
          where: probedFrom ?? "the remote site",
          why: REASONS.denied,
        });
      }
      case "REMOTE.vpn":
        return judgeMustBeClosed(checkId, evidence, allowed, {
          what: `"${endpoint.name}"`,
          where: "the remote site without the VPN",
          why: REASONS.vpn,
        });
      default:
        return notTested(
          checkId,
          "not judged",
          `The TCP probe does not judge ${checkId}.`,
        );
    }
  });
}

export const tcpFamily: FamilyProbe = async (target: RunTarget, context) => {
  const started = context.now();
  const evidence = await probePorts(
    target.endpoint.host,
    tcpPorts(target.endpoint),
    probeOptionsOf(context),
  );
  return {
    evidence: [
      evidenceDraft("tcp", target.address, started, evidence, {
        finished: context.now(),
      }),
    ],
    outcomes: judgeTcpChecks(
      target.checks.map((c) => c.id),
      target.endpoint,
      evidence,
      context.probedFrom,
    ),
  };
};
