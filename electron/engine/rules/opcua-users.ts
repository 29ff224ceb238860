// The MES-PCS OPC UA checks on who may open a session: MES-PCS.opcua.anonymous (no Anonymous user token) and
// MES-PCS.opcua.user-token (no password that travels in clear).
import type {
  OpcuaEndpoint,
  OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import { outcome, type CheckOutcome } from "../../../shared/verdicts/outcome";
import {
  effectiveTokenPolicy,
  policyName,
  policyStanding,
} from "../../../shared/evidence/opcua-policies";
import { endpointLabel, listLabels, plural, TOKEN_WORDS } from "./opcua-words";

export function judgeAnonymous(
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

export function judgeUserToken(
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
