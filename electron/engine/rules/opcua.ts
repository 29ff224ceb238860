// The MES-PCS OPC UA checks (DESIGN §4) as pure functions of the OPC UA probe's evidence: security modes, security
// policies, anonymous access, user-name tokens and the application certificate, judged over every endpoint the
// server lists in GetEndpoints. An endpoint that does not answer as OPC UA fails MES-PCS.opcua.mode once and
// leaves the others not-tested (DESIGN §2: one fault, one failing check).
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import type {
  OpcuaEndpoint,
  OpcuaError,
  OpcuaEvidence,
  OpcuaSecurityMode,
  OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import { formatHostPort } from "../../../shared/model/net";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { applyPrerequisites } from "../../../shared/verdicts/prerequisites";
import {
  certificateCheckIds,
  combineCertificateOutcomes,
  evaluateCertificate,
} from "../x509";
import {
  effectiveTokenPolicy,
  policyName,
  policyStanding,
} from "../../../shared/evidence/opcua-policies";

export const OPCUA_CHECKS = [
  "MES-PCS.opcua.mode",
  "MES-PCS.opcua.policy",
  "MES-PCS.opcua.anonymous",
  "MES-PCS.opcua.user-token",
  "MES-PCS.opcua.cert",
] as const;
export type OpcuaCheckId = (typeof OPCUA_CHECKS)[number];

export interface OpcuaJudgeContext {
  /** The plan's trust anchors for this endpoint, PEM; none means `.cert` waits for the engineer's comparison. */
  anchorsPem: readonly string[];
  publicRoots: boolean;
  /** policy.headroomDays (at least 30). */
  headroomDays: number;
  now: Date;
  /** The plan's CRLs (PEM or DER). */
  crls?: readonly (string | Uint8Array)[];
  /** policy.requireRevocation. */
  requireRevocation?: boolean;
}

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

const MODE_WORDS: Record<OpcuaSecurityMode, string> = {
  none: "None",
  sign: "Sign",
  "sign-and-encrypt": "SignAndEncrypt",
  invalid: "Invalid",
  unknown: "unknown",
};

function modeWord(endpoint: OpcuaEndpoint): string {
  return endpoint.securityMode === "unknown"
    ? `unknown (${endpoint.securityModeValue})`
    : MODE_WORDS[endpoint.securityMode];
}

/** "None/None", "SignAndEncrypt/Basic256Sha256": how engineers name an endpoint in UaExpert and the like. */
export function endpointLabel(endpoint: OpcuaEndpoint): string {
  return `${modeWord(endpoint)}/${policyName(endpoint.securityPolicyUri)}`;
}

/** "None ×1, SignAndEncrypt ×2" */
function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item} ×${n}`).join(", ");
}

const plural = (n: number, one: string, many: string): string =>
  n === 1 ? one : many;

function listLabels(endpoints: readonly OpcuaEndpoint[]): string {
  return [...new Set(endpoints.map(endpointLabel))].join(", ");
}

// ---- MES-PCS.opcua.mode ---------------------------------------------------------------------------------------

const MODE_THRESHOLD =
  "every endpoint SignAndEncrypt; Sign without encryption warns; None fails";

function judgeMode(
  id: string,
  endpoints: readonly OpcuaEndpoint[],
  where: string,
): CheckOutcome {
  const measured =
    endpoints.length === 0
      ? "no endpoint listed"
      : tally(endpoints.map(modeWord));
  const details = { measured, threshold: MODE_THRESHOLD };
  if (endpoints.length === 0) {
    return outcome(
      id,
      "fail",
      `The OPC UA server at ${where} answers GetEndpoints but lists no endpoint, so no client can connect to it securely. Check the server's endpoint configuration, and that the URL's path is the server's.`,
      details,
    );
  }
  const none = endpoints.filter((e) => e.securityMode === "none");
  const odd = endpoints.filter(
    (e) => e.securityMode === "invalid" || e.securityMode === "unknown",
  );
  const sign = endpoints.filter((e) => e.securityMode === "sign");
  if (none.length > 0 || odd.length > 0) {
    const parts: string[] = [];
    if (none.length > 0) {
      parts.push(
        `The OPC UA server at ${where} offers security mode None (${listLabels(none)}): on ${plural(none.length, "that endpoint", "those endpoints")} anyone on the network can read and change the traffic. Remove the None endpoint (security policy None) from the server's configuration and keep SignAndEncrypt.`,
      );
    }
    if (odd.length > 0) {
      parts.push(
        `It lists ${plural(odd.length, "an endpoint", "endpoints")} with a security mode OPC UA does not define (${listLabels(odd)}); clients cannot rely on ${plural(odd.length, "it", "them")}. Check the server's endpoint configuration.`,
      );
    }
    return outcome(id, "fail", parts.join(" "), details);
  }
  if (sign.length > 0) {
    return outcome(
      id,
      "warn",
      `The OPC UA server at ${where} offers Sign without encryption (${listLabels(sign)}): the traffic there cannot be changed, but anyone on the network can read it. Offer SignAndEncrypt only, unless the vendor's guideline allows Sign for this link.`,
      details,
    );
  }
  return outcome(
    id,
    "pass",
    `Every endpoint of the OPC UA server at ${where} signs and encrypts (${listLabels(endpoints)}).`,
    details,
  );
}

