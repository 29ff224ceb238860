// The four certificate checks — chain, name, validity, strength (DESIGN §3, §4) — as pure functions of the chain
// a server sent. The TLS server profile uses them as `…cert.chain` and friends; the SQL Server probe
// (APP-DB.tds.cert) and the OPC UA probe (MES-PCS.opcua.cert) fold them into one outcome with
// `combineCertificateOutcomes`.
// The checks live in evaluate-chain.ts (chain, name), evaluate-validity.ts and evaluate-strength.ts.
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { UserError } from "../errors";
import {
  CertificateParseError,
  certificateInfoFromDer,
  pemToDer,
  splitPemCertificates,
} from "./certificate-info";
import { validatePath, type PathResult } from "./path";
import { SERVER_TLS, type Purpose } from "./purpose";
import { CrlReadError } from "./revocation";
import { judgeChain, judgeName } from "./evaluate-chain";
import { roleOf, type JudgedCertificate } from "./evaluate-shared";
import { judgeStrength } from "./evaluate-strength";
import { judgeValidity } from "./evaluate-validity";

export interface CertificateCheckIds {
  chain: string;
  name: string;
  validity: string;
  strength: string;
}

/** "PER-MES" → "PER-MES.cert.chain", …; "" → "cert.chain", … (standalone CLI probes name no boundary). */
export function certificateCheckIds(prefix: string): CertificateCheckIds {
  const id = (suffix: string): string =>
    prefix === "" ? suffix : `${prefix}.${suffix}`;
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
  /** The path as validated (null when there was nothing to validate): for the evidence, beside what was sent. */
  path: PathResult | null;
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

/**
 * Judges the chain a server sent (leaf first, exactly as recorded in evidence). Throws a UserError when an
 * anchor or a CRL cannot be read; never throws for anything the server sent.
 */
export async function evaluateCertificate(
  sent: readonly CertificateInfo[],
  options: CertificateJudgeOptions,
): Promise<CertificateOutcomes> {
  const { checkIds } = options;
  const leafInfo = sent[0];
  if (leafInfo === undefined) {
    return certificatesNotTested(
      checkIds,
      "no certificate",
      "The server sent no certificate, so there is nothing to judge.",
    );
  }
  const sentDer: Uint8Array[] = sent.flatMap((info) => {
    try {
      return [pemToDer(info.pem)];
    } catch {
      // An unreadable certificate in the chain counts as not sent; the chain check then says what is missing.
      return [];
    }
  });
  let chain: PathResult;
  try {
    chain = await validatePath({
      sent: sentDer,
      anchors: options.anchorsPem.map((pem) => {
        if (splitPemCertificates(pem).length === 0)
          throw new CertificateParseError(
            "it holds no -----BEGIN CERTIFICATE----- block.",
          );
        return pem;
      }),
      publicRoots: options.publicRoots,
      crls: options.crls ?? [],
      ocspStaple: options.ocspStaple ?? null,
      purpose: options.purpose ?? SERVER_TLS,
      now: options.now,
      requireRevocation: options.requireRevocation ?? false,
    });
  } catch (error) {
    if (error instanceof CertificateParseError) {
      throw new UserError(
        "invalid-input",
        `A trust anchor could not be read: ${error.message} Give the CA certificate as PEM.`,
        { cause: error },
      );
    }
    if (error instanceof CrlReadError) {
      throw new UserError(
        "invalid-input",
        `A CRL of the trust material could not be read: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  // The certificates the other aspects look at: the validated path, or what was sent when there is none.
  const byFingerprint = new Map(sent.map((c) => [c.fingerprintSha256, c]));
  const judged: JudgedCertificate[] =
    chain.path.length > 0
      ? chain.path.flatMap((l, index) => {
          const info = byFingerprint.get(l.fingerprintSha256);
          if (info !== undefined && l.source === "sent")
            return [{ info, role: roleOf(index, info) }];
          const anchor = chain.certificates[index];
          return anchor === undefined
            ? []
            : [
                {
                  info: info ?? certificateInfoFromDer(anchor.der),
                  role: "anchor" as const,
                },
              ];
        })
      : sent.map((info, index) => ({ info, role: roleOf(index, info) }));

  return {
    chain: judgeChain(checkIds.chain, chain, leafInfo, options.publicRoots),
    name: judgeName(checkIds.name, leafInfo, options.referenceName),
    validity: judgeValidity(checkIds.validity, judged, options),
    strength: judgeStrength(checkIds.strength, judged),
    path: chain,
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
