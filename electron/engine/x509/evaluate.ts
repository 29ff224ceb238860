// The four certificate checks — chain, name, validity, strength (DESIGN §3, §4) — as pure functions of the chain
// a server sent. The TLS server profile uses them as `…cert.chain` and friends; the SQL Server probe
// (APP-DB.tds.cert) and the OPC UA probe (MES-PCS.opcua.cert) fold them into one outcome with
// `combineCertificateOutcomes`.
import {
  commonName,
  shortName,
} from "../../../shared/evidence/distinguished-name";
import {
  THRESHOLDS,
  type SignatureHash,
} from "../../../shared/catalog/thresholds";
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
import { matchName } from "./name";
import { hashLabel, signatureHashOf } from "./signature";

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
const DAY_MS = 86_400_000;

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
    chain: judgeChain(checkIds.chain, chain, leafInfo, options),
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

// ---- chain ----------------------------------------------------------------------------------------------------

const quote = (name: string): string => `«${name}»`;

const SQL_FALLBACK = "SSL_Self_Signed_Fallback";

function judgeChain(
  checkId: string,
  chain: PathResult,
  leaf: CertificateInfo,
  options: CertificateJudgeOptions,
): CheckOutcome {
  const threshold = THRESHOLDS.chain.text.fail;
  const measured =
    chain.path.map((l) => shortName(l.subject)).join(" → ") +
    (chain.anchor === null
      ? ""
      : ` (anchor: ${chain.anchor.source === "public-roots" ? "public root" : "plan"})`);
  const duplicates = chain.extras.filter((e) => e.why === "duplicate").length;
  const extras =
    (chain.unused.length === 0
      ? ""
      : ` The server also sends ${chain.unused.length === 1 ? "a certificate" : `${chain.unused.length} certificates`} not on the chain (${chain.unused.map(quote).join(", ")}); harmless, but it can go.`) +
    (duplicates === 0
      ? ""
      : ` It sends ${duplicates === 1 ? "one certificate" : `${duplicates} certificates`} twice; harmless, but the copy can go.`);
  const revocation =
    chain.revocationSummary === "" ? "" : ` ${chain.revocationSummary}`;
  const details = { measured, threshold };
  switch (chain.status) {
    case "valid":
      return outcome(
        checkId,
        chain.warnings.length > 0 ? "warn" : "pass",
        `${chain.warnings.length > 0 ? `${chain.warnings.join(" ")} ` : ""}The chain validates to the trust anchor ${quote(chain.anchor?.subject ?? "")}, and the server sends every intermediate.${revocation}${extras}`,
        details,
      );
    case "empty":
      return notTested(
        checkId,
        "no certificate",
        "The server sent no certificate.",
      );
    case "no-anchors":
      return notTested(
        checkId,
        "no trust anchors",
        `No trust anchors were given, so the chain could not be validated. Compare the leaf's SHA-256 fingerprint ${leaf.fingerprintSha256} with the one the server's owner gives you, or add the plant's CA certificate as a trust anchor${options.publicRoots ? "" : " (or allow public roots for a public endpoint)"}.`,
      );
    case "self-signed": {
      const fallback = leaf.subject.includes(SQL_FALLBACK)
        ? ` This is SQL Server's self-signed fallback certificate (${SQL_FALLBACK}): the server has no certificate configured; install one issued by the plant's CA.`
        : " Replace it with a certificate issued by the plant's CA, or add this exact certificate to the plan's trust anchors if it is meant to be pinned.";
      return outcome(
        checkId,
        "fail",
        `The server's certificate ${quote(leaf.subject)} is self-signed and not among the trust anchors.${fallback}`,
        details,
      );
    }
    case "incomplete":
      return outcome(
        checkId,
        "fail",
        `The chain is incomplete: the server does not send the certificate of ${quote(chain.missingIssuer ?? "")}, which issued ${quote(chain.stoppedAt ?? "")}. Configure the server to send its intermediate certificates with its own. (If ${quote(chain.missingIssuer ?? "")} is a root CA instead, it is not among the trust anchors.)`,
        details,
      );
    case "untrusted":
      return outcome(
        checkId,
        "fail",
        chain.missingIssuer === null
          ? `The chain ends at ${quote(chain.stoppedAt ?? "")}, which is not among the trust anchors. Install a certificate issued by the plant's CA, or add the right CA certificate to the plan's trust anchors.`
          : `The chain does not reach a trust anchor: it ends at ${quote(chain.stoppedAt ?? "")}, issued by ${quote(chain.missingIssuer)}, which is not among the trust anchors. Install a certificate issued by the plant's CA, or add the right CA certificate to the plan's trust anchors.`,
        details,
      );
    case "bad-signature":
      return outcome(
        checkId,
        "fail",
        `The signature on ${quote(chain.badSignature?.certificate ?? "")} was not made by the key of ${quote(chain.badSignature?.claimedIssuer ?? "")}, the issuer it names: the chain is forged or mixed up. Reinstall the certificate with its own issuer.`,
        details,
      );
    default:
      // Every other failure is named by the path validation itself, in one sentence.
      return outcome(checkId, "fail", `${chain.problem}${extras}`, details);
  }
}

