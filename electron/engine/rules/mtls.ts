// PER-MES.mtls.* (DESIGN §4) over the client-certificate evidence. Enforcement is proven only when the
// anonymous (or throwaway) client is refused AND the plan's identity is served; a client that is served
// without a valid certificate fails whatever the identity does. How the server asks for the certificate is told
// apart: in the handshake (a CertificateRequest), or per path after the request — by TLS 1.2 renegotiation, as
// IIS and Apache do, which TLS 1.3 cannot do without post-handshake authentication (notes: trust-and-iis).
import type { ClientAttempt, MtlsEvidence } from "../../../shared/evidence/web";
import { formatHostPort, sendsServerName } from "../../../shared/model/net";
import { CLIENT_TLS, ekuName, extendedKeyUsageAllows } from "../x509";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import {
  isServerNameRefusal,
  NEEDS_SERVER_NAME,
  needsServerNameMessage,
} from "./server-name";

type Version = ClientAttempt["version"];

const VERSION_LABEL: Record<Version, string> = {
  "TLSv1.2": "TLS 1.2",
  "TLSv1.3": "TLS 1.3",
};

/** The sentence of the issue this rule answers (IIS per-path client certificates over TLS 1.3). */
export const PER_PATH_TLS12_ONLY =
  "accepted over TLS 1.2 only: this server asks for the client certificate per path after the handshake, which TLS 1.3 clients cannot answer (Windows Server 2022 resets, 2025 answers 500): enable client-certificate negotiation on the binding (netsh http … clientcertnegotiation=enable) or keep this binding on TLS 1.2";

/** The not-tested reason when only TLS 1.3 is spoken and the certificate is asked for after the handshake. */
export const NEEDS_POST_HANDSHAKE_AUTH = "post-handshake authentication";

/** An answer that asks for Windows authentication (IIS with Negotiate or NTLM on top of the certificate). */
function asksWindowsAuthentication(attempt: ClientAttempt): boolean {
  return (
    attempt.httpStatus === 401 &&
    /\b(?:Negotiate|NTLM)\b/i.test(attempt.authenticate ?? "")
  );
}

/**
 * An attempt as the checks count it: the identity that the TLS layer accepted and that then gets 401 asking for
 * Windows authentication was accepted (the certificate passed; Windows credentials are asked for on top).
 */
function counted(attempt: ClientAttempt): ClientAttempt {
  return attempt.client === "identity" &&
    attempt.result === "refused" &&
    attempt.refusedAt === "http" &&
    asksWindowsAuthentication(attempt)
    ? { ...attempt, result: "accepted", refusedAt: "" }
    : attempt;
}

function describeAttempt(attempt: ClientAttempt): string {
  const version = VERSION_LABEL[attempt.version];
  switch (attempt.result) {
    case "accepted":
      return `${version}: served (HTTP ${attempt.httpStatus ?? "?"}${asksWindowsAuthentication(attempt) ? ", Windows authentication asked for" : ""})${attempt.renegotiationRequested === true ? " after a renegotiation" : ""}`;
    case "unsupported":
      return `${version}: not offered`;
    case "error":
      return `${version}: ${attempt.detail}`;
    case "refused": {
      const after =
        attempt.renegotiationRequested === true ? " after a renegotiation" : "";
      if (attempt.refusedAt === "http")
        return `${version}: refused with HTTP ${attempt.httpStatus ?? "?"}${after}`;
      return `${version}: refused ${attempt.refusedAt === "handshake" ? "at the handshake" : "on the first read"}${attempt.alert === "" ? "" : ` (${attempt.alert})`}${after}`;
    }
  }
}

/**
 * A TLS 1.3 refusal after the request from a server that asked for no certificate in the handshake: it wants to
 * ask after it, which needs post-handshake authentication (offered by neither Node's client nor Windows' HTTP
 * stack). IIS resets or answers 500, Apache answers 403.
 */
function refusedForPostHandshakeAuth(attempt: ClientAttempt): boolean {
  return (
    attempt.version === "TLSv1.3" &&
    attempt.result === "refused" &&
    (attempt.refusedAt === "http" || attempt.refusedAt === "first-read") &&
    attempt.certificateRequested === false
  );
}

/** The server asked for the certificate per path, by TLS 1.2 renegotiation (a HelloRequest after the request). */
function askedByRenegotiation(attempts: readonly ClientAttempt[]): boolean {
  return attempts.some(
    (a) =>
      a.version === "TLSv1.2" &&
      a.certificateRequested !== true &&
      a.renegotiationRequested === true,
  );
}

/**
 * Probed without SNI, every attempt was refused before any ServerHello by alert 112 or 40, or a reset: the server
 * needs a server name, and nothing can be judged without one.
 */
