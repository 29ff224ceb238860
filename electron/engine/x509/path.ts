// RFC 5280 certification path building and validation — the one place Cellcert decides whether a chain is
// trusted: TLS servers, the TLS inside TDS, OPC UA application certificates, client identities, engineer
// identities and document signers. See docs/x509.md for what pkijs does here and what this file adds.
//
// Building: from the leaf, through every certificate sent (any order, duplicates, extras) and the anchors, a
// bounded depth-first search with backtracking, so a cross-signed intermediate that leads nowhere is left for
// its sibling. Signatures are checked by Node (every algorithm OpenSSL knows: RSA-PSS, Ed25519, SHA-1).
// Each candidate path is then held against: basicConstraints cA and keyCertSign of every issuer,
// pathLenConstraint, extendedKeyUsage (leaf and CAs that carry one), the leaf's keyUsage for its purpose,
// unknown critical extensions, pkijs's CertificateChainValidationEngine (name chaining, certificate policies,
// name constraints) and revocation (the plan's CRLs, the stapled OCSP response). The first path that passes
// wins; otherwise the failure of the most plausible path is named in a sentence.
// Dates are not judged here: expiry is cert.validity's finding (one fault, one failing check); a path whose
// certificates are all valid now is preferred over one that is not.
import { rootCertificates } from "node:tls";
import * as pkijs from "pkijs";
import {
  CertificateParseError,
  splitPemCertificates,
  pemToDer,
} from "./certificate-info";
import {
  describeConstraint,
  ekuName,
  namesIssuer,
  parseCertificate,
  signedBy,
  type ParsedCertificate,
} from "./parse";
import {
  extendedKeyUsageAllows,
  leafPurposeProblems,
  purposeUsageWords,
  type Purpose,
} from "./purpose";
import {
  crlSignedBy,
  parseCrl,
  readOcspStaple,
  splitCrls,
  type ParsedCrl,
} from "./revocation";

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

/** Longest path followed (leaf and anchor included); real chains have 2–4 certificates. */
const MAX_PATH = 10;
/** Signature checks per validation at most: a hostile peer cannot make the search explode. */
const MAX_SIGNATURE_CHECKS = 96;
/** Complete candidate paths judged at most. */
const MAX_CANDIDATES = 12;

interface Node {
  certificate: ParsedCertificate;
  /** null: not an anchor. */
  anchor: AnchorSource | null;
  sentIndex: number | null;
}

let publicRootPool: ParsedCertificate[] | null = null;

/** Node's bundled public roots (Mozilla's list), parsed once, on first use. */
export function publicRoots(): ParsedCertificate[] {
  publicRootPool ??= rootCertificates.flatMap((pem) => {
    try {
      return [parseCertificate(pemToDer(pem))];
    } catch {
      return [];
    }
  });
  return publicRootPool;
}

/** DER or PEM (bundles too) → DER certificates; throws CertificateParseError with a sentence. */
export function certificateDers(
  material: readonly (Uint8Array | string)[],
): Buffer[] {
  return material.flatMap((item) => {
    if (typeof item !== "string") return [Buffer.from(item)];
    const blocks = splitPemCertificates(item);
    if (blocks.length === 0)
      throw new CertificateParseError(
        "it holds no -----BEGIN CERTIFICATE----- block.",
      );
    return blocks.map(pemToDer);
  });
}

function crlDers(material: readonly (Uint8Array | string)[]): ParsedCrl[] {
  return material.flatMap((item) =>
    splitCrls(
      typeof item === "string" ? Buffer.from(item, "latin1") : item,
    ).map(parseCrl),
  );
}

const link = (node: Node, sentAlong: boolean): PathLink => ({
  subject: node.certificate.subject,
  serialNumber: node.certificate.serialNumber,
  fingerprintSha256: node.certificate.fingerprint,
  source: node.anchor ?? "sent",
  sent: node.sentIndex !== null || sentAlong,
});

