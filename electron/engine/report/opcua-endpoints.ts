// The MES-PCS section's OPC UA endpoint table: for each opcua endpoint of the boundary, what its server listed in
// GetEndpoints in the latest run that probed it — endpoint URL, security mode, policy, user tokens and the
// application certificate's fingerprint. Insecure entries are set in bold and named in words, not colour alone.
import {
  OpcuaEvidence,
  type OpcuaEndpoint,
  type OpcuaUserTokenPolicy,
} from "../../../shared/evidence/opcua";
import type { Plan } from "../../../shared/model/plan";
import type { BoundaryId } from "../../../shared/plant-words";
import { opcuaSituation, tokenInClear } from "../rules/opcua";
import {
  policyName,
  policyStanding,
  effectiveTokenPolicy,
} from "../../../shared/evidence/opcua-policies";
import { MUTED, type Cell, type CertificateWriter } from "./pdf-writer";

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
    {
      text:
        leaf?.fingerprintSha256 ??
        (endpoint.serverCertificateError === "" ? "none sent" : "unreadable"),
      font: "mono",
    },
  ];
}

/** The latest opcua evidence of each of the boundary's opcua endpoints, as tables (nothing when there is none). */
export function opcuaEndpointTables(
  writer: CertificateWriter,
  plan: Plan,
  boundary: BoundaryId,
): void {
  const runs = [...plan.runs].sort((a, b) => b.sequence - a.sequence);
  for (const endpoint of plan.endpoints) {
    if (endpoint.boundary !== boundary || endpoint.kind !== "opcua") continue;
    let latest: { sequence: number; data: unknown } | undefined;
    for (const run of runs) {
      const found = run.evidence.find(
        (e) => e.endpointId === endpoint.id && e.probe === "opcua",
      );
      if (found !== undefined) {
        latest = { sequence: run.sequence, data: found.data };
        break;
      }
    }
    if (latest === undefined) continue;
    const parsed = OpcuaEvidence.safeParse(latest.data);
    if (!parsed.success) continue;
    const evidence = parsed.data;
    writer.paragraph(
      `OPC UA endpoints of ${endpoint.name} (${endpoint.id}) at ${evidence.target.url}, as its server listed them in GetEndpoints in run ${latest.sequence}:`,
      { font: "bold", size: 8, gap: 2 },
    );
    const situation = opcuaSituation(evidence);
    if (situation.kind !== "answered") {
      writer.paragraph(
        situation.error?.message ?? "The server did not list its endpoints.",
        { size: 8, color: MUTED },
      );
      continue;
    }
    if (situation.endpoints.length === 0) {
      writer.paragraph("The server listed no endpoint.", { size: 8 });
      continue;
    }
    writer.table(
      [
        { header: "Endpoint URL", width: 118 },
        { header: "Mode", width: 62 },
        { header: "Security policy", width: 88 },
        { header: "User tokens", width: 104 },
        { header: "Certificate SHA-256", width: 127, size: 5.2 },
      ],
      situation.endpoints.map(row),
      7,
    );
    writer.paragraph(
      "One row per endpoint the server lists. In bold: what the MES-PCS OPC UA checks hold against it — no encryption, a deprecated policy, anonymous access, a password in clear.",
      { size: 7, color: MUTED, gap: 6 },
    );
  }
}
