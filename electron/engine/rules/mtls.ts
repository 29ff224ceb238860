// PER-MES.mtls.* (DESIGN §4) over the client-certificate evidence. Enforcement is proven only when the
// anonymous (or throwaway) client is refused AND the plan's identity is served; a client that is served
// without a valid certificate fails whatever the identity does.
import type { ClientAttempt, MtlsEvidence } from "../../../shared/evidence/web";
import { CLIENT_TLS, ekuName, extendedKeyUsageAllows } from "../x509";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { formatHostPort } from "../../../shared/model/net";

const VERSION_LABEL: Record<ClientAttempt["version"], string> = {
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};

function describeAttempt(attempt: ClientAttempt): string {
  const version = VERSION_LABEL[attempt.version];
  switch (attempt.result) {
    case "accepted":
      return `${version}: served (HTTP ${attempt.httpStatus ?? "?"})`;
    case "unsupported":
      return `${version}: not offered`;
    case "error":
      return `${version}: ${attempt.detail}`;
    case "refused":
      if (attempt.refusedAt === "http")
        return `${version}: refused with HTTP ${attempt.httpStatus ?? "?"}`;
      return `${version}: refused ${attempt.refusedAt === "handshake" ? "at the handshake" : "on the first read"}${attempt.alert === "" ? "" : ` (${attempt.alert})`}`;
  }
}

export function judgeMtls(
  checkIds: readonly string[],
  evidence: MtlsEvidence,
): CheckOutcome[] {
  const of = (client: ClientAttempt["client"]) =>
    evidence.attempts.filter((a) => a.client === client);
  const identity = of("identity");
  // A version counts when the server spoke it: it served or refused someone over it (with the identity, when
  // there is one, so that a handshake failure for lack of a common version is not taken for a refusal).
  const offered = (["TLSv1.2", "TLSv1.3"] as const).filter((version) => {
    const relevant = identity.length > 0 ? identity : evidence.attempts;
    const spoke = relevant.some(
      (a) =>
        a.version === version &&
        (a.result === "accepted" || a.result === "refused"),
    );
    return (
      spoke ||
      (identity.length > 0 &&
        evidence.attempts.some(
          (a) => a.version === version && a.result === "accepted",
        ))
    );
  });
  const onOffered = (attempts: ClientAttempt[]) =>
    attempts.filter((a) => offered.includes(a.version));
  const identityProblem =
    evidence.identityProblem !== ""
      ? { reason: "no client identity", message: evidence.identityProblem }
      : onOffered(identity).some((a) => a.result !== "accepted")
        ? {
            reason: "identity refused",
            message: `The plan's identity (${evidence.identitySubject}) was not served either (${onOffered(identity).map(describeAttempt).join("; ")}): check it is the identity this server trusts. Without it, refusals do not prove enforcement.`,
          }
        : null;
  const where = `${formatHostPort(evidence.serverName, evidence.port)}${evidence.path}`;

  const refusalCheck = (
    checkId: string,
    client: "anonymous" | "untrusted",
  ): CheckOutcome => {
    const attempts = onOffered(of(client));
    const measured = attempts.map(describeAttempt).join("; ");
    const threshold =
      "refused over TLS 1.2 and TLS 1.3 (handshake, first read, or HTTP 4xx other than 404)";
    if (offered.length === 0) {
      return notTested(
        checkId,
        "unreachable",
        `No TLS connection to ${where} could be made: ${evidence.attempts[0]?.detail ?? "no attempt"}`,
      );
    }
    const served = attempts.filter((a) => a.result === "accepted");
    if (served.length > 0) {
      const versions = served
        .map((a) => VERSION_LABEL[a.version])
        .join(" and ");
      const requested = served.some((a) => a.certificateRequested === true)
        ? " It asks for a client certificate but does not require one."
        : "";
      const message =
        client === "anonymous"
          ? `${where} serves clients without a certificate over ${versions}.${requested} Require client certificates on this binding.`
          : `${where} serves a client whose certificate comes from an unknown CA over ${versions}: it accepts any certificate. Trust only the plant's client CA.`;
      return outcome(checkId, "fail", message, { measured, threshold });
    }
    if (identityProblem !== null)
      return notTested(
        checkId,
        identityProblem.reason,
        identityProblem.message,
      );
    if (attempts.some((a) => a.result === "error")) {
      return notTested(
        checkId,
        "probe failed",
        `Not every attempt could be judged: ${measured}.`,
      );
    }
    return outcome(
      checkId,
      "pass",
      client === "anonymous"
        ? `Clients without a certificate are refused (${measured}), while the plan's identity is served.`
        : `A certificate from an unknown CA is refused (${measured}), while the plan's identity is served.`,
      { measured, threshold },
    );
  };

  return checkIds.map((checkId) => {
    if (checkId.endsWith("mtls.anonymous-refused"))
      return refusalCheck(checkId, "anonymous");
    if (checkId.endsWith("mtls.untrusted-refused"))
      return refusalCheck(checkId, "untrusted");
    if (checkId.endsWith("mtls.identity-accepted")) {
      if (offered.length === 0)
        return notTested(
          checkId,
          "unreachable",
          `No TLS connection to ${where} could be made.`,
        );
      if (identityProblem !== null)
        return notTested(
          checkId,
          identityProblem.reason,
          identityProblem.message,
        );
      const measured = onOffered(identity).map(describeAttempt).join("; ");
      // DESIGN §3 "client identity": an identity without clientAuth is served here, but warned.
      const usages = evidence.identityExtendedKeyUsage ?? null;
      if (!extendedKeyUsageAllows(usages, CLIENT_TLS))
        return outcome(
          checkId,
          "warn",
          `The plan's identity (${evidence.identitySubject}) is served (${measured}), but its certificate is not made for TLS clients: its extended key usage is ${(usages ?? []).map(ekuName).join(", ") || "empty"}, without clientAuth. A server that checks the purpose will refuse it; have it reissued with clientAuth.`,
          {
            measured,
            threshold:
              "served over every TLS version the server offers; warns without clientAuth",
          },
        );
      return outcome(
        checkId,
        "pass",
        `The plan's identity (${evidence.identitySubject}) is served (${measured}).`,
        {
          measured,
          threshold: "served over every TLS version the server offers",
        },
      );
    }
    return notTested(
      checkId,
      "not judged",
      `The client-certificate probe does not judge ${checkId}.`,
    );
  });
}
