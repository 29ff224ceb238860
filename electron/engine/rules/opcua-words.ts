// How the MES-PCS OPC UA checks name what they saw: an endpoint as engineers do ("SignAndEncrypt/Basic256Sha256"),
// security modes and user token types in words, and tallies of them.
import type {
  OpcuaEndpoint,
  OpcuaSecurityMode,
  OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import { policyName } from "../../../shared/evidence/opcua-policies";

const MODE_WORDS: Record<OpcuaSecurityMode, string> = {
  none: "None",
  sign: "Sign",
  "sign-and-encrypt": "SignAndEncrypt",
  invalid: "Invalid",
  unknown: "unknown",
};

export function modeWord(endpoint: OpcuaEndpoint): string {
  return endpoint.securityMode === "unknown"
    ? `unknown (${endpoint.securityModeValue})`
    : MODE_WORDS[endpoint.securityMode];
}

/** "None/None", "SignAndEncrypt/Basic256Sha256": how engineers name an endpoint in UaExpert and the like. */
export function endpointLabel(endpoint: OpcuaEndpoint): string {
  return `${modeWord(endpoint)}/${policyName(endpoint.securityPolicyUri)}`;
}

/** "None ×1, SignAndEncrypt ×2" */
export function tally(items: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].map(([item, n]) => `${item} ×${n}`).join(", ");
}

export const plural = (n: number, one: string, many: string): string =>
  n === 1 ? one : many;

export function listLabels(endpoints: readonly OpcuaEndpoint[]): string {
  return [...new Set(endpoints.map(endpointLabel))].join(", ");
}

export const TOKEN_WORDS: Record<OpcuaUserTokenPolicy["tokenType"], string> = {
  anonymous: "anonymous",
  "user-name": "user name",
  certificate: "user certificate",
  "issued-token": "issued token",
  unknown: "unknown token",
};
