// The shapes of a path validation (what validatePath takes and returns) and the internal node of the search,
// shared by path building (path.ts), the checks on a candidate path (path-checks.ts) and revocation
// (path-revocation.ts).
import { signedBy, type ParsedCertificate } from "./parse";
import type { Purpose } from "./purpose";

export type AnchorSource = "plan" | "public-roots";

export interface TrustInput {
  /** The certificates as the peer sent them, leaf first (DER); duplicates and extras welcome. */
  sent: readonly Uint8Array[];
  /** The plan's trust anchors: DER, or PEM texts (bundles allowed). */
  anchors: readonly (Uint8Array | string)[];
  /** Whether Node's bundled public roots may anchor the path too. */
  publicRoots: boolean;
  /** CRLs from the plan's trust material: DER, or PEM texts. */
  crls?: readonly (Uint8Array | string)[];
  /** The OCSP response the server stapled for its leaf (DER), if any. */
  ocspStaple?: Uint8Array | null;
  purpose: Purpose;
  now: Date;
  /**
   * `now` is a proven time — a signature time-stamp's — not the clock's or a claim: a certificate revoked after it
   * was still good then (the revocation is named, not failed). Never for a claimed time such as a laptop's clock,
   * which could be set back to before any revocation.
   */
  nowIsProven?: boolean;
  /** policy.requireRevocation: a path without revocation information for every certificate fails. */
  requireRevocation?: boolean;
}

export type PathStatus =
  | "valid"
  /** Nothing was sent. */
  | "empty"
  /** No anchors at all (none in the plan, public roots not allowed). */
  | "no-anchors"
  /** The leaf issued itself and is not an anchor. */
  | "self-signed"
  /** The path ends at a certificate that is not an anchor. */
  | "untrusted"
  /** The peer did not send the certificate that issued its leaf (or an intermediate the plan holds). */
  | "incomplete"
  /** A certificate names an issuer whose key did not make its signature. */
  | "bad-signature"
  | "not-ca"
  | "key-cert-sign"
  | "path-length"
  | "name-constraints"
  | "policy"
  | "extended-key-usage"
  | "key-usage"
  | "critical-extension"
  | "validity-overlap"
  | "rfc5280"
  | "revoked"
  | "bad-ocsp"
  | "no-revocation";

export interface PathLink {
  subject: string;
  serialNumber: string;
  fingerprintSha256: string;
  /** Where this certificate of the path came from: sent by the peer, or an anchor's source. */
  source: "sent" | AnchorSource;
  /** Whether the peer sent it (an anchor may be sent along too). */
  sent: boolean;
}

export interface ExtraCertificate {
  subject: string;
  fingerprintSha256: string;
  /** Its position in what was sent (0 = the leaf's slot). */
  sentIndex: number;
  why: "duplicate" | "not on the path";
}

export interface RevocationFinding {
  subject: string;
  serialNumber: string;
  status: "good" | "revoked" | "unknown" | "none";
  /** What was consulted, in words: "CRL of CN=… (next update 2027-01-03)", "OCSP staple: good". */
  sources: string[];
  revokedAt: string | null;
  reason: string;
}

export interface PathResult {
  status: PathStatus;
  /** Leaf first, ending at the anchor; for failures the path that was judged (or as far as it went). */
  path: PathLink[];
  /** The same certificates as read (not for evidence: `pathEvidence` gives the recordable shape). */
  certificates: ParsedCertificate[];
  anchor: PathLink | null;
  /** A sentence naming what fails; "" when valid. */
  problem: string;
  /** For incomplete and untrusted: the issuer name nobody supplied. */
  missingIssuer: string | null;
  /** For incomplete and untrusted: where the path stopped. */
  stoppedAt: string | null;
  /** For bad-signature. */
  badSignature: { certificate: string; claimedIssuer: string } | null;
  /** Certificates sent that are not on the path: duplicates and extras (harmless, but they can go). */
  extras: ExtraCertificate[];
  /** Subjects of the extras that are not duplicates. */
  unused: string[];
  /** Per certificate of the path below the anchor, for a path whose structure holds. */
  revocation: RevocationFinding[];
  /** Sentences that do not fail the path: a stale CRL, an expired staple, no revocation information… */
  warnings: string[];
  /** One sentence on revocation for messages: what was checked, or that nothing could be. */
  revocationSummary: string;
}

export interface Node {
  certificate: ParsedCertificate;
  /** null: not an anchor. */
  anchor: AnchorSource | null;
  sentIndex: number | null;
}

/** A candidate path's verdict, before the extras of what was sent are added. */
export type Judged = Omit<PathResult, "extras" | "unused">;

export const link = (node: Node, sentAlong: boolean): PathLink => ({
  subject: node.certificate.subject,
  serialNumber: node.certificate.serialNumber,
  fingerprintSha256: node.certificate.fingerprint,
  source: node.anchor ?? "sent",
  sent: node.sentIndex !== null || sentAlong,
});

export function emptyResult(): PathResult {
  return {
    status: "valid",
    path: [],
    certificates: [],
    anchor: null,
    problem: "",
    missingIssuer: null,
    stoppedAt: null,
    badSignature: null,
    extras: [],
    unused: [],
    revocation: [],
    warnings: [],
    revocationSummary: "",
  };
}

export function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.selfIssued && signedBy(certificate, certificate);
}
