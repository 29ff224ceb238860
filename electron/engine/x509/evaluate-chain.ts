// The chain and name checks (…cert.chain, …cert.name): the path validation's verdict in the plant's words, and
// whether the leaf's subjectAltName names what the client asked for.
import {
  commonName,
  shortName,
} from "../../../shared/evidence/distinguished-name";
import { THRESHOLDS } from "../../../shared/catalog/thresholds";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { matchName } from "./name";
import type { PathResult } from "./path";
import { quote } from "./evaluate-shared";

const SQL_FALLBACK = "SSL_Self_Signed_Fallback";

export function judgeChain(
  checkId: string,
  chain: PathResult,
  leaf: CertificateInfo,
  /** Whether public roots were allowed (the advice when no anchor was given). */
  publicRoots: boolean,
): CheckOutcome {
  const threshold = THRESHOLDS.chain.text.fail;
  const measured =
    chain.path.map((l) => shortName(l.subject)).join(" → ") +
    (chain.anchor === null
      ? ""
      : ` (anchor: ${chain.anchor.source === "public-roots" ? "public root" : "plan"})`);
  const duplicates = chain.extras.filter((e) => e.why === "duplicate").length;
  const unused = chain.unused.length;
  // A plan that anchors the server's own certificate (a path of one) leaves the server's intermediates unused
  // here; clients that trust the CA still need them, so they are not advice to remove.
  const pinned = chain.anchor !== null && chain.path.length === 1;
  const extras =
    (unused === 0
      ? ""
      : pinned
        ? ` The plan pins the server's own certificate, so the other ${unused === 1 ? "certificate" : `${unused} certificates`} it sends (${chain.unused.map(quote).join(", ")}) ${unused === 1 ? "is" : "are"} not needed here; clients that trust the CA may need ${unused === 1 ? "it" : "them"}.`
        : ` The server also sends ${unused === 1 ? "a certificate" : `${unused} certificates`} not on the chain (${chain.unused.map(quote).join(", ")}); harmless, but ${unused === 1 ? "it" : "they"} can go.`) +
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
        `No trust anchors were given, so the chain could not be validated. Compare the leaf's SHA-256 fingerprint ${leaf.fingerprintSha256} with the one the server's owner gives you, or add the plant's CA certificate as a trust anchor${publicRoots ? "" : " (or allow public roots for a public endpoint)"}.`,
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

export function judgeName(
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