// ---- name -----------------------------------------------------------------------------------------------------

function judgeName(
  checkId: string,
  leaf: CertificateInfo,
  referenceName: string,
): CheckOutcome {
  const match = matchName(leaf, referenceName);
  const sans = leaf.subjectAltNames
    .filter((s) => s.type === "dns" || s.type === "ip")
    .map((s) => s.value);
  const measured =
    sans.length === 0
      ? `no subjectAltName; CN=${commonName(leaf.subject) || "—"}`
      : `subjectAltName: ${sans.join(", ")}`;
  const details = { measured, threshold: THRESHOLDS.name.text.fail };
  if (match.matchedBy !== null) {
    return outcome(
      checkId,
      "pass",
      `The certificate names ${match.reference}${match.matchedBy === match.reference ? "" : ` (through ${match.matchedBy})`} in its subjectAltName.`,
      details,
    );
  }
  const what = match.kind === "ip" ? "IP address" : "name";
  const cnOnly = match.onlyInCommonName
    ? ` The ${what} appears only in the Common Name, which clients ignore: reissue the certificate with ${match.reference} in its subjectAltName.`
    : ` Reissue the certificate with ${match.reference} in its subjectAltName (${match.kind === "ip" ? "as an IP entry" : "as a DNS entry"}), or probe the name it was issued for.`;
  const wildcards =
    match.ignoredWildcards.length > 0
      ? ` Wildcards that do not count: ${match.ignoredWildcards.join(", ")} (only a whole left-most "*" label matches, one label deep).`
      : "";
  return outcome(
    checkId,
    "fail",
    `The certificate is not valid for the ${what} ${match.reference}: ${sans.length === 0 ? "it has no subjectAltName" : `its subjectAltName lists ${sans.join(", ")}`}.${cnOnly}${wildcards}`,
    details,
  );
}

// ---- validity -------------------------------------------------------------------------------------------------

interface JudgedCertificate {
  info: CertificateInfo;
  role: "leaf" | "intermediate" | "root" | "anchor";
}

function roleOf(
  index: number,
  info: CertificateInfo,
): JudgedCertificate["role"] {
  if (index === 0) return "leaf";
  return info.selfSigned ? "root" : "intermediate";
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);

function whose(certificate: JudgedCertificate, referenceName: string): string {
  if (certificate.role === "leaf")
    return `The certificate for ${referenceName}`;
  const name = quote(shortName(certificate.info.subject));
  return certificate.role === "intermediate"
    ? `The intermediate certificate ${name}`
    : `The CA certificate ${name}`;
}

const days = (n: number): string => `${n} day${n === 1 ? "" : "s"}`;

