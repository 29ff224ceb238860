// ENT-PER.reach and APP-EXT.secure-protocol over the TLS evidence: does a TLS server answer at all?
import type { TlsEvidence } from "../../../shared/evidence/tls";
import { formatHostPort } from "../../../shared/model/net";
import {
  notTested,
  outcome,
  unjudgedReason,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { NEEDS_SERVER_NAME, needsServerNameMessage } from "./server-name";

const where = (evidence: TlsEvidence): string =>
  formatHostPort(evidence.target.host, evidence.target.port);

/** ENT-PER.reach: the perimeter answers a TLS handshake from the enterprise cell. */
export function judgeReach(
  checkId: string,
  evidence: TlsEvidence,
): CheckOutcome {
  const { unreachable, speaksTls } = evidence;
  const threshold = "a TLS handshake answered from the enterprise cell";
  if (unreachable?.kind === "dns-failure")
    return notTested(checkId, "dns failure", unreachable.message);
  if (unreachable?.kind === "stopped")
    return notTested(checkId, "stopped", unreachable.message);
  if (unreachable !== null) {
    return outcome(
      checkId,
      "fail",
      `The perimeter cannot be reached from the enterprise cell: ${unreachable.message}`,
      {
        measured: unreachable.kind,
        threshold,
      },
    );
  }
  if (evidence.refusedWithoutServerName === true)
    return notTested(
      checkId,
      NEEDS_SERVER_NAME,
      needsServerNameMessage(where(evidence)),
    );
  if (speaksTls.verdict === "no") {
    return outcome(
      checkId,
      "fail",
      `${where(evidence)} answers, but not with TLS (${speaksTls.answer}): ${speaksTls.message}`,
      {
        measured: speaksTls.answer,
        threshold,
      },
    );
  }
  if (speaksTls.verdict === "unknown")
    return notTested(checkId, "no answer", speaksTls.message);
  return outcome(
    checkId,
    "pass",
    `${where(evidence)} answers a TLS handshake from here.`,
    { measured: "TLS answered", threshold },
  );
}

/** APP-EXT.secure-protocol: the external system speaks TLS; plaintext fails (unless waived for another solution). */
export function judgeSecureProtocol(
  checkId: string,
  evidence: TlsEvidence,
): CheckOutcome {
  const { unreachable, speaksTls } = evidence;
  const threshold =
    "TLS (an application protocol that protects confidentiality and integrity)";
  if (unreachable !== null)
    return notTested(checkId, unjudgedReason(unreachable), unreachable.message);
  if (evidence.refusedWithoutServerName === true)
    return notTested(
      checkId,
      NEEDS_SERVER_NAME,
      needsServerNameMessage(where(evidence)),
    );
  if (speaksTls.verdict === "no") {
    const plaintext = speaksTls.answer.startsWith("plaintext");
    return outcome(
      checkId,
      "fail",
      plaintext
        ? `${where(evidence)} speaks plaintext (${speaksTls.answer}): anyone on the path reads and changes what the MES exchanges. Put it behind TLS, or waive this check naming the IT department's alternative.`
        : `${where(evidence)} does not answer with TLS (${speaksTls.answer}): ${speaksTls.message}`,
      { measured: speaksTls.answer, threshold },
    );
  }
  if (speaksTls.verdict === "unknown")
    return notTested(checkId, "no answer", speaksTls.message);
  return outcome(checkId, "pass", `${where(evidence)} speaks TLS.`, {
    measured: "TLS",
    threshold,
  });
}
