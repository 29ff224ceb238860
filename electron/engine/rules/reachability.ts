// The reachability checks (DESIGN §4): ENT-PER.segmentation, REMOTE.firewall.allowed and .denied, REMOTE.vpn.
// Pure functions over TCP evidence. Where "closed" is what a check wants, refused or filtered is the measurement.
import { capitalized } from "../../../shared/wording";
import type {
  PortObservation,
  TcpEvidence,
} from "../../../shared/evidence/web";
import { formatHostPort } from "../../../shared/model/net";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";

/** Answers from the network that the path is closed: refused, dropped, reset. */
const CLOSED_STATES: readonly PortObservation["state"][] = [
  "refused",
  "filtered",
  "reset",
];
/**
 * "Unreachable" codes that measure the path: a router or firewall answered host unreachable or
 * administratively prohibited (EHOSTUNREACH), or nothing on the way answers for the host (EHOSTDOWN). The other
 * unreachable codes are this laptop's own configuration and prove nothing about the plant's firewall: no route
 * in its own table (ENETUNREACH — a wrong card or a missing gateway), a source address it does not have
 * (EADDRNOTAVAIL), a card that is down (ENETDOWN), a local policy (EACCES, EPERM), a bad option (EINVAL).
 */
const ROUTED_UNREACHABLE_CODES: readonly string[] = [
  "EHOSTUNREACH",
  "EHOSTDOWN",
];

/** Whether an observation measures a closed path (rather than a problem on this laptop). */
const isClosed = (p: PortObservation): boolean =>
  CLOSED_STATES.includes(p.state) ||
  (p.state === "unreachable" && ROUTED_UNREACHABLE_CODES.includes(p.code));

const describe = (ports: readonly PortObservation[]): string =>
  ports.map((p) => `${p.port} ${p.state}`).join(", ");
const pick = (
  evidence: TcpEvidence,
  ports: readonly number[],
): PortObservation[] => evidence.ports.filter((p) => ports.includes(p.port));
const dnsProblem = (
  evidence: TcpEvidence,
  ports: readonly PortObservation[],
): boolean =>
  ports.some((p) => p.state === "dns-failure") &&
  evidence.ports.every((p) => p.state !== "open");

/** "Not reachable from here" checks: every port must be closed (refused, filtered, reset, routed unreachable). */
export function judgeMustBeClosed(
  checkId: string,
  evidence: TcpEvidence,
  ports: readonly number[],
  /** `plural`: `what` takes "are" ("the denied ports are not reachable"). */
  words: { what: string; where: string; why: string; plural?: boolean },
): CheckOutcome {
  const observed = pick(evidence, ports);
  const threshold = `every port refused, filtered, reset or unreachable from ${words.where}`;
  if (observed.length === 0)
    return notTested(
      checkId,
      "not configured",
      `No port of ${words.what} is listed to test.`,
    );
  const open = observed.filter((p) => p.state === "open");
  if (open.length > 0) {
    const where = open
      .map((p) => formatHostPort(evidence.host, p.port))
      .join(", ");
    return outcome(
      checkId,
      "fail",
      `${where} (${words.what}) ${open.length === 1 ? "is" : "are"} reachable from ${words.where}: ${words.why}`,
      {
        measured: describe(observed),
        threshold,
      },
    );
  }
  if (dnsProblem(evidence, observed)) {
    return notTested(
      checkId,
      "dns failure",
      `${evidence.host} does not resolve from ${words.where}, which proves nothing about the network path; give the endpoint's IP address to test it.`,
    );
  }
  if (observed.every(isClosed)) {
    return outcome(
      checkId,
      "pass",
      `${capitalized(words.what)} ${words.plural === true ? "are" : "is"} not reachable from ${words.where} (${describe(observed)}).`,
      {
        measured: describe(observed),
        threshold,
      },
    );
  }
  const local = observed.filter((p) => !isClosed(p));
  return notTested(
    checkId,
    "unreachable",
    `Cellcert could not judge ${words.what} from ${words.where}; this laptop could not try the connection: ${[...new Set(local.map((p) => p.message))].join(" ")}`,
  );
}

/** REMOTE.firewall.allowed: every listed port open. */
export function judgeMustBeOpen(
  checkId: string,
  evidence: TcpEvidence,
  ports: readonly number[],
  where: string,
): CheckOutcome {
  const observed = pick(evidence, ports);
  const threshold = `every listed port open from ${where}`;
  if (observed.length === 0)
    return notTested(
      checkId,
      "not configured",
      "No allowed port is listed for this endpoint.",
    );
  if (
    observed.every(
      (p) => p.state === "dns-failure" || p.state === "unreachable",
    )
  ) {
    return notTested(
      checkId,
      "unreachable",
      `${evidence.host} cannot be reached from ${where}: ${observed[0]?.message ?? ""}`,
    );
  }
  const closed = observed.filter((p) => p.state !== "open");
  if (closed.length > 0) {
    return outcome(
      checkId,
      "fail",
      `${closed.map((p) => formatHostPort(evidence.host, p.port)).join(", ")} should be open from ${where} but ${closed.length === 1 ? "is" : "are"} ${[...new Set(closed.map((p) => p.state))].join(" or ")}: open ${closed.length === 1 ? "it" : "them"} in the firewall.`,
      { measured: describe(observed), threshold },
    );
  }
  return outcome(
    checkId,
    "pass",
    `Every allowed port is open from ${where} (${describe(observed)}).`,
    {
      measured: describe(observed),
      threshold,
    },
  );
}

export const REASONS = {
  segmentation:
    "only the perimeter may be reached from the enterprise cell; close this path in the firewall.",
  denied:
    "the firewall should refuse or drop remote clients' connections to every denied port.",
  vpn: "with the VPN down the MES must not be reachable; the firewall lets remote clients in without it.",
} as const;
