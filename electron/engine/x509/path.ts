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
// This file builds the paths and names why none reached an anchor; path-checks.ts holds a candidate against
// the rules, path-revocation.ts judges revocation, path-types.ts holds the shapes, path-words.ts the wording.
import { rootCertificates } from "node:tls";
import {
  CertificateParseError,
  splitPemCertificates,
  pemToDer,
} from "./certificate-info";
import {
  namesIssuer,
  parseCertificate,
  signedBy,
  type ParsedCertificate,
} from "./parse";
import { parseCrl, splitCrls, type ParsedCrl } from "./revocation";
import { judgeCandidate } from "./path-checks";
import {
  emptyResult,
  isSelfSigned,
  link,
  type ExtraCertificate,
  type Node,
  type PathResult,
  type TrustInput,
} from "./path-types";
import { roleWords } from "./path-words";
import { capitalized } from "../../../shared/wording";

export type {
  AnchorSource,
  ExtraCertificate,
  PathLink,
  PathResult,
  PathStatus,
  RevocationFinding,
  TrustInput,
} from "./path-types";

/** Longest path followed (leaf and anchor included); real chains have 2–4 certificates. */
const MAX_PATH = 10;
/** Signature checks per validation at most: a hostile peer cannot make the search explode. */
const MAX_SIGNATURE_CHECKS = 96;
/** Complete candidate paths judged at most. */
const MAX_CANDIDATES = 12;

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
        ? `${capitalized(role.leaf)} ${leaf.certificate.subject} is self-signed and not among the trust anchors: ${role.consequence}.`
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