/** Validates what a peer sent against the anchors, for `purpose`. Pure apart from the clock it is given. */
export async function validatePath(input: TrustInput): Promise<PathResult> {
  const anchors: Node[] = [];
  const seenAnchor = new Set<string>();
  for (const der of certificateDers(input.anchors)) {
    const certificate = parseCertificate(der);
    if (seenAnchor.has(certificate.fingerprint)) continue;
    seenAnchor.add(certificate.fingerprint);
    anchors.push({ certificate, anchor: "plan", sentIndex: null });
  }
  if (input.publicRoots)
    for (const certificate of publicRoots()) {
      if (seenAnchor.has(certificate.fingerprint)) continue;
      seenAnchor.add(certificate.fingerprint);
      anchors.push({ certificate, anchor: "public-roots", sentIndex: null });
    }
  const crls = crlDers(input.crls ?? []);

  // What was sent: unreadable certificates are left out (the path then names the gap), duplicates noted.
  const sent: { certificate: ParsedCertificate; index: number }[] = [];
  input.sent.forEach((der, index) => {
    try {
      sent.push({ certificate: parseCertificate(der), index });
    } catch {
      // not a certificate: as if not sent
    }
  });
  const base = emptyResult();
  const leafEntry = sent[0];
  if (leafEntry === undefined || leafEntry.index !== 0)
    return {
      ...base,
      status: "empty",
      problem: "Nothing was sent: there is no certificate to judge.",
    };

  // One node per distinct certificate; an anchor that was also sent stays an anchor.
  const nodes = new Map<string, Node>();
  for (const entry of sent) {
    if (nodes.has(entry.certificate.fingerprint)) continue;
    const anchor = anchors.find(
      (a) => a.certificate.fingerprint === entry.certificate.fingerprint,
    );
    nodes.set(entry.certificate.fingerprint, {
      certificate: entry.certificate,
      anchor: anchor?.anchor ?? null,
      sentIndex: entry.index,
    });
  }
  for (const anchor of anchors)
    if (!nodes.has(anchor.certificate.fingerprint))
      nodes.set(anchor.certificate.fingerprint, anchor);
  const leaf = nodes.get(leafEntry.certificate.fingerprint);
  if (leaf === undefined) return { ...base, status: "empty" };

  const extrasOf = (path: readonly Node[]): ExtraCertificate[] => {
    const onPath = new Set(path.map((n) => n.certificate.fingerprint));
    const seen = new Set<string>();
    return sent.flatMap((entry) => {
      const fingerprint = entry.certificate.fingerprint;
      const duplicate = seen.has(fingerprint);
      seen.add(fingerprint);
      if (!duplicate && onPath.has(fingerprint)) return [];
      // A root the peer sends that anchors nothing on the path is an extra too; a sent anchor on it is not.
      return [
        {
          subject: entry.certificate.subject,
          fingerprintSha256: fingerprint,
          sentIndex: entry.index,
          why: duplicate
            ? ("duplicate" as const)
            : ("not on the path" as const),
        },
      ];
    });
  };

  // ---- building: depth-first, with backtracking ----
  const signatures = new Map<string, boolean>();
  let signatureChecks = 0;
  const verified = (child: Node, parent: Node): boolean => {
    const key = `${child.certificate.fingerprint}>${parent.certificate.fingerprint}`;
    const known = signatures.get(key);
    if (known !== undefined) return known;
    signatureChecks++;
    const ok = signedBy(child.certificate, parent.certificate);
    signatures.set(key, ok);
    return ok;
  };
  const now = input.now.getTime();
  const validNow = (n: Node): boolean =>
    n.certificate.notBefore.getTime() <= now &&
    n.certificate.notAfter.getTime() >= now;
  const all = [...nodes.values()];
  const issuersOf = (child: Node, onPath: ReadonlySet<string>): Node[] =>
    all
      .filter(
        (candidate) =>
          !onPath.has(candidate.certificate.fingerprint) &&
          namesIssuer(child.certificate, candidate.certificate),
      )
      .sort((a, b) => rank(child, a) - rank(child, b));
  const rank = (child: Node, candidate: Node): number => {
    let score = 0;
    if (candidate.anchor === null) score += 4;
    const aki = child.certificate.authorityKeyId;
    if (aki !== null && candidate.certificate.subjectKeyId !== aki) score += 2;
    if (!validNow(candidate)) score += 1;
    return score * 1000 + (candidate.sentIndex ?? 999);
  };

  const candidates: Node[][] = [];
  let deepestDeadEnd: Node[] = [leaf];
  let impostor: { child: Node; claimed: Node } | null = null;
  const search = (path: Node[], onPath: Set<string>): void => {
    if (candidates.length >= MAX_CANDIDATES) return;
    const current = path[path.length - 1];
    if (current === undefined) return;
    if (current.anchor !== null) {
      candidates.push([...path]);
      return;
    }
    if (path.length >= MAX_PATH || signatureChecks >= MAX_SIGNATURE_CHECKS) {
      if (path.length > deepestDeadEnd.length) deepestDeadEnd = [...path];
      return;
    }
    let extended = false;
    for (const issuer of issuersOf(current, onPath)) {
      if (signatureChecks >= MAX_SIGNATURE_CHECKS) break;
      if (!verified(current, issuer)) {
        if (
          impostor === null &&
          issuer.certificate.fingerprint !== current.certificate.fingerprint
        )
          impostor = { child: current, claimed: issuer };
        continue;
      }
      extended = true;
      path.push(issuer);
      onPath.add(issuer.certificate.fingerprint);
      search(path, onPath);
      onPath.delete(issuer.certificate.fingerprint);
      path.pop();
      if (candidates.length >= MAX_CANDIDATES) return;
    }
    if (!extended && path.length > deepestDeadEnd.length)
      deepestDeadEnd = [...path];
  };
  search([leaf], new Set([leaf.certificate.fingerprint]));

  // ---- judging the candidates: the first that holds, preferring one valid now ----
  let firstFailure: PathResult | null = null;
  let heldButNotNow: PathResult | null = null;
  for (const candidate of candidates) {
    const judged = await judgeCandidate(candidate, input, crls);
    const result: PathResult = {
      ...judged,
      extras: extrasOf(candidate),
      unused: [],
    };
    result.unused = result.extras
      .filter((e) => e.why === "not on the path")
      .map((e) => e.subject);
    if (result.status === "valid") {
      if (candidate.every(validNow)) return result;
      heldButNotNow ??= result;
    } else firstFailure ??= result;
  }
  if (heldButNotNow !== null) return heldButNotNow;
  if (firstFailure !== null) return firstFailure;

  // ---- no path reached an anchor: say why ----
  const deadEnd = deepestDeadEnd;
  const last = deadEnd[deadEnd.length - 1] ?? leaf;
  const stopped = {
    ...base,
    path: deadEnd.map((n) => link(n, false)),
    certificates: deadEnd.map((n) => n.certificate),
    extras: extrasOf(deadEnd),
  };
  stopped.unused = stopped.extras
    .filter((e) => e.why === "not on the path")
    .map((e) => e.subject);
  const found = impostor as { child: Node; claimed: Node } | null;
  const role = roleWords(input.purpose);
  if (found !== null && !isSelfSigned(found.child.certificate)) {
    return {
      ...stopped,
      status: "bad-signature",
      badSignature: {
        certificate: found.child.certificate.subject,
        claimedIssuer: found.claimed.certificate.subject,
      },
      problem: `The signature on ${found.child.certificate.subject} was not made by the key of ${found.claimed.certificate.subject}, the issuer it names: the chain is forged or mixed up, and ${role.consequence}.`,
    };
  }
  if (anchors.length === 0)
    return {
      ...stopped,
      status: "no-anchors",
      problem: `No trust anchors were given, so the chain of ${leaf.certificate.subject} could not be validated.`,
    };
  if (isSelfSigned(last.certificate)) {
    const selfLeaf = last === leaf;
    return {
      ...stopped,
      status: selfLeaf ? "self-signed" : "untrusted",
      stoppedAt: last.certificate.subject,
      problem: selfLeaf
        ? `${capital(role.leaf)} ${leaf.certificate.subject} is self-signed and not among the trust anchors: ${role.consequence}.`
        : `The chain ends at ${last.certificate.subject}, which is not among the trust anchors: ${role.consequence}.`,
    };
  }
  const incomplete = last === leaf;
  return {
    ...stopped,
    status: incomplete ? "incomplete" : "untrusted",
    missingIssuer: last.certificate.issuer,
    stoppedAt: last.certificate.subject,
    problem: incomplete
      ? `The chain is incomplete: the certificate of ${last.certificate.issuer}, which issued ${last.certificate.subject}, was not sent and is not a trust anchor: ${role.consequence}.`
      : `The chain does not reach a trust anchor: it ends at ${last.certificate.subject}, issued by ${last.certificate.issuer}, which is not among the trust anchors: ${role.consequence}.`,
  };
}

