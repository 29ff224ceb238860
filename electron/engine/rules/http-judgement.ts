// What the web checks share (http.ts, http-hsts.ts): one path's judgement, the worst path deciding a check, and
// a TLS refusal of a hop sent without a server name (DESIGN §2: "needs a server name").
import type { HttpEvidence, HttpExchange } from "../../../shared/evidence/web";
import {
  outcome,
  notTested,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import type { MeasuredVerdict } from "../../../shared/plant-words";
import { formatHostPort, sendsServerName } from "../../../shared/model/net";
import {
  isServerNameRefusal,
  NEEDS_SERVER_NAME,
  needsServerNameMessage,
} from "./server-name";

export interface PathJudgement {
  verdict: MeasuredVerdict;
  /** "/Opcenter 302 → https" */
  measured: string;
  /** The sentence for this path. */
  message: string;
  /** Why not tested, when it is not: "unreachable" unless said. */
  reason?: string;
}

const ORDER: readonly MeasuredVerdict[] = [
  "fail",
  "not-tested",
  "warn",
  "pass",
];

/** The worst path decides; every path is named in the measurement. */
export function combine(
  checkId: string,
  judged: readonly PathJudgement[],
  threshold: string,
  passMessage: string,
): CheckOutcome {
  if (judged.length === 0)
    return notTested(
      checkId,
      "not configured",
      "No path is listed for this endpoint.",
    );
  const worst =
    ORDER.find((verdict) => judged.some((j) => j.verdict === verdict)) ??
    "pass";
  const measured = judged.map((j) => j.measured).join("; ");
  if (worst === "pass")
    return outcome(checkId, "pass", passMessage, { measured, threshold });
  const messages = [
    ...new Set(judged.filter((j) => j.verdict === worst).map((j) => j.message)),
  ];
  const reason =
    worst === "not-tested"
      ? (judged.find((j) => j.verdict === worst)?.reason ?? "unreachable")
      : "";
  return outcome(checkId, worst, messages.join(" "), {
    measured,
    threshold,
    reason,
  });
}

/**
 * A TLS refusal of a hop sent without SNI (an IP target without a server name) that says the server wants a name:
 * alert 112 or 40, or a reset (DESIGN §2: "needs a server name").
 */
export function refusedForServerName(
  exchange: HttpExchange,
  evidence: HttpEvidence,
): PathJudgement | null {
  if (exchange.outcome !== "tls-refused") return null;
  let host: string;
  try {
    host = new URL(exchange.url).hostname.replace(/^\[(.*)\]$/, "$1");
  } catch {
    return null;
  }
  if (sendsServerName(host) || !isServerNameRefusal(exchange.tlsAlert ?? ""))
    return null;
  return {
    verdict: "not-tested",
    measured: "",
    message: needsServerNameMessage(
      formatHostPort(evidence.host, evidence.port),
    ),
    reason: NEEDS_SERVER_NAME,
  };
}
