// The TLS server profile (DESIGN §4): six checks as pure functions of the recorded TlsEvidence, held against the
// thresholds of DESIGN §3 (shared/catalog/thresholds.ts), which the plan's policy may only make stricter.
// Check ids are `${prefix}.${suffix}` — "PER-MES.tls.protocol" — or the bare suffix for standalone CLI probes.
import { TLS_PROFILE } from "../../../shared/catalog/catalog";
import {
  effectiveTlsThresholds,
  SUITE_WEAKNESS_LABELS,
  THRESHOLDS,
  TLS_PROTOCOL_LABELS,
  TLS_PROTOCOLS,
  type EffectiveTlsThresholds,
  type SuiteWeakness,
  type ThresholdPolicy,
  type TlsProtocol,
} from "../../../shared/catalog/thresholds";
import type { TlsEvidence } from "../../../shared/evidence/tls";
import {
  notTested,
  unjudgedReason,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { applyPrerequisites } from "../../../shared/verdicts/prerequisites";
// The light parts of x509, by file: the chain itself is judged by x509/evaluate.ts, loaded with pkijs when there is
// a chain to judge (judgeTlsCertificate), so a probe that never sees one starts and answers without it.
import {
  certificateCheckIds,
  certificatesNotTested,
  prefixedCheckId,
  type CertificateCheckIds,
  type CertificateOutcomes,
} from "../x509/certificate-outcomes";
import { keyExchangeOf } from "../x509/purpose";
import type { ValidatedPath } from "../../../shared/evidence/certificate";
import { weaknessesOf } from "../../../shared/evidence/cipher-suites";
import { formatHostPort } from "../../../shared/model/net";
import { NEEDS_SERVER_NAME, needsServerNameMessage } from "./server-name";

export interface TlsProfileCheckIds extends CertificateCheckIds {
  protocol: string;
  suites: string;
}

/** "ENT-PER" → "ENT-PER.tls.protocol", …; "" → "tls.protocol", … */
export function tlsProfileCheckIds(prefix: string): TlsProfileCheckIds {
  return {
    protocol: prefixedCheckId(prefix, "tls.protocol"),
    suites: prefixedCheckId(prefix, "tls.suites"),
    ...certificateCheckIds(prefix),
  };
}

export interface TlsJudgeOptions {
  /** The plan's trust anchors for this endpoint (PEM). */
  anchorsPem: readonly string[];
  /** The plan's CRLs (PEM or DER): revocation from the trust material. */
  crls?: readonly (string | Uint8Array)[];
  /** Whether Node's bundled public roots may anchor the chain (the endpoint allows it). */
  publicRoots: boolean;
  policy: Partial<ThresholdPolicy> & { requireRevocation?: boolean };
  /** The name the certificate must carry; by default the evidence's SNI name, else its host. */
  serverName?: string;
  now: Date;
}

/** The six outcomes, in catalog order. */
export async function judgeTlsProfile(
  prefix: string,
  evidence: TlsEvidence,
  options: TlsJudgeOptions,
): Promise<CheckOutcome[]> {
  return (await judgeTlsProfileWithPath(prefix, evidence, options)).outcomes;
}

/** First answers that show another protocol on the port (TlsEvidence.speaksTls.answer). */
const ANOTHER_PROTOCOL: readonly string[] = ["plaintext-http", "garbage"];

/** The six outcomes, the validated path and what the endpoint turned out not to have at all. */
export interface TlsProfileJudgement {
  outcomes: CheckOutcome[];
  /** For the evidence, beside the chain as sent; null when none. */
  path: ValidatedPath | null;
  /**
   * `tls.protocol` when the endpoint answers in another protocol: the checks of other families that look at TLS
   * (web paths, client certificates) are then not judged (their presence prerequisite, DESIGN §2).
   */
  absent: string[];
}

/** The six outcomes and the validated path (for the evidence, beside the chain as sent; null when none). */
export async function judgeTlsProfileWithPath(
  prefix: string,
  evidence: TlsEvidence,
  options: TlsJudgeOptions,
): Promise<TlsProfileJudgement> {
  const ids = tlsProfileCheckIds(prefix);
  const thresholds = effectiveTlsThresholds(options.policy);
  const inOrder = (
    protocol: CheckOutcome,
    suites: CheckOutcome,
    certificate: CertificateOutcomes,
  ): TlsProfileJudgement => {
    const byId = new Map(
      [
        protocol,
        suites,
        certificate.chain,
        certificate.name,
        certificate.validity,
        certificate.strength,
      ].map((o) => [o.checkId, o]),
    );
    return {
      outcomes: TLS_PROFILE.map(
        (item) =>
          byId.get(prefix === "" ? item.suffix : `${prefix}.${item.suffix}`) ??
          notTested(item.suffix, "internal", "Not judged."),
      ),
      path: certificate.path,
      absent: [],
    };
  };

  if (evidence.unreachable !== null) {
    const { message } = evidence.unreachable;
    const reason = unjudgedReason(evidence.unreachable);
    return inOrder(
      notTested(ids.protocol, reason, message),
      notTested(ids.suites, reason, message),
      certificatesNotTested(ids, reason, message),
    );
  }
  if (evidence.refusedWithoutServerName === true) {
    const message = needsServerNameMessage(
      formatHostPort(evidence.target.host, evidence.target.port),
    );
    return inOrder(
      notTested(ids.protocol, NEEDS_SERVER_NAME, message),
      notTested(ids.suites, NEEDS_SERVER_NAME, message),
      certificatesNotTested(ids, NEEDS_SERVER_NAME, message),
    );
  }
  if (evidence.speaksTls.verdict === "no") {
    // tls.protocol fails once, for want of TLS; the checks that build on it are not judged (DESIGN §2).
    const message = "The endpoint does not speak TLS.";
    const profile = inOrder(
      outcome(ids.protocol, "fail", evidence.speaksTls.message, {
        measured: `no TLS (${evidence.speaksTls.answer})`,
        threshold: thresholdText(thresholds),
      }),
      notTested(ids.suites, "no TLS", message),
      certificatesNotTested(ids, "no TLS", message),
    );
    return {
      ...profile,
      outcomes: applyPrerequisites(profile.outcomes, {
        absent: [ids.protocol],
      }),
      // Beyond the profile, only an answer in another protocol proves TLS absent: a silent or slow server may be
      // TLS held up on the way, and the checks of the other families then judge what they see.
      absent: ANOTHER_PROTOCOL.includes(evidence.speaksTls.answer)
        ? [ids.protocol]
        : [],
    };
  }
  return inOrder(
    judgeTlsProtocols(ids.protocol, evidence, thresholds),
    judgeTlsSuites(ids.suites, evidence),
    await judgeTlsCertificate(ids, evidence, options, thresholds),
  );
}

// ---- tls.protocol ---------------------------------------------------------------------------------------------

const label = (p: TlsProtocol): string => TLS_PROTOCOL_LABELS[p];
const listOf = (items: readonly string[]): string =>
  items.length <= 1
    ? (items[0] ?? "")
    : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;

function thresholdText(thresholds: EffectiveTlsThresholds): string {
  return thresholds.minimumProtocol === "TLSv1.3"
    ? "TLS 1.3 only (the plan's policy)"
    : "TLS 1.2 or newer only; warns when TLS 1.3 is not offered";
}

/**
 * Which protocols the evidence shows accepted, refused or unknown (the handshake counts as acceptance). A protocol
 * answered only with HelloRetryRequests is unknown unless the full handshake negotiated it: a server can retry
 * forever and never finish one.
 */
function protocolStates(
  evidence: TlsEvidence,
): Map<TlsProtocol, boolean | null> {
  const states = new Map<TlsProtocol, boolean | null>();
  for (const protocol of TLS_PROTOCOLS) {
    const scan = evidence.protocols.find((s) => s.protocol === protocol);
    states.set(
      protocol,
      scan?.tried !== true
        ? null
        : scan.helloRetryOnly === true && scan.accepted === true
          ? null
          : scan.accepted,
    );
  }
  const negotiated = TLS_PROTOCOLS.find(
    (p) => p === evidence.handshake?.protocol,
  );
  if (negotiated !== undefined) states.set(negotiated, true);
  return states;
}

/**
 * Why no handshake with the server ever completed, when nothing explains it; null when one did, or when the
 * failure is the server's way of asking for a client certificate (a TLS 1.2 CertificateRequest) or a chain too
 * large for any client (judged by cert.chain). Such a server never passes tls.protocol or tls.suites (a
 * HelloRetryRequest loop, a storm of alerts): raw ServerHellos alone do not make a working TLS endpoint.
 */
export function handshakeNeverCompleted(evidence: TlsEvidence): string | null {
  if (evidence.handshake !== null) return null;
  if (evidence.clientCertificateRequested === true) return null;
  // Only a handshake that was tried and failed says so (the error names why).
  const failure = evidence.errors.find((e) => e.stage === "handshake");
  if (failure === undefined || failure.kind === "too-large") return null;
  const retried = evidence.protocols.filter(
    (s) => s.helloRetryOnly === true && s.accepted === true,
  );
  const retries =
    retried.length === 0
      ? ""
      : ` The server answered every ${listOf(retried.map((s) => label(s.protocol)))} ClientHello with a HelloRetryRequest and never a ServerHello.`;
  return `No TLS handshake with the server completed (${failure.message.replace(/\.$/, "")}).${retries}`;
}

export function judgeTlsProtocols(
  checkId: string,
  evidence: TlsEvidence,
  thresholds: EffectiveTlsThresholds = effectiveTlsThresholds(),
): CheckOutcome {
  const judged = judgeAcceptedProtocols(checkId, evidence, thresholds);
  const never = handshakeNeverCompleted(evidence);
  if (never === null || judged.verdict === "fail") return judged;
  return outcome(
    checkId,
    "not-tested",
    `${never} So the protocols cannot be judged: a client could never finish a handshake. Check the server's TLS configuration, then probe again.`,
    {
      measured: judged.measured,
      threshold: judged.threshold,
      reason: "handshake not completed",
    },
  );
}

function judgeAcceptedProtocols(
  checkId: string,
  evidence: TlsEvidence,
  thresholds: EffectiveTlsThresholds,
): CheckOutcome {
  const states = protocolStates(evidence);
  const accepted = TLS_PROTOCOLS.filter((p) => states.get(p) === true);
  const unknown = TLS_PROTOCOLS.filter((p) => states.get(p) === null);
  const failing = accepted.filter((p) =>
    thresholds.failingProtocols.includes(p),
  );
  const measured =
    (accepted.length === 0 ? "none accepted" : accepted.map(label).join(", ")) +
    (unknown.length === 0
      ? ""
      : `; could not tell: ${unknown.map(label).join(", ")}`);
  const details = { measured, threshold: thresholdText(thresholds) };
  const allowed = TLS_PROTOCOLS.filter(
    (p) => !thresholds.failingProtocols.includes(p),
  );
  if (failing.length > 0) {
    return outcome(
      checkId,
      "fail",
      `The server accepts ${listOf(failing.map(label))}: switch ${failing.length === 1 ? "it" : "them"} off and allow only ${listOf(allowed.map(label))}${thresholds.minimumProtocol === "TLSv1.3" ? " (the plan's policy)" : ""}.`,
      details,
    );
  }
  const unknownFailing = unknown.filter((p) =>
    thresholds.failingProtocols.includes(p),
  );
  if (accepted.length === 0 || unknownFailing.length > 0) {
    const why = evidence.protocols
      .filter((s) => unknownFailing.includes(s.protocol))
      .map((s) => `${label(s.protocol)}: ${s.detail}`)
      .join("; ");
    return outcome(
      checkId,
      "not-tested",
      accepted.length === 0
        ? "No protocol version completed a ServerHello, so the protocols could not be judged. Probe again; if it persists, check the server's TLS configuration."
        : `Cellcert could not tell whether the server accepts ${listOf(unknownFailing.map(label))}${why === "" ? "" : ` (${why})`}. Probe again when the server is less busy.`,
      { ...details, reason: "probe incomplete" },
    );
  }
  if (states.get("TLSv1.3") !== true) {
    if (states.get("TLSv1.3") === null) {
      return outcome(
        checkId,
        "not-tested",
        "Cellcert could not tell whether the server offers TLS 1.3. Probe again.",
        { ...details, reason: "probe incomplete" },
      );
    }
    return outcome(
      checkId,
      "warn",
      `The server accepts ${listOf(accepted.map(label))} but not TLS 1.3: enable TLS 1.3 (${THRESHOLDS.protocols.text.warn} warns).`,
      details,
    );
  }
  return outcome(
    checkId,
    "pass",
    `The server accepts only ${listOf(accepted.map(label))}.`,
    details,
  );
}

// ---- tls.suites -----------------------------------------------------------------------------------------------

const FAILING = new Set<SuiteWeakness>(THRESHOLDS.suites.fail);

interface SuiteFinding {
  protocol: TlsProtocol;
  name: string;
  weaknesses: SuiteWeakness[];
}

function namesOf(findings: readonly SuiteFinding[], limit = 4): string {
  const names = [...new Set(findings.map((f) => f.name))];
  const shown = names.slice(0, limit).join(", ");
  return names.length > limit
    ? `${shown} and ${names.length - limit} more`
    : shown;
}

export function judgeTlsSuites(
  checkId: string,
  evidence: TlsEvidence,
): CheckOutcome {
  const judged = judgeAcceptedSuites(checkId, evidence);
  const never = handshakeNeverCompleted(evidence);
  if (never === null || judged.verdict === "fail") return judged;
  return outcome(
    checkId,
    "not-tested",
    `${never} So the suites cannot be judged.`,
    {
      measured: judged.measured,
      threshold: judged.threshold,
      reason: "handshake not completed",
    },
  );
}

function judgeAcceptedSuites(
  checkId: string,
  evidence: TlsEvidence,
): CheckOutcome {
  const acceptedScans = evidence.protocols.filter((s) => s.accepted === true);
  const findings: SuiteFinding[] = acceptedScans.flatMap((scan) =>
    scan.suites.map((suite) => ({
      protocol: scan.protocol,
      name: suite.name,
      weaknesses: weaknessesOf(suite.code, scan.protocol),
    })),
  );
  const counts = acceptedScans
    .map((s) => `${label(s.protocol)}: ${s.suites.length}`)
    .join(", ");
  const failing = findings.filter((f) =>
    f.weaknesses.some((w) => FAILING.has(w)),
  );
  const weakDh =
    evidence.dhBits !== null &&
    evidence.dhBits < THRESHOLDS.keys.minimumBits.dh;
  const measured =
    findings.length === 0
      ? "no suite recorded"
      : `${new Set(findings.map((f) => `${f.protocol}/${f.name}`)).size} suites accepted (${counts})${evidence.dhBits === null ? "" : `; DHE group ${evidence.dhBits} bits`}`;
  const details = {
    measured,
    threshold: `fails: ${THRESHOLDS.suites.text.fail}; warns: ${THRESHOLDS.suites.text.warn}`,
  };
  if (failing.length > 0 || weakDh) {
    const kinds = [
      ...new Set(
        failing.flatMap((f) => f.weaknesses.filter((w) => FAILING.has(w))),
      ),
    ];
    const parts: string[] = [];
    if (failing.length > 0) {
      parts.push(
        `The server accepts ${failing.length === 1 ? "a suite" : `${new Set(failing.map((f) => f.name)).size} suites`} with ${listOf(kinds.map((k) => SUITE_WEAKNESS_LABELS[k]))}: ${namesOf(failing)}. Remove ${failing.length === 1 ? "it" : "them"} from the server's cipher list.`,
      );
    }
    if (weakDh) {
      parts.push(
        `Its DHE suites use a ${evidence.dhBits}-bit group; use at least ${THRESHOLDS.keys.minimumBits.dh} bits, or drop DHE for ECDHE.`,
      );
    }
    return outcome(checkId, "fail", parts.join(" "), details);
  }
  const incomplete = acceptedScans.filter((s) => !s.suitesComplete);
  if (acceptedScans.length === 0 || incomplete.length > 0) {
    return outcome(
      checkId,
      "not-tested",
      acceptedScans.length === 0
        ? "No suite was accepted in a ServerHello, so the suites could not be judged."
        : `The suite enumeration for ${listOf(incomplete.map((s) => label(s.protocol)))} stopped early (${incomplete.map((s) => s.detail).join("; ")}). Probe again.`,
      { ...details, reason: "probe incomplete" },
    );
  }
  const noFs = findings.filter((f) =>
    f.weaknesses.includes("no-forward-secrecy"),
  );
  const noAead = findings.filter((f) => f.weaknesses.includes("no-aead"));
  if (noFs.length > 0 || noAead.length > 0) {
    const parts = [
      noFs.length > 0 ? `without forward secrecy (${namesOf(noFs, 3)})` : "",
      noAead.length > 0
        ? `without AEAD, in CBC mode (${namesOf(noAead, 3)})`
        : "",
    ].filter((p) => p !== "");
    return outcome(
      checkId,
      "warn",
      `The server accepts TLS 1.2 suites ${parts.join(" and ")}. Keep only ECDHE (or DHE) suites with AES-GCM or ChaCha20-Poly1305.`,
      details,
    );
  }
  return outcome(
    checkId,
    "pass",
    "Every accepted suite has forward secrecy and AEAD; none is NULL, anonymous, EXPORT, RC4, DES, 3DES or MD5.",
    details,
  );
}

// ---- cert.* ---------------------------------------------------------------------------------------------------

async function judgeTlsCertificate(
  ids: TlsProfileCheckIds,
  evidence: TlsEvidence,
  options: TlsJudgeOptions,
  thresholds: EffectiveTlsThresholds,
): Promise<CertificateOutcomes> {
  const referenceName =
    options.serverName ??
    (evidence.target.serverName !== ""
      ? evidence.target.serverName
      : evidence.target.host);
  if (evidence.chain.length === 0) {
    const tooLarge = evidence.errors.find((e) => e.kind === "too-large");
    const handshakeError = evidence.errors.find((e) => e.stage === "handshake");
    if (tooLarge !== undefined) {
      // cert.chain fails once, for want of a chain to read; the aspects that build on it are not judged.
      const chain = outcome(ids.chain, "fail", tooLarge.message, {
        measured: "chain over 100 KiB",
        threshold: THRESHOLDS.chain.text.fail,
      });
      const unread = certificatesNotTested(
        ids,
        "chain too large",
        "The chain is too large to read.",
      );
      const judged = new Map(
        applyPrerequisites(
          [chain, unread.name, unread.validity, unread.strength],
          { absent: [ids.chain] },
        ).map((o) => [o.checkId, o]),
      );
      return {
        chain,
        name: judged.get(ids.name) ?? unread.name,
        validity: judged.get(ids.validity) ?? unread.validity,
        strength: judged.get(ids.strength) ?? unread.strength,
        path: null,
      };
    }
    return certificatesNotTested(
      ids,
      "no certificate",
      handshakeError === undefined
        ? "The server showed no certificate."
        : `No certificate was seen: ${handshakeError.message}`,
    );
  }
  const handshake = evidence.handshake;
  const { evaluateCertificate } = await import("../x509/evaluate");
  return evaluateCertificate(evidence.chain, {
    checkIds: ids,
    anchorsPem: options.anchorsPem,
    crls: options.crls ?? [],
    ocspStaple:
      evidence.ocspStaple == null
        ? null
        : Buffer.from(evidence.ocspStaple, "base64"),
    publicRoots: options.publicRoots,
    referenceName,
    // The leaf's keyUsage is held against the key exchange the full handshake negotiated (DESIGN §3 chain).
    purpose: {
      kind: "server-tls",
      keyExchange:
        handshake === null
          ? null
          : keyExchangeOf(handshake.protocol, handshake.suite.name),
    },
    headroomDays: thresholds.headroomDays,
    requireRevocation: options.policy.requireRevocation ?? false,
    now: options.now,
  });
}