function emptyResult(): PathResult {
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

function isSelfSigned(certificate: ParsedCertificate): boolean {
  return certificate.selfIssued && signedBy(certificate, certificate);
}

const capital = (text: string): string =>
  text.charAt(0).toUpperCase() + text.slice(1);

interface RoleWords {
  leaf: string;
  consequence: string;
}

function roleWords(purpose: Purpose): RoleWords {
  switch (purpose.kind) {
    case "server-tls":
      return {
        leaf: "the server certificate",
        consequence: "no client will accept this chain",
      };
    case "client-tls":
      return {
        leaf: "the client certificate",
        consequence: "a server that checks client certificates will refuse it",
      };
    case "document-signing":
      return {
        leaf: "the signer certificate",
        consequence: "no verifier will accept this signer",
      };
    case "time-stamping":
      return {
        leaf: "the time-stamping authority's certificate",
        consequence: "no verifier will accept its time-stamps",
      };
  }
}

function roleOf(
  index: number,
  path: readonly Node[],
  purpose: Purpose,
): string {
  if (index === 0) return roleWords(purpose).leaf;
  const node = path[index];
  return index === path.length - 1 && node?.anchor !== null
    ? "the trust anchor"
    : "the intermediate";
}

const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? "" : "s"}`;

type Judged = Omit<PathResult, "extras" | "unused">;

/** Holds one complete path (leaf … anchor) against every rule. */
async function judgeCandidate(
  path: Node[],
  input: TrustInput,
  crls: readonly ParsedCrl[],
): Promise<Judged> {
  const links = path.map((n) => link(n, false));
  const anchorNode = path[path.length - 1];
  const base: Judged = {
    ...emptyResult(),
    path: links,
    certificates: path.map((n) => n.certificate),
    anchor: links[links.length - 1] ?? null,
  };
  const role = roleWords(input.purpose);
  const fail = (
    status: PathStatus,
    problem: string,
    extra: Partial<Judged> = {},
  ): Judged => ({ ...base, status, problem, ...extra });
  const name = (i: number): string =>
    `${roleOf(i, path, input.purpose)} ${path[i]?.certificate.subject ?? ""}`;

  // An anchor that is an intermediate the peer did not send: the peer omits its intermediate.
  if (
    anchorNode !== undefined &&
    path.length > 1 &&
    anchorNode.sentIndex === null &&
    !isSelfSigned(anchorNode.certificate)
  ) {
    const child = path[path.length - 2];
    return fail(
      "incomplete",
      `The chain is incomplete: the certificate of ${anchorNode.certificate.subject}, which issued ${child?.certificate.subject ?? ""}, was not sent (the plan holds it as a trust anchor, but other clients do not): ${role.consequence}.`,
      {
        missingIssuer: anchorNode.certificate.subject,
        stoppedAt: child?.certificate.subject ?? null,
      },
    );
  }

  // Issuers: basicConstraints cA, keyCertSign, pathLenConstraint, EKU restrictions.
  for (let i = 1; i < path.length; i++) {
    const node = path[i];
    if (node === undefined) break;
    const certificate = node.certificate;
    const isAnchor = i === path.length - 1;
    // A v1 root has no extensions at all: as an anchor it is trusted as it is (RFC 5280 §6.1.1 (d)).
    if (isAnchor && certificate.version === 1) continue;
    const child = path[i - 1]?.certificate.subject ?? "";
    const constraints = certificate.basicConstraints;
    if (constraints === null || !constraints.cA) {
      const why =
        constraints === null
          ? "it has no basicConstraints extension"
          : "basicConstraints CA:FALSE";
      return fail(
        "not-ca",
        isAnchor
          ? `${capital(name(i))} is not a CA (${why}) and cannot anchor ${child}: ${role.consequence}. Give the plant's CA certificate as the trust anchor instead.`
          : `${capital(name(i))} is not a CA (${why}), yet it issued ${child}: ${role.consequence}. Reissue ${child} from the plant's issuing CA.`,
      );
    }
    if (
      certificate.keyUsage !== null &&
      !certificate.keyUsage.includes("keyCertSign")
    )
      return fail(
        "key-cert-sign",
        `${capital(name(i))} may not sign certificates (its key usage is ${certificate.keyUsage.join(", ") || "empty"}, without keyCertSign), yet it issued ${child}: ${role.consequence}.`,
      );
    if (constraints.pathLen !== null) {
      // Intermediates between this CA and the leaf, not counting self-issued ones (RFC 5280 §6.1.4 (l)).
      const below = path
        .slice(1, i)
        .filter((n) => !n.certificate.selfIssued).length;
      if (below > constraints.pathLen)
        return fail(
          "path-length",
          `${capital(name(i))} allows ${plural(constraints.pathLen, "intermediate")} below it (pathLenConstraint ${constraints.pathLen}), but the chain has ${below}: ${role.consequence}.`,
        );
    }
    if (
      !isAnchor &&
      !extendedKeyUsageAllows(certificate.extendedKeyUsage, input.purpose)
    )
      return fail(
        "extended-key-usage",
        `${capital(name(i))} restricts what it issues to ${(certificate.extendedKeyUsage ?? []).map(ekuName).join(", ")}, without ${purposeUsageWords(input.purpose)}: ${role.consequence}.`,
      );
  }

  // The leaf, for its purpose.
  const leaf = path[0];
  if (leaf === undefined) return fail("empty", "Nothing was sent.");
  const pinnedLeaf = path.length === 1;
  for (const problem of leafPurposeProblems(leaf.certificate, input.purpose)) {
    const advice =
      input.purpose.kind === "server-tls"
        ? problem.kind === "extended-key-usage"
          ? ' Reissue it with serverAuth in its extended key usage (the ADCS "Web Server" template).'
          : " Reissue it with the key usage the server's key exchange needs, or change the server's cipher suites."
        : "";
    return fail(
      problem.kind,
      `${capital(name(0))} is not made for this: ${problem.detail}; ${role.consequence}.${advice}`,
    );
  }

  // Critical extensions nobody here understands (RFC 5280 §4.2: such a certificate must be rejected).
  for (let i = 0; i < path.length - (pinnedLeaf ? 0 : 1); i++) {
    const unknown = path[i]?.certificate.unknownCritical ?? [];
    if (unknown.length > 0)
      return fail(
        "critical-extension",
        `${capital(name(i))} carries a critical extension Cellcert does not know (${unknown.join(", ")}): RFC 5280 requires rejecting it, and ${role.consequence}.`,
      );
  }

  // pkijs's RFC 5280 engine on exactly this path: name chaining, certificate policies, name constraints.
  const rfc = await pkijsVerdict(path);
  if (rfc.kind === "overlap")
    return fail(
      "validity-overlap",
      `The validity periods of the certificates on the path never overlap, so the chain was never valid at any one moment: ${role.consequence}.`,
    );
  if (rfc.kind === "rejected") {
    if (rfc.code === 41 || rfc.code === 42) {
      const constrained = path
        .slice(1)
        .map((n, i) => ({ n, i: i + 1 }))
        .filter(({ n }) => n.certificate.nameConstraints !== null);
      const who = constrained
        .map(({ n, i }) => {
          const c = n.certificate.nameConstraints;
          const parts = [
            c !== null && c.permitted.length > 0
              ? `permitted: ${c.permitted.map(describeConstraint).join(", ")}`
              : "",
            c !== null && c.excluded.length > 0
              ? `excluded: ${c.excluded.map(describeConstraint).join(", ")}`
              : "",
          ].filter((p) => p !== "");
          return `${name(i)} (${parts.join("; ")})`;
        })
        .join(" and ");
      const names = leaf.certificate.x509.subjectAltName ?? "no subjectAltName";
      return fail(
        "name-constraints",
        `The name constraints of ${who || "a CA on the path"} ${rfc.code === 42 ? "exclude" : "do not permit"} the names of ${name(0)} (${names}): ${role.consequence}.`,
      );
    }
    if (rfc.code === 0 || rfc.code === 98 || rfc.code === 99)
      return fail(
        "policy",
        `The certificate policies along the path do not agree (${rfc.message}): ${role.consequence}.`,
      );
    return fail(
      "rfc5280",
      `RFC 5280 path validation rejects the path ${links.map((l) => l.subject).join(" → ")}: ${rfc.message}; ${role.consequence}.`,
    );
  }

  return judgeRevocation(base, path, input, crls, name, role);
}

