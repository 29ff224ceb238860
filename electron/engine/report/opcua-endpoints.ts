// The OPC UA evidence as a table: what the server listed in GetEndpoints — endpoint URL, security mode, policy,
// user tokens and the application certificate's fingerprint. Insecure entries are set in bold and named in words,
// not colour alone.
import type {
  OpcuaEvidence,
  OpcuaEndpoint,
  OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import { opcuaSituation, tokenInClear } from "../rules/opcua";
import {
  policyName,
  policyStanding,
  effectiveTokenPolicy,
} from "../opcua/security-policies";
import type { Endpoint } from "../../../shared/model/plan";
import type { EvidenceBlock } from "./evidence-summary";
import { fingerprintCell, fingerprintColumn } from "./format";
import type { Cell } from "./pdf-writer";

const MODE_WORDS: Record<OpcuaEndpoint["securityMode"], string> = {
  none: "None",
  sign: "Sign",
  "sign-and-encrypt": "SignAndEncrypt",
  invalid: "Invalid",
  unknown: "unknown",
};

function tokenText(
  endpoint: OpcuaEndpoint,
  token: OpcuaUserTokenPolicy,
): { text: string; bad: boolean } {
  const policy =
    token.securityPolicyUri === ""
      ? ""
      : ` (${policyName(token.securityPolicyUri)})`;
  switch (token.tokenType) {
    case "anonymous":
      return { text: "anonymous", bad: true };
    case "user-name":
    case "issued-token": {
      const word =
        token.tokenType === "user-name" ? "user name" : "issued token";
      const clear = tokenInClear(endpoint, token);
      const deprecated =
        policyStanding(
          effectiveTokenPolicy(
            token.securityPolicyUri,
            endpoint.securityPolicyUri,
          ),
        ) === "deprecated";
      return {
        text: clear ? `${word} IN CLEAR` : `${word}${policy}`,
        bad: clear || deprecated,
      };
    }
    case "certificate":
      return {
        text: `certificate${policy}`,
        bad: policyStanding(token.securityPolicyUri) === "deprecated",
      };
    case "unknown":
      return { text: `unknown (${token.tokenTypeValue})`, bad: false };
  }
}

function row(endpoint: OpcuaEndpoint): Cell[] {
  const modeBad = endpoint.securityMode !== "sign-and-encrypt";
  const standing = policyStanding(endpoint.securityPolicyUri);
  const tokens = endpoint.userIdentityTokens.map((t) => tokenText(endpoint, t));
  const leaf = endpoint.serverCertificateChain[0];
  return [
    { text: endpoint.endpointUrl, font: "condensed" },
    {
      text:
        endpoint.securityMode === "unknown"
          ? `unknown (${endpoint.securityModeValue})`
          : MODE_WORDS[endpoint.securityMode],
      font: modeBad ? "bold" : "regular",
    },
    {
      text: `${policyName(endpoint.securityPolicyUri)}${standing === "deprecated" ? " (deprecated)" : ""}`,
      font:
        standing === "deprecated" || standing === "none" ? "bold" : "regular",
    },
    {
      text: tokens.length === 0 ? "—" : tokens.map((t) => t.text).join("\n"),
      font: tokens.some((t) => t.bad) ? "bold" : "regular",
    },
    leaf === undefined
      ? endpoint.serverCertificateError === ""
        ? "none sent"
        : "unreadable"
      : fingerprintCell(leaf.fingerprintSha256),
  ];
}

/** What an OPC UA server listed in GetEndpoints, one row per endpoint; why not, when it listed none. */
export function opcuaTables(
  evidence: OpcuaEvidence,
  endpoint?: Pick<Endpoint, "id" | "name">,
): EvidenceBlock[] {
  const situation = opcuaSituation(evidence);
  const steps = `Hello: ${evidence.hello?.outcome ?? "not sent"}; secure channel: ${evidence.secureChannel?.outcome ?? "not opened"}; GetEndpoints: ${evidence.getEndpoints?.outcome ?? "not sent"}.`;
  if (situation.kind !== "answered")
    return [
      {
        kind: "text",
        text: `${steps} ${situation.error?.message ?? "The server did not list its endpoints."}`,
      },
    ];
  if (situation.endpoints.length === 0)
    return [{ kind: "text", text: `${steps} The server listed no endpoint.` }];
  return [
    { kind: "text", text: steps },
    {
      kind: "table",
      caption: `OPC UA endpoints of ${endpoint === undefined ? "the server" : `${endpoint.name} (${endpoint.id})`} at ${evidence.target.url}, as its server listed them (in bold: what the MES-PCS checks hold against it)`,
      columns: [
        { header: "Endpoint URL", width: 108 },
        { header: "Mode", width: 62 },
        { header: "Security policy", width: 88 },
        { header: "User tokens", width: 91 },
        fingerprintColumn("Application certificate SHA-256"),
      ],
      rows: situation.endpoints.map(row),
    },
  ];
}
