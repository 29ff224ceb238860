// What the four certificate checks — chain, name, validity, strength (DESIGN §3, §4) — take and give, and how they
// fold into one check: plain values, no ASN.1 library. The checks themselves are evaluate.ts, which needs pkijs: a
// caller that only names the checks or folds their outcomes loads this alone.
import type { ValidatedPath } from "../../../shared/evidence/certificate";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import type { Purpose } from "./purpose";

export interface CertificateCheckIds {
  chain: string;
  name: string;
  validity: string;
  strength: string;
}

/** A check's id under a boundary's prefix: "PER-MES", "cert.chain" → "PER-MES.cert.chain"; no prefix, the suffix. */
export function prefixedCheckId(prefix: string, suffix: string): string {
  return prefix === "" ? suffix : `${prefix}.${suffix}`;
}

/** "PER-MES" → "PER-MES.cert.chain", …; "" → "cert.chain", … (standalone CLI probes name no boundary). */
export function certificateCheckIds(prefix: string): CertificateCheckIds {
  const id = (suffix: string): string => prefixedCheckId(prefix, suffix);
  return {
    chain: id("cert.chain"),
    name: id("cert.name"),
    validity: id("cert.validity"),
    strength: id("cert.strength"),
  };
}

export interface CertificateJudgeOptions {
  checkIds: CertificateCheckIds;
  /** The plan's trust anchors for this endpoint, PEM (one certificate each, or bundles). */
  anchorsPem: readonly string[];
  /** Whether Node's bundled public roots may anchor the chain too. */
  publicRoots: boolean;
  /** The name the client asked for: the SNI name, else the host; a DNS name or an IP address. */
  referenceName: string;
  /** Warn when a certificate expires within this many days (the policy's, at least DESIGN §3's 30). */
  headroomDays: number;
  now: Date;
  /** The plan's CRLs (PEM or DER) — revocation from the trust material. */
  crls?: readonly (string | Uint8Array)[];
  /** The OCSP response the server stapled (DER), if any. */
  ocspStaple?: Uint8Array | null;
  /** What the certificate serves; a TLS server whose key exchange is unknown by default. */
  purpose?: Purpose;
  /** policy.requireRevocation. */
  requireRevocation?: boolean;
}

export interface CertificateOutcomes {
  chain: CheckOutcome;
  name: CheckOutcome;
  validity: CheckOutcome;
  strength: CheckOutcome;
  /** The path as validated, as the evidence records it beside what was sent (null when there was nothing to validate). */
  path: ValidatedPath | null;
}

const ASPECTS = ["chain", "name", "validity", "strength"] as const;

/** All four not-tested with the same reason (unreachable, handshake failed, prerequisite failed…). */
export function certificatesNotTested(
  checkIds: CertificateCheckIds,
  reason: string,
  message: string,
): CertificateOutcomes {
  return {
    chain: notTested(checkIds.chain, reason, message),
    name: notTested(checkIds.name, reason, message),
    validity: notTested(checkIds.validity, reason, message),
    strength: notTested(checkIds.strength, reason, message),
    path: null,
  };
}

/** How the four aspects fold into one check: the worst verdict wins (fail, then not-tested, then warn). */
export function combineCertificateOutcomes(
  checkId: string,
  outcomes: CertificateOutcomes,
): CheckOutcome {
  const rank = { fail: 3, "not-tested": 2, warn: 1, pass: 0 } as const;
  const all = ASPECTS.map((aspect) => ({ aspect, ...outcomes[aspect] }));
  const worst = all.reduce((a, b) =>
    rank[b.verdict] > rank[a.verdict] ? b : a,
  );
  const deciding = all.filter((o) => o.verdict === worst.verdict);
  const label = (o: { aspect: string; measured: string }): string =>
    `${o.aspect}: ${o.measured === "" ? "—" : o.measured}`;
  const message =
    worst.verdict === "pass"
      ? "The certificate passes the chain, name, validity and strength checks."
      : deciding.map((o) => o.message).join(" ");
  return outcome(checkId, worst.verdict, message, {
    measured: all.map(label).join("; "),
    threshold: "chain, name, validity and key/signature strength as DESIGN §3",
    headroom: outcomes.validity.headroom,
    reason: worst.verdict === "not-tested" ? (deciding[0]?.reason ?? "") : "",
  });
}