type PkijsVerdict =
  | { kind: "accepted" }
  | { kind: "overlap" }
  | { kind: "rejected"; code: number; message: string };

/**
 * Runs pkijs's CertificateChainValidationEngine on one path, through its findIssuer hook (signatures are
 * already checked by Node, so its WebCrypto engine is not asked to). It is run at a moment inside every
 * certificate's validity, because dates are cert.validity's finding. A v1 anchor is left out (pkijs would
 * demand basicConstraints of it), and a pinned certificate alone is nothing to walk.
 */
async function pkijsVerdict(path: readonly Node[]): Promise<PkijsVerdict> {
  const last = path[path.length - 1];
  const chain =
    last !== undefined && last.certificate.version === 1
      ? path.slice(0, -1)
      : path;
  const certificates = chain.map((n) => n.certificate);
  const latestStart = Math.max(
    ...certificates.map((c) => c.notBefore.getTime()),
  );
  const earliestEnd = Math.min(
    ...certificates.map((c) => c.notAfter.getTime()),
  );
  if (latestStart > earliestEnd) return { kind: "overlap" };
  if (chain.length < 2) return { kind: "accepted" };
  const objects = certificates.map((c) => c.pkijs);
  const trusted = objects[objects.length - 1];
  const leaf = objects[0];
  if (trusted === undefined || leaf === undefined) return { kind: "accepted" };
  const engine = new pkijs.CertificateChainValidationEngine({
    trustedCerts: [trusted],
    // pkijs takes the last of these as the end-entity certificate.
    certs: [...objects.slice(1, -1), leaf],
    checkDate: new Date(
      latestStart + Math.floor((earliestEnd - latestStart) / 2),
    ),
    findIssuer: (certificate: pkijs.Certificate) => {
      const index = objects.indexOf(certificate);
      const issuer = index < 0 ? undefined : objects[index + 1];
      return Promise.resolve(issuer === undefined ? [] : [issuer]);
    },
  });
  const result = await engine.verify();
  if (result.result) return { kind: "accepted" };
  return {
    kind: "rejected",
    code: result.resultCode,
    message: result.resultMessage,
  };
}

