// The rules one complete candidate path (leaf … anchor) is held against: an intermediate the peer did not send,
// basicConstraints cA, keyCertSign, pathLenConstraint, extended key usage of issuers, the leaf's usages for its
// purpose, unknown critical extensions, and pkijs's RFC 5280 engine (name chaining, policies, name constraints);
// revocation last (path-revocation.ts).
import * as pkijs from "pkijs";
import { describeConstraint, ekuName } from "./parse";
import {
  extendedKeyUsageAllows,
  leafPurposeProblems,
  purposeUsageWords,
} from "./purpose";
import type { ParsedCrl } from "./revocation";
import {
  emptyResult,
  isSelfSigned,
  link,
  type Judged,
  type Node,
  type PathStatus,
  type TrustInput,
} from "./path-types";
import { judgeRevocation } from "./path-revocation";
import { plural, roleOf, roleWords } from "./path-words";
import { capitalized } from "../../../shared/wording";

/** Holds one complete path (leaf … anchor) against every rule. */
export async function judgeCandidate(
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
          ? `${capitalized(name(i))} is not a CA (${why}) and cannot anchor ${child}: ${role.consequence}. Give the plant's CA certificate as the trust anchor instead.`
          : `${capitalized(name(i))} is not a CA (${why}), yet it issued ${child}: ${role.consequence}. Reissue ${child} from the plant's issuing CA.`,
      );
    }
    if (
      certificate.keyUsage !== null &&
      !certificate.keyUsage.includes("keyCertSign")
    )
      return fail(
        "key-cert-sign",
        `${capitalized(name(i))} may not sign certificates (its key usage is ${certificate.keyUsage.join(", ") || "empty"}, without keyCertSign), yet it issued ${child}: ${role.consequence}.`,
      );
    if (constraints.pathLen !== null) {
      // Intermediates between this CA and the leaf, not counting self-issued ones (RFC 5280 §6.1.4 (l)).
      const below = path
        .slice(1, i)
        .filter((n) => !n.certificate.selfIssued).length;
      if (below > constraints.pathLen)
        return fail(
          "path-length",
          `${capitalized(name(i))} allows ${plural(constraints.pathLen, "intermediate")} below it (pathLenConstraint ${constraints.pathLen}), but the chain has ${below}: ${role.consequence}.`,
        );
    }
    if (
      !isAnchor &&
      !extendedKeyUsageAllows(certificate.extendedKeyUsage, input.purpose)
    )
      return fail(
        "extended-key-usage",
        `${capitalized(name(i))} restricts what it issues to ${(certificate.extendedKeyUsage ?? []).map(ekuName).join(", ")}, without ${purposeUsageWords(input.purpose)}: ${role.consequence}.`,
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
      `${capitalized(name(0))} is not made for this: ${problem.detail}; ${role.consequence}.${advice}`,
    );
  }

  // Critical extensions nobody here understands (RFC 5280 §4.2: such a certificate must be rejected).
  for (let i = 0; i < path.length - (pinnedLeaf ? 0 : 1); i++) {
    const unknown = path[i]?.certificate.unknownCritical ?? [];
    if (unknown.length > 0)
      return fail(
        "critical-extension",
        `${capitalized(name(i))} carries a critical extension Cellcert does not know (${unknown.join(", ")}): RFC 5280 requires rejecting it, and ${role.consequence}.`,
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