function needsServerName(evidence: MtlsEvidence): boolean {
  return (
    !sendsServerName(evidence.serverName) &&
    evidence.attempts.length > 0 &&
    evidence.attempts.every(
      (a) =>
        a.result === "refused" &&
        a.refusedAt === "handshake" &&
        a.serverHelloSeen !== true &&
        isServerNameRefusal(a.alert),
    )
  );
}

export function judgeMtls(
  checkIds: readonly string[],
  evidence: MtlsEvidence,
): CheckOutcome[] {
  const attempts = evidence.attempts.map(counted);
  const of = (client: ClientAttempt["client"]) =>
    attempts.filter((a) => a.client === client);
  const identity = of("identity");
  // A version counts when the server spoke it: it served or refused someone over it (with the identity, when
  // there is one, so that a handshake failure for lack of a common version is not taken for a refusal).
  const offered = (["TLSv1.2", "TLSv1.3"] as const).filter((version) => {
    const relevant = identity.length > 0 ? identity : attempts;
    const spoke = relevant.some(
      (a) =>
        a.version === version &&
        (a.result === "accepted" || a.result === "refused"),
    );
    return (
      spoke ||
      (identity.length > 0 &&
        attempts.some((a) => a.version === version && a.result === "accepted"))
    );
  });
  const onOffered = (list: ClientAttempt[]) =>
    list.filter((a) => offered.includes(a.version));
  const where = `${formatHostPort(evidence.serverName, evidence.port)}${evidence.path}`;
  const hostPort = formatHostPort(evidence.host, evidence.port);

  // Per path, after the handshake: the identity refused over TLS 1.3 only because the server cannot ask there.
  const identityRefused = onOffered(identity).filter(
    (a) => a.result !== "accepted",
  );
  const identityServed = onOffered(identity).filter(
    (a) => a.result === "accepted",
  );
  const postHandshakeOnly =
    identityRefused.length > 0 &&
    identityRefused.every(refusedForPostHandshakeAuth);
  const perPath = askedByRenegotiation(attempts);
  const tls13Only = !offered.includes("TLSv1.2");
  const postHandshakeMessage = `${where} ${tls13Only ? "speaks only TLS 1.3 and " : ""}asks for no client certificate in the TLS 1.3 handshake, yet refuses the plan's identity after the request (${identityRefused.map(describeAttempt).join("; ")}): it asks for the certificate per path after the handshake, which over TLS 1.3 needs post-handshake authentication — offered by neither Cellcert's TLS client nor Windows' HTTP stack. Enable client-certificate negotiation on the binding (netsh http … clientcertnegotiation=enable, so the certificate is asked for in the handshake), or allow TLS 1.2 on it, and probe again.`;

  const identityProblem =
    evidence.identityProblem !== ""
      ? { reason: "no client identity", message: evidence.identityProblem }
      : postHandshakeOnly && identityServed.length === 0
        ? { reason: NEEDS_POST_HANDSHAKE_AUTH, message: postHandshakeMessage }
        : identityRefused.length > 0 && !postHandshakeOnly
          ? {
              reason: "identity refused",
              message: identityRefused.every(
                (a) => a.refusedAt === "http" && (a.httpStatus ?? 0) >= 500,
              )
                ? `The server fails the plan's identity (${evidence.identitySubject}) with an HTTP error (${onOffered(identity).map(describeAttempt).join("; ")}): the application behind the binding fails, so enforcement cannot be proven. Fix it and probe again.`
                : `The plan's identity (${evidence.identitySubject}) was not served either (${onOffered(identity).map(describeAttempt).join("; ")}): check it is the identity this server trusts. Without it, refusals do not prove enforcement.`,
            }
          : null;
  const serverNameNeeded = needsServerName(evidence);

  const refusalCheck = (
    checkId: string,
    client: "anonymous" | "untrusted",
  ): CheckOutcome => {
    const mine = onOffered(of(client));
    const measured = mine.map(describeAttempt).join("; ");
    const threshold =
      "refused over TLS 1.2 and TLS 1.3 (handshake, first read, or HTTP 4xx other than 404)";
    if (serverNameNeeded)
      return notTested(
        checkId,
        NEEDS_SERVER_NAME,
        needsServerNameMessage(hostPort),
      );
    if (offered.length === 0) {
      return notTested(
        checkId,
        "unreachable",
        `No TLS connection to ${where} could be made: ${attempts[0]?.detail ?? "no attempt"}`,
      );
    }
    // Answered exactly as the identity was (401 asking for Windows authentication): the certificate made no
    // difference, so it is not required.
    const sameAsIdentity = mine.filter(
      (a) =>
        a.refusedAt === "http" &&
        asksWindowsAuthentication(a) &&
        identity.some(
          (i) => i.version === a.version && asksWindowsAuthentication(i),
        ),
    );
    const served = mine.filter((a) => a.result === "accepted");
    if (served.length > 0 || sameAsIdentity.length > 0) {
      const versions = [...served, ...sameAsIdentity]
        .map((a) => VERSION_LABEL[a.version])
        .join(" and ");
      const requested = served.some(
        (a) =>
          a.certificateRequested === true || a.renegotiationRequested === true,
      )
        ? " It asks for a client certificate but does not require one."
        : "";
      const message =
        served.length === 0
          ? `${where} answers a client ${client === "anonymous" ? "without a certificate" : "whose certificate comes from an unknown CA"} exactly as it answers the plan's identity over ${versions} (401, asking for Windows authentication): the client certificate is not required. Require client certificates on this binding.`
          : client === "anonymous"
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
    if (mine.some((a) => a.result === "error")) {
      return notTested(
        checkId,
        "probe failed",
        `Not every attempt could be judged: ${measured}.`,
      );
    }
    const everyoneOver13 =
      (perPath
        ? " The server asks for the certificate per path after the request (TLS 1.2 renegotiation), not in the handshake."
        : "") +
      (postHandshakeOnly
        ? " Over TLS 1.3 the server refuses every client, the plan's identity too (see identity-accepted)."
        : "");
    return outcome(
      checkId,
      "pass",
      (client === "anonymous"
        ? `Clients without a certificate are refused (${measured}), while the plan's identity is served.`
        : `A certificate from an unknown CA is refused (${measured}), while the plan's identity is served.`) +
        everyoneOver13,
      { measured, threshold },
    );
  };

  const identityCheck = (checkId: string): CheckOutcome => {
    if (serverNameNeeded)
      return notTested(
        checkId,
        NEEDS_SERVER_NAME,
        needsServerNameMessage(hostPort),
      );
    // Without the identity the check cannot be made, wherever the server is.
    if (evidence.identityProblem !== "")
      return notTested(checkId, "no client identity", evidence.identityProblem);
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
    const threshold =
      "served over every TLS version the server offers; warns without clientAuth";
    const subject = evidence.identitySubject;
    const notes: string[] = [];
    if (identityServed.some(asksWindowsAuthentication))
      notes.push(
        `After accepting the certificate the server asks for Windows authentication too (401, WWW-Authenticate ${[...new Set(identityServed.filter(asksWindowsAuthentication).map((a) => a.authenticate ?? ""))].join("; ")}): the MES client needs Windows credentials as well as its certificate.`,
      );
    // The certificate is asked for per path after the handshake: fine over TLS 1.2, impossible over TLS 1.3.
    if (postHandshakeOnly) {
      return outcome(
        checkId,
        "warn",
        [
          `The plan's identity (${subject}) is ${PER_PATH_TLS12_ONLY}.${perPath ? "" : " (TLS 1.2 served it without a renegotiation Cellcert could see; over TLS 1.3 the handshake asked for no certificate.)"}`,
          ...notes,
        ].join(" "),
        { measured, threshold },
      );
    }
    // DESIGN §3 "client identity": an identity without clientAuth is served here, but warned.
    const usages = evidence.identityExtendedKeyUsage ?? null;
    if (!extendedKeyUsageAllows(usages, CLIENT_TLS))
      return outcome(
        checkId,
        "warn",
        [
          `The plan's identity (${subject}) is served (${measured}), but its certificate is not made for TLS clients: its extended key usage is ${(usages ?? []).map(ekuName).join(", ") || "empty"}, without clientAuth. A server that checks the purpose will refuse it; have it reissued with clientAuth.`,
          ...notes,
        ].join(" "),
        { measured, threshold },
      );
    return outcome(
      checkId,
      "pass",
      [
        `The plan's identity (${subject}) is served (${measured}).${perPath ? " The server asks for the certificate per path after the request (TLS 1.2 renegotiation)." : ""}`,
        ...notes,
      ].join(" "),
      {
        measured,
        threshold: "served over every TLS version the server offers",
      },
    );
  };

  return checkIds.map((checkId) => {
    if (checkId.endsWith("mtls.anonymous-refused"))
      return refusalCheck(checkId, "anonymous");
    if (checkId.endsWith("mtls.untrusted-refused"))
      return refusalCheck(checkId, "untrusted");
    if (checkId.endsWith("mtls.identity-accepted"))
      return identityCheck(checkId);
    return notTested(
      checkId,
      "not judged",
      `The client-certificate probe does not judge ${checkId}.`,
    );
  });
}