// ---- MES-PCS.opcua.policy -------------------------------------------------------------------------------------

const POLICY_THRESHOLD =
  "no endpoint or user token offers Basic128Rsa15 or Basic256 (deprecated: SHA-1, RSA PKCS#1 v1.5); policies Cellcert does not know warn";

interface PolicyUse {
  uri: string;
  /** "the SignAndEncrypt/Basic128Rsa15 endpoint", "user tokens on the None/None endpoint" */
  where: string;
}

function policyUses(endpoints: readonly OpcuaEndpoint[]): PolicyUse[] {
  const uses: PolicyUse[] = [];
  for (const endpoint of endpoints) {
    if (endpoint.securityMode !== "none") {
      uses.push({
        uri: endpoint.securityPolicyUri,
        where: `the ${endpointLabel(endpoint)} endpoint`,
      });
    }
    for (const token of endpoint.userIdentityTokens) {
      if (token.securityPolicyUri === "") continue;
      uses.push({
        uri: token.securityPolicyUri,
        where: `user tokens on the ${endpointLabel(endpoint)} endpoint`,
      });
    }
  }
  return uses;
}

function groupByPolicy(uses: readonly PolicyUse[]): Map<string, string[]> {
  const byPolicy = new Map<string, string[]>();
  for (const use of uses) {
    const name = policyName(use.uri);
    const places = byPolicy.get(name) ?? [];
    if (!places.includes(use.where)) places.push(use.where);
    byPolicy.set(name, places);
  }
  return byPolicy;
}

const describeUses = (byPolicy: Map<string, string[]>): string =>
  [...byPolicy]
    .map(([name, places]) => `${name} (${places.join("; ")})`)
    .join(", ");

function judgePolicy(
  id: string,
  endpoints: readonly OpcuaEndpoint[],
  where: string,
): CheckOutcome {
  const uses = policyUses(endpoints);
  const measured =
    uses.length === 0
      ? "no endpoint or user token with a security policy"
      : [...new Set(uses.map((u) => policyName(u.uri)))].join(", ");
  const details = { measured, threshold: POLICY_THRESHOLD };
  if (uses.length === 0) {
    return notTested(
      id,
      "no secured endpoint",
      `The OPC UA server at ${where} offers no endpoint or user token with a security policy, so there is no policy to judge (see MES-PCS.opcua.mode).`,
    );
  }
  const deprecated = groupByPolicy(
    uses.filter((u) => policyStanding(u.uri) === "deprecated"),
  );
  const noneOnSigning = endpoints.filter(
    (e) =>
      e.securityMode !== "none" &&
      policyStanding(e.securityPolicyUri) === "none",
  );
  const unknown = groupByPolicy(
    uses.filter((u) => policyStanding(u.uri) === "unknown"),
  );
  if (deprecated.size > 0 || noneOnSigning.length > 0) {
    const parts: string[] = [];
    if (deprecated.size > 0) {
      parts.push(
        `The OPC UA server at ${where} offers the deprecated security ${plural(deprecated.size, "policy", "policies")} ${describeUses(deprecated)}: SHA-1 and RSA PKCS#1 v1.5, withdrawn by the OPC Foundation. Remove Basic128Rsa15 and Basic256 from the server's security policies and keep Basic256Sha256, Aes128_Sha256_RsaOaep or Aes256_Sha256_RsaPss.`,
      );
    }
    if (noneOnSigning.length > 0) {
      parts.push(
        `${plural(noneOnSigning.length, "An endpoint claims", "Endpoints claim")} to sign with the security policy None (${listLabels(noneOnSigning)}), so nothing is signed there. Give ${plural(noneOnSigning.length, "it", "them")} a current policy.`,
      );
    }
    return outcome(id, "fail", parts.join(" "), details);
  }
  if (unknown.size > 0) {
    return outcome(
      id,
      "warn",
      `The OPC UA server at ${where} offers ${plural(unknown.size, "a security policy", "security policies")} Cellcert does not know: ${describeUses(unknown)}. Check ${plural(unknown.size, "it", "them")} against the vendor's guideline.`,
      details,
    );
  }
  return outcome(
    id,
    "pass",
    `The OPC UA server at ${where} offers only current security policies: ${measured}.`,
    details,
  );
}

