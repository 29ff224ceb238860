// The OPC UA security policies (OPC 10000-7) by URI, with what the MES-PCS rules make of them: None (no
// security), deprecated (Basic128Rsa15 and Basic256: SHA-1 and RSA PKCS#1 v1.5, withdrawn by the OPC
// Foundation), current, or unknown to this build.

const PREFIX = "http://opcfoundation.org/UA/SecurityPolicy#";

export const SECURITY_POLICY_NONE = `${PREFIX}None`;

export type PolicyStanding = "none" | "deprecated" | "current" | "unknown";

const POLICIES: Readonly<Record<string, PolicyStanding>> = {
  None: "none",
  Basic128Rsa15: "deprecated",
  Basic256: "deprecated",
  Basic256Sha256: "current",
  Aes128_Sha256_RsaOaep: "current",
  Aes256_Sha256_RsaPss: "current",
  ECC_nistP256: "current",
  ECC_nistP384: "current",
  ECC_brainpoolP256r1: "current",
  ECC_brainpoolP384r1: "current",
  ECC_curve25519: "current",
  ECC_curve448: "current",
};

/** "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256" → "Basic256Sha256"; other URIs as they are. */
export function policyName(uri: string): string {
  if (uri === "") return "(none given)";
  return uri.startsWith(PREFIX) ? uri.slice(PREFIX.length) : uri;
}

export function policyStanding(uri: string): PolicyStanding {
  if (!uri.startsWith(PREFIX)) return "unknown";
  return POLICIES[uri.slice(PREFIX.length)] ?? "unknown";
}

/** The policy a user token is protected with: its own, or the endpoint's when the token names none
 * (OPC 10000-4 §7.42: "The security policy for the SecureChannel is used if this value is null or empty"). */
export function effectiveTokenPolicy(
  tokenPolicyUri: string,
  endpointPolicyUri: string,
): string {
  return tokenPolicyUri === "" ? endpointPolicyUri : tokenPolicyUri;
}
