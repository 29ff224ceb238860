// The MES-PCS OPC UA checks on how the server protects its channels: MES-PCS.opcua.mode (every endpoint
// SignAndEncrypt) and MES-PCS.opcua.policy (no deprecated security policy on an endpoint or a user token).
import type { OpcuaEndpoint } from "../../../shared/evidence/opcua";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import {
  policyName,
  policyStanding,
} from "../../../shared/evidence/opcua-policies";
import {
  endpointLabel,
  listLabels,
  modeWord,
  plural,
  tally,
} from "./opcua-words";

// ---- MES-PCS.opcua.mode ---------------------------------------------------------------------------------------

const MODE_THRESHOLD =
  "every endpoint SignAndEncrypt; Sign without encryption warns; None fails";

export function judgeMode(
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

export function judgePolicy(
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