// ---- MES-PCS.opcua.anonymous ----------------------------------------------------------------------------------

const TOKEN_WORDS: Record<OpcuaUserTokenPolicy["tokenType"], string> = {
  anonymous: "anonymous",
  "user-name": "user name",
  certificate: "user certificate",
  "issued-token": "issued token",
  unknown: "unknown token",
};

function judgeAnonymous(
  id: string,
  endpoints: readonly OpcuaEndpoint[],
  where: string,
): CheckOutcome {
  const offered = [
    ...new Set(
      endpoints.flatMap((e) =>
        e.userIdentityTokens.map((t) => TOKEN_WORDS[t.tokenType]),
      ),
    ),
  ];
  const measured =
    offered.length === 0 ? "no user token policy" : offered.join(", ");
  const details = {
    measured,
    threshold: "no endpoint offers the Anonymous user token",
  };
  const anonymous = endpoints.filter((e) =>
    e.userIdentityTokens.some((t) => t.tokenType === "anonymous"),
  );
  if (anonymous.length > 0) {
    return outcome(
      id,
      "fail",
      `The OPC UA server at ${where} accepts anonymous users (on ${listLabels(anonymous)}): any client that reaches it can open a session without a user identity. Disable anonymous access in the server's configuration and require user names or user certificates.`,
      details,
    );
  }
  return outcome(
    id,
    "pass",
    offered.length === 0
      ? `No endpoint of the OPC UA server at ${where} accepts anonymous users.`
      : `No endpoint of the OPC UA server at ${where} accepts anonymous users; it asks for: ${measured}.`,
    details,
  );
}

// ---- MES-PCS.opcua.user-token ---------------------------------------------------------------------------------

/**
 * Whether a secret-bearing token (user name and password, or an issued token) reaches the server readable on the
 * wire. OPC 10000-4 §7.41.4 (§7.36.4 in 1.04): the token is encrypted with its UserTokenPolicy's security policy,
 * or the endpoint's when the token names none; with None the password travels as plain UTF-8. It is then protected
 * only by a SignAndEncrypt channel. So a token is in clear when its effective policy is None and the endpoint does
 * not encrypt (mode None or Sign). A Sign endpoint whose token names no policy of its own uses the endpoint's, which
 * encrypts it.
 */
export function tokenInClear(
  endpoint: OpcuaEndpoint,
  token: OpcuaUserTokenPolicy,
): boolean {
  const effective = effectiveTokenPolicy(
    token.securityPolicyUri,
    endpoint.securityPolicyUri,
  );
  const tokenEncrypted =
    effective !== "" && policyStanding(effective) !== "none";
  return !tokenEncrypted && endpoint.securityMode !== "sign-and-encrypt";
}

const carriesSecret = (token: OpcuaUserTokenPolicy): boolean =>
  token.tokenType === "user-name" || token.tokenType === "issued-token";

function judgeUserToken(
  id: string,
  endpoints: readonly OpcuaEndpoint[],
  where: string,
): CheckOutcome {
  const threshold =
    "no user-name (or issued) token whose policy is None on an endpoint that does not encrypt (OPC 10000-4 §7.41.4)";
  const offered = endpoints.flatMap((endpoint) =>
    endpoint.userIdentityTokens
      .filter(carriesSecret)
      .map((token) => ({ endpoint, token })),
  );
  const protection = ({
    endpoint,
    token,
  }: (typeof offered)[number]): string => {
    const effective = effectiveTokenPolicy(
      token.securityPolicyUri,
      endpoint.securityPolicyUri,
    );
    return tokenInClear(endpoint, token)
      ? `in clear on ${endpointLabel(endpoint)}`
      : policyStanding(effective) !== "none" && effective !== ""
        ? `${policyName(effective)}${token.securityPolicyUri === "" ? " (the endpoint's)" : ""}`
        : "the SignAndEncrypt channel";
  };
  if (offered.length === 0) {
    return outcome(
      id,
      "pass",
      `No endpoint of the OPC UA server at ${where} takes user names or issued tokens, so no password can travel in clear.`,
      { measured: "no user-name or issued token offered", threshold },
    );
  }
  const measured = [...new Set(offered.map(protection))].join(", ");
  const inClear = offered.filter((o) => tokenInClear(o.endpoint, o.token));
  if (inClear.length > 0) {
    const places = [
      ...new Set(
        inClear.map(
          ({ endpoint, token }) =>
            `${TOKEN_WORDS[token.tokenType]} "${token.policyId}" on ${endpointLabel(endpoint)}`,
        ),
      ),
    ].join(", ");
    return outcome(
      id,
      "fail",
      `The OPC UA server at ${where} takes ${plural(inClear.length, "a password", "passwords")} in clear (${places}): anyone on the network can read ${plural(inClear.length, "it", "them")}. Remove that user token, or give it a security policy such as Basic256Sha256, in the server's configuration.`,
      { measured, threshold },
    );
  }
  return outcome(
    id,
    "pass",
    `Every user-name token of the OPC UA server at ${where} is encrypted: ${measured}.`,
    { measured, threshold },
  );
}

