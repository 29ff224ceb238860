// Chain building and validation by our own code (not `socket.authorized`): from the leaf, through the
// certificates the server sent, to one of the trust anchors — the plan's, and Node's bundled public roots only
// where the endpoint allows them. Dates are not judged here (that is cert.validity: one fault, one failing check).
import { rootCertificates } from "node:tls";
import type { X509Certificate } from "node:crypto";
import {
  isSelfSigned,
  oneLineName,
  verifiesWith,
  x509Of,
} from "./certificate-info";

/** Longest path we follow; real chains have 2–4 certificates. */
const MAX_DEPTH = 10;

export type ChainStatus =
  /** Leaf → … → a trust anchor, every signature checked, every intermediate sent. */
  | "valid"
  /** The server sent no certificate. */
  | "empty"
  /** Nothing to validate against: no plan anchors and public roots not allowed. */
  | "no-anchors"
  /** The leaf is its own issuer and not a trust anchor. */
  | "self-signed"
  /** The chain ends at a certificate that is not a trust anchor (a foreign root, or a root the plan lacks). */
  | "untrusted"
  /** The server did not send the certificate that issued its leaf (or an intermediate the plan knows). */
  | "incomplete"
  /** A certificate names an issuer whose key did not make its signature. */
  | "bad-signature";

export type AnchorSource = "plan" | "public-roots";

export interface TrustAnchorPool {
  anchors: readonly { x509: X509Certificate; source: AnchorSource }[];
}

export interface ChainLink {
  subject: string;
  fingerprintSha256: string;
  /** Where this certificate of the path came from. */
  source: "sent" | AnchorSource;
}

export interface ChainResult {
  status: ChainStatus;
  /** Leaf first, ending at the anchor when one was reached. */
  path: ChainLink[];
  /** The anchor that terminated the path. */
  anchor: ChainLink | null;
  /** For incomplete and untrusted: the issuer name nobody supplied. */
  missingIssuer: string | null;
  /** For incomplete: the certificate whose issuer is missing. */
  stoppedAt: string | null;
  /** For bad-signature: the certificate whose signature did not verify, and the one that claimed to issue it. */
  badSignature: { certificate: string; claimedIssuer: string } | null;
  /** Certificates the server sent that are not on the path (extras, wrong order is fine). */
  unused: string[];
}

let publicRootPool: X509Certificate[] | null = null;

/** Node's bundled public roots (Mozilla's list), parsed once. */
export function publicRoots(): X509Certificate[] {
  publicRootPool ??= rootCertificates.flatMap((pem) => {
    try {
      return [x509Of(pem)];
    } catch {
      return [];
    }
  });
  return publicRootPool;
}

/** The anchors for one endpoint: the plan's (PEM) and, when allowed, the public roots. Throws on unreadable PEM. */
export function trustAnchorPool(
  anchorsPem: readonly string[],
  allowPublicRoots: boolean,
): TrustAnchorPool {
  return {
    anchors: [
      ...anchorsPem.map((pem) => ({
        x509: x509Of(pem),
        source: "plan" as const,
      })),
      ...(allowPublicRoots
        ? publicRoots().map((x509) => ({
            x509,
            source: "public-roots" as const,
          }))
        : []),
    ],
  };
}

const link = (
  x509: X509Certificate,
  source: ChainLink["source"],
): ChainLink => ({
  subject: oneLineName(x509.subject),
  fingerprintSha256: x509.fingerprint256.toUpperCase(),
  source,
});

/** Validates `sent` (leaf first; the rest in any order) against the pool. Pure: no I/O, no clock. */
export function validateChain(
  sent: readonly X509Certificate[],
  pool: TrustAnchorPool,
): ChainResult {
  const result = (
    fields: Partial<ChainResult> & Pick<ChainResult, "status">,
  ): ChainResult => ({
    path: [],
    anchor: null,
    missingIssuer: null,
    stoppedAt: null,
    badSignature: null,
    unused: [],
    ...fields,
  });
  const leaf = sent[0];
  if (leaf === undefined) return result({ status: "empty" });

  const onPath: X509Certificate[] = [leaf];
  const path: ChainLink[] = [link(leaf, "sent")];
  const unused = (): string[] =>
    sent
      .filter(
        (c) =>
          !onPath.includes(c) &&
          !pool.anchors.some((a) => a.x509.fingerprint256 === c.fingerprint256),
      )
      .map((c) => oneLineName(c.subject));
  const finish = (
    fields: Partial<ChainResult> & Pick<ChainResult, "status">,
  ): ChainResult => result({ path, unused: unused(), ...fields });

  let current = leaf;
  for (let depth = 0; depth < MAX_DEPTH; depth++) {
    // The certificate itself is an anchor (a pinned leaf, or a sent root the plan trusts).
    const itself = pool.anchors.find(
      (a) => a.x509.fingerprint256 === current.fingerprint256,
    );
    if (itself !== undefined) {
      const anchor = link(current, itself.source);
      return finish({ status: "valid", anchor });
    }
    // Issued by an anchor.
    const named = pool.anchors.filter((a) => current.checkIssued(a.x509));
    const issuingAnchor = named.find((a) => verifiesWith(current, a.x509));
    if (issuingAnchor !== undefined) {
      const anchor = link(issuingAnchor.x509, issuingAnchor.source);
      path.push(anchor);
      // An anchor that is itself an intermediate, and that the server did not send, is an omitted intermediate.
      if (
        !isSelfSigned(issuingAnchor.x509) &&
        !sent.some(
          (c) => c.fingerprint256 === issuingAnchor.x509.fingerprint256,
        )
      ) {
        return finish({
          status: "incomplete",
          anchor,
          missingIssuer: anchor.subject,
          stoppedAt: oneLineName(current.subject),
        });
      }
      return finish({ status: "valid", anchor });
    }
    // Issued by another certificate the server sent.
    const candidates = sent.filter(
      (c) => !onPath.includes(c) && current.checkIssued(c),
    );
    const issuer = candidates.find((c) => verifiesWith(current, c));
    if (issuer !== undefined) {
      onPath.push(issuer);
      path.push(link(issuer, "sent"));
      current = issuer;
      continue;
    }
    const impostor = candidates[0] ?? named[0]?.x509;
    if (impostor !== undefined && !isSelfSigned(current)) {
      return finish({
        status: "bad-signature",
        badSignature: {
          certificate: oneLineName(current.subject),
          claimedIssuer: oneLineName(impostor.subject),
        },
      });
    }
    if (pool.anchors.length === 0) return finish({ status: "no-anchors" });
    if (isSelfSigned(current)) {
      return finish({
        status: current === leaf ? "self-signed" : "untrusted",
        stoppedAt: oneLineName(current.subject),
      });
    }
    // Nobody supplied the issuer. Right after the leaf that is the classic omitted intermediate; further up,
    // the server sent its intermediates and the root it chains to is not among the anchors.
    return finish({
      status: current === leaf ? "incomplete" : "untrusted",
      missingIssuer: oneLineName(current.issuer),
      stoppedAt: oneLineName(current.subject),
    });
  }
  return finish({
    status: "untrusted",
    stoppedAt: oneLineName(current.subject),
  });
}