function judgeRevocation(
  base: Judged,
  path: readonly Node[],
  input: TrustInput,
  crls: readonly ParsedCrl[],
  name: (i: number) => string,
  role: RoleWords,
): Judged {
  const now = input.now;
  const findings: RevocationFinding[] = [];
  const warnings: string[] = [];
  let failure: Judged | null = null;
  for (let i = 0; i < path.length - 1; i++) {
    const node = path[i];
    const issuer = path[i + 1];
    if (node === undefined || issuer === undefined) break;
    const certificate = node.certificate;
    const finding: RevocationFinding = {
      subject: certificate.subject,
      serialNumber: certificate.serialNumber,
      status: "none",
      sources: [],
      revokedAt: null,
      reason: "",
    };
    const revokedBy = (
      revokedAt: Date | null,
      reason: string,
      how: string,
    ): void => {
      finding.status = "revoked";
      finding.revokedAt = revokedAt?.toISOString() ?? null;
      finding.reason = reason;
      failure ??= {
        ...base,
        status: "revoked",
        problem: `${capital(name(i))} (serial ${certificate.serialNumber}) was revoked${revokedAt === null ? "" : ` on ${isoDay(revokedAt)}`}${reason === "" ? "" : ` (reason: ${reason})`}, ${how}: ${role.consequence}. Install a new certificate.`,
      };
    };
    for (const crl of crls) {
      if (!crl.crl.issuer.isEqual(certificate.pkijs.issuer)) continue;
      if (!crlSignedBy(crl, issuer.certificate)) {
        warnings.push(
          `A CRL in the plan names ${crl.issuer} as its issuer but is not signed by the key of ${issuer.certificate.subject} (or that CA may not sign CRLs): it was not used.`,
        );
        continue;
      }
      const stale =
        crl.nextUpdate !== null && crl.nextUpdate.getTime() < now.getTime();
      if (stale && crl.nextUpdate !== null)
        warnings.push(
          `The CRL of ${crl.issuer} in the plan is out of date: its next update was due on ${isoDay(crl.nextUpdate)}. Import the CA's current CRL.`,
        );
      finding.sources.push(
        `CRL of ${crl.issuer} (${crl.nextUpdate === null ? "no next update" : `next update ${isoDay(crl.nextUpdate)}`}${stale ? ", out of date" : ""})`,
      );
      const entry = crl.revoked.get(certificate.serialNumber);
      if (
        entry !== undefined &&
        input.nowIsProven === true &&
        entry.revokedAt.getTime() > now.getTime()
      ) {
        finding.sources.push(
          `revoked there on ${isoDay(entry.revokedAt)}${entry.reason === "" ? "" : ` (reason: ${entry.reason})`}, after ${now.toISOString().slice(0, 16).replace("T", " ")} UTC, when it was still good`,
        );
        finding.revokedAt = entry.revokedAt.toISOString();
        finding.reason = entry.reason;
        if (finding.status === "none") finding.status = "good";
      } else if (entry !== undefined)
        revokedBy(
          entry.revokedAt,
          entry.reason,
          `listed in the CRL of ${crl.issuer}`,
        );
      else if (finding.status === "none") finding.status = "good";
    }
    if (i === 0 && input.ocspStaple != null && input.ocspStaple.length > 0) {
      const reading = readOcspStaple(
        input.ocspStaple,
        certificate,
        issuer.certificate,
        now,
      );
      if (reading.kind === "status") {
        const status = reading.status;
        finding.sources.push(
          `OCSP staple: ${status.status}, signed by ${status.signer}${status.nextUpdate === null ? "" : `, until ${isoDay(status.nextUpdate)}`}`,
        );
        if (status.status === "revoked")
          revokedBy(
            status.revokedAt,
            status.reason,
            "according to the OCSP response the server staples",
          );
        else if (status.status === "good" && finding.status === "none")
          finding.status = "good";
        else if (status.status === "unknown" && finding.status === "none")
          finding.status = "unknown";
      } else {
        finding.sources.push(`OCSP staple not usable: ${reading.detail}`);
        if (reading.problem === "bad-signature")
          failure ??= {
            ...base,
            status: "bad-ocsp",
            problem: `The OCSP response the server staples for ${certificate.subject} ${reading.detail}: clients that check stapled responses refuse it. Fix the server's OCSP stapling, or switch it off.`,
          };
        else if (reading.problem !== "not-successful")
          warnings.push(
            `The OCSP response the server staples for ${certificate.subject} cannot be used: ${reading.detail}. Fix the server's OCSP stapling.`,
          );
      }
    }
    findings.push(finding);
  }
  const without = findings.filter(
    (f) => f.status === "none" || f.status === "unknown",
  );
  const summary =
    findings.length === 0
      ? ""
      : without.length === 0
        ? `Revocation checked for ${findings.map((f) => f.subject).join(" and ")}: not revoked (${findings.flatMap((f) => f.sources).join("; ")}).`
        : `No revocation information for ${without.map((f) => f.subject).join(" and ")}: ${crls.length === 0 ? "the plan holds no CRL" : "no CRL in the plan covers it"}${input.ocspStaple == null || input.ocspStaple.length === 0 ? ", and the server staples no OCSP response" : ""}.`;
  const result: Judged = {
    ...base,
    revocation: findings,
    warnings,
    revocationSummary: summary,
  };
  if (failure !== null)
    return {
      ...failure,
      revocation: findings,
      warnings,
      revocationSummary: summary,
    };
  if (input.requireRevocation === true && without.length > 0)
    return {
      ...result,
      status: "no-revocation",
      problem: `${summary.replace(/\.$/, "")} — the plan's policy requires revocation information for every certificate (policy.requireRevocation). Import the issuing CA's current CRL into the plan, or have the server staple OCSP responses.`,
    };
  return result;
}