// ---- MES-PCS.opcua.cert ---------------------------------------------------------------------------------------

const VERDICT_RANK = { fail: 3, "not-tested": 2, warn: 1, pass: 0 } as const;

async function judgeCertificate(
  id: string,
  endpoints: readonly OpcuaEndpoint[],
  host: string,
  where: string,
  context: OpcuaJudgeContext,
): Promise<CheckOutcome> {
  const unreadable = endpoints.find((e) => e.serverCertificateError !== "");
  if (unreadable !== undefined) {
    return outcome(
      id,
      "fail",
      `The OPC UA server at ${where} sends an application certificate that cannot be read (on ${endpointLabel(unreadable)}): ${unreadable.serverCertificateError}. Install a valid application certificate issued by the plant's CA.`,
      {
        measured: "unreadable ServerCertificate",
        threshold:
          "an X.509 application certificate that passes the certificate rules",
      },
    );
  }
  const chains = new Map<string, CertificateInfo[]>();
  for (const endpoint of endpoints) {
    const leaf = endpoint.serverCertificateChain[0];
    if (leaf !== undefined && !chains.has(leaf.fingerprintSha256))
      chains.set(leaf.fingerprintSha256, endpoint.serverCertificateChain);
  }
  if (chains.size === 0) {
    return notTested(
      id,
      "no certificate",
      `No endpoint of the OPC UA server at ${where} sends an application certificate, so there is none to judge.`,
    );
  }
  const noAnchors = context.anchorsPem.length === 0 && !context.publicRoots;
  const judged: CheckOutcome[] = [];
  for (const chain of chains.values()) {
    const combined = combineCertificateOutcomes(
      id,
      await evaluateCertificate(chain, {
        checkIds: certificateCheckIds("MES-PCS"),
        anchorsPem: context.anchorsPem,
        crls: context.crls ?? [],
        requireRevocation: context.requireRevocation ?? false,
        publicRoots: context.publicRoots,
        referenceName: host,
        headroomDays: context.headroomDays,
        now: context.now,
      }),
    );
    const leaf = chain[0];
    if (!noAnchors || combined.verdict === "fail" || leaf === undefined) {
      judged.push(combined);
      continue;
    }
    // Without anchors only the engineer can tell whether this is the plant's certificate: say what to compare.
    judged.push(
      outcome(
        id,
        "not-tested",
        `The plan has no trust anchors for this endpoint, so the application certificate ${leaf.subject} could not be validated. Compare its SHA-256 fingerprint ${leaf.fingerprintSha256} with the one the OPC UA server's own configuration shows, then attest MES-PCS.opcua.cert — or add the plant's CA certificate (or, to pin a self-signed certificate, this certificate) to the plan's trust anchors and probe again.`,
        {
          measured: `SHA-256 ${leaf.fingerprintSha256}; ${combined.measured}`,
          threshold: combined.threshold,
          headroom: combined.headroom,
          reason: "no trust anchors",
        },
      ),
    );
  }
  const worst = judged.reduce((a, b) =>
    VERDICT_RANK[b.verdict] > VERDICT_RANK[a.verdict] ? b : a,
  );
  return chains.size > 1
    ? {
        ...worst,
        message: `The server's endpoints use ${chains.size} different application certificates; the worst: ${worst.message}`,
      }
    : worst;
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
      const stopped = situation.error?.kind === "aborted";
      return OPCUA_CHECKS.map((id) =>
        notTested(
          id,
          stopped ? "stopped" : "unreachable",
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
