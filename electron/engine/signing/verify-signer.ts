// The steps of `verify` that judge the signer: its certificate valid when it signed; made for signing documents
// (keyUsage digitalSignature or nonRepudiation; an extended key usage that allows document signing — judged
// without any CA, from the certificate alone); and, with the commissioning CAs given, an RFC 5280 path from it
// through the CMS's certificates to one of them, under the same rules as every chain Cellcert judges (x509's
// validatePath: basicConstraints, keyCertSign, pathLenConstraint, revocation by the given CRLs).
import {
  DOCUMENT_SIGNING,
  leafPurposeProblems,
  parseCertificate,
  validatePath,
  type PathResult,
} from "../x509";
import {
  fail,
  found,
  pass,
  sentence,
  skipped,
  type VerifyContext,
  type VerifyStep,
} from "./verify-context";
import { givenAnchors, judgedAtWords } from "./verify-long-term";

const day = (iso: string): string => iso.slice(0, 10);

export const certificateValidityStep: VerifyStep = {
  id: "certificate-validity",
  needs: ["cms"],
  run(context) {
    const signer = found(context.result.signer, "the signer");
    const at = found(context.judgedAt, "the signing time");
    const notAfter = new Date(signer.notAfter);
    const valid = new Date(signer.notBefore) <= at && at <= notAfter;
    if (!valid)
      return fail(
        `The signer's certificate was not valid at ${judgedAtWords(context)} (valid ${signer.notBefore} to ${signer.notAfter}).`,
      );
    const now = context.options.now ?? new Date();
    const since =
      notAfter >= now
        ? ""
        : context.judgedBy === "time-stamp"
          ? ` It has expired since (on ${day(signer.notAfter)}), which does not matter: the time-stamp proves it signed while the certificate was valid.`
          : ` It has expired since (on ${day(signer.notAfter)}): only the signer's laptop clock says it signed before that; a time-stamp would prove it.`;
    return pass(
      `The signer's certificate was valid at ${judgedAtWords(context)} (${day(signer.notBefore)} to ${day(signer.notAfter)}).${since}`,
    );
  },
};

export const signerUsageStep: VerifyStep = {
  id: "signer-usage",
  needs: ["cms"],
  run(context) {
    const signer = found(context.signer, "the signer");
    const { subject } = found(context.result.signer, "the signer");
    let problems;
    try {
      problems = leafPurposeProblems(
        parseCertificate(signer.raw),
        DOCUMENT_SIGNING,
      );
    } catch (error) {
      return fail(
        `The signer's certificate ${subject} cannot be read for its usages (${error instanceof Error ? error.message : String(error)}): no verifier will accept this signer.`,
      );
    }
    if (problems.length > 0)
      return fail(
        `The signer's certificate ${subject} is not made for signing documents (${problems.map((p) => p.detail).join("; ")}): no verifier will accept this signer.`,
      );
    return pass(
      `The signer's certificate ${subject} is made for signing documents (its key usage and extended key usage allow it).`,
    );
  },
};

export const chainStep: VerifyStep = {
  id: "chain",
  needs: ["cms", "signer-usage"],
  async run(context) {
    const { options, result } = context;
    const signer = found(context.signer, "the signer");
    const summary = found(result.signer, "the signer");
    const caPems = options.caPems ?? [];
    if (caPems.length === 0)
      return skipped(
        `No CA was given: the signer ${summary.subject} (SHA-256 ${summary.fingerprintSha256}) was NOT checked against a trusted commissioning CA.`,
      );
    const anchors = givenAnchors(caPems);
    if (anchors.length === 0)
      return fail("None of the given CA files holds a certificate.");
    const cms = found(context.cms, "the CMS");
    let path: PathResult;
    try {
      path = await validatePath({
        sent: [
          signer.raw,
          ...cms.certificates.map((c) => c.raw),
          ...context.validation.certificates,
        ],
        anchors,
        publicRoots: false,
        crls: context.validation.crls,
        purpose: DOCUMENT_SIGNING,
        now: found(context.judgedAt, "the signing time"),
        // Only a checked time-stamp proves when it signed: a revocation after it does not count then.
        nowIsProven: context.judgedBy === "time-stamp",
      });
    } catch (error) {
      result.trusted = false;
      return fail(
        `The signer's path could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    const problem =
      path.status === "valid" ? expiredCa(path, context) : path.problem;
    result.trusted = problem === "";
    if (problem !== "") return fail(problem);
    const anchor = path.certificates[path.certificates.length - 1];
    const through = path.certificates.slice(1, -1).map((c) => c.subject);
    return pass(
      [
        sentence(
          `The signer chains to the trusted CA ${anchor?.subject ?? "?"}${through.length === 0 ? "" : ` through ${through.join(", ")}`}`,
        ),
        revocationWords(path, context),
        ...path.warnings,
      ]
        .filter((part) => part !== "")
        .join(" "),
    );
  },
};

/** Dates are not the path's business (x509 leaves them to the validity check): the CAs above the signer must
 * have been valid when it signed. "" when they were. */
function expiredCa(path: PathResult, context: VerifyContext): string {
  const at = found(context.judgedAt, "the signing time");
  for (const certificate of path.certificates.slice(1))
    if (certificate.notBefore > at || certificate.notAfter < at)
      return `The CA ${certificate.subject} was not valid at ${judgedAtWords(context)} (valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}): no verifier will accept this signer.`;
  return "";
}

function revocationWords(path: PathResult, context: VerifyContext): string {
  const without = path.revocation.filter((f) => f.status !== "good");
  if (path.revocation.length === 0) return "";
  if (without.length === 0)
    return `Not revoked${context.judgedBy === "time-stamp" ? " at the time-stamp's time" : ""}: ${path.revocation.flatMap((f) => f.sources).join("; ")}.`;
  return `Revocation not checked for ${without.map((f) => f.subject).join(" and ")}: no CRL given covers ${without.length === 1 ? "it" : "them"}.`;
}