function judgeValidity(
  checkId: string,
  judged: readonly JudgedCertificate[],
  options: CertificateJudgeOptions,
): CheckOutcome {
  const now = options.now.getTime();
  const headroomDays = options.headroomDays;
  const threshold = `valid now; warns within ${headroomDays} days of expiry`;
  const expired = judged.find((c) => Date.parse(c.info.notAfter) < now);
  const notYet = judged.find((c) => Date.parse(c.info.notBefore) > now);
  const leaf = judged[0];
  const soonest = [...judged].sort(
    (a, b) => Date.parse(a.info.notAfter) - Date.parse(b.info.notAfter),
  )[0];
  if (leaf === undefined || soonest === undefined) {
    return notTested(
      checkId,
      "no certificate",
      "The server sent no certificate.",
    );
  }
  const leafNotAfter = new Date(leaf.info.notAfter);
  const measured = `valid ${isoDay(new Date(leaf.info.notBefore))} to ${isoDay(leafNotAfter)}`;
  if (expired !== undefined) {
    const notAfter = new Date(expired.info.notAfter);
    const ago = Math.floor((now - notAfter.getTime()) / DAY_MS);
    return outcome(
      checkId,
      "fail",
      `${whose(expired, options.referenceName)} expired on ${isoDay(notAfter)} (${ago === 0 ? "today" : `${days(ago)} ago`}). Renew it and install the new certificate.`,
      { measured, threshold, headroom: `expired ${days(ago)} ago` },
    );
  }
  if (notYet !== undefined) {
    const notBefore = new Date(notYet.info.notBefore);
    const inDays = Math.ceil((notBefore.getTime() - now) / DAY_MS);
    return outcome(
      checkId,
      "fail",
      `${whose(notYet, options.referenceName)} is not valid until ${isoDay(notBefore)} (in ${days(inDays)}). Check the issuing date of the certificate, and the clocks of the server and this laptop.`,
      { measured, threshold, headroom: `valid in ${days(inDays)}` },
    );
  }
  const soonestNotAfter = new Date(soonest.info.notAfter);
  const left = Math.floor((soonestNotAfter.getTime() - now) / DAY_MS);
  const headroom = `${days(left)} to expiry (warns below ${headroomDays})`;
  if (left < headroomDays) {
    return outcome(
      checkId,
      "warn",
      `${whose(soonest, options.referenceName)} expires on ${isoDay(soonestNotAfter)}, in ${days(left)} — inside the ${headroomDays}-day headroom. Renew it before it runs out.`,
      { measured, threshold, headroom },
    );
  }
  return outcome(
    checkId,
    "pass",
    soonest.role === "leaf"
      ? `The certificate for ${options.referenceName} is valid until ${isoDay(soonestNotAfter)}.`
      : `Every certificate of the chain is valid; the first to expire is ${whose(soonest, options.referenceName).replace(/^The /, "the ")}, on ${isoDay(soonestNotAfter)}.`,
    { measured, threshold, headroom },
  );
}

// ---- strength -------------------------------------------------------------------------------------------------

function keyLabel(info: CertificateInfo): string {
  switch (info.keyType) {
    case "ec":
      return `EC ${info.keyBits}${info.curve === "" ? "" : ` (${info.curve})`}`;
    case "rsa":
    case "rsa-pss":
    case "dsa":
      return `${info.keyType.toUpperCase()} ${info.keyBits}`;
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return "unknown key";
  }
}

function minimumBits(info: CertificateInfo): number | null {
  const table = THRESHOLDS.keys.minimumBits;
  switch (info.keyType) {
    case "rsa":
    case "rsa-pss":
    case "dsa":
    case "ec":
      return table[info.keyType];
    case "ed25519":
    case "ed448":
      return 0;
    default:
      return null;
  }
}

function judgeStrength(
  checkId: string,
  judged: readonly JudgedCertificate[],
): CheckOutcome {
  const problems: string[] = [];
  const unknown: string[] = [];
  const parts: string[] = [];
  for (const certificate of judged) {
    const { info } = certificate;
    const who = quote(shortName(info.subject));
    const minimum = minimumBits(info);
    if (minimum === null) unknown.push(`the key of ${who}`);
    else if (info.keyBits < minimum) {
      problems.push(
        `${who} has a ${keyLabel(info)}-bit key; at least ${minimum} bits are required${certificate.role === "leaf" ? " — reissue it with a stronger key" : ""}.`,
      );
    }
    // A self-signed root's own signature is excepted (DESIGN §3); the anchor's is never judged.
    const signatureJudged =
      certificate.role === "leaf" || certificate.role === "intermediate";
    const hash: SignatureHash = signatureJudged
      ? signatureHashOf(info.signatureAlgorithm)
      : "intrinsic";
    if (signatureJudged && THRESHOLDS.signatures.fail.includes(hash)) {
      problems.push(
        `${who} is signed with ${hashLabel(hash)} (${info.signatureAlgorithm}); have it reissued with SHA-256 or better.`,
      );
    } else if (signatureJudged && hash === "unknown") {
      unknown.push(
        `the signature algorithm ${info.signatureAlgorithm} of ${who}`,
      );
    }
    parts.push(
      `${commonName(info.subject) || certificate.role}: ${keyLabel(info)}${signatureJudged ? `, ${info.signatureAlgorithm}` : ""}`,
    );
  }
  const details = {
    measured: parts.join("; "),
    threshold: `${THRESHOLDS.keys.text.fail}; ${THRESHOLDS.signatures.text.fail}`,
  };
  if (problems.length > 0) {
    return outcome(checkId, "fail", problems.join(" "), details);
  }
  if (unknown.length > 0) {
    return outcome(
      checkId,
      "not-tested",
      `Cellcert cannot judge ${unknown.join(" and ")}.`,
      {
        ...details,
        reason: "unknown algorithm",
      },
    );
  }
  return outcome(
    checkId,
    "pass",
    "Every key is strong enough and no certificate is signed with MD5 or SHA-1.",
    details,
  );
}
