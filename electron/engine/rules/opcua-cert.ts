// MES-PCS.opcua.cert: the application certificate of every endpoint held against the certificate rules (x509/),
// the worst of them reported; without trust anchors the engineer is told which fingerprint to compare.
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import type { OpcuaEndpoint } from "../../../shared/evidence/opcua";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import {
  certificateCheckIds,
  combineCertificateOutcomes,
  evaluateCertificate,
} from "../x509";
import { endpointLabel } from "./opcua-words";

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

const VERDICT_RANK = { fail: 3, "not-tested": 2, warn: 1, pass: 0 } as const;

export async function judgeCertificate(
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
