// Revocation of each certificate of a path below its anchor, from the plan's CRLs and the OCSP response the
// server staples: a revoked certificate fails the path, a stale CRL or an unusable staple is a warning, and
// policy.requireRevocation fails a path without revocation information for every certificate.
import { crlSignedBy, readOcspStaple, type ParsedCrl } from "./revocation";
import type { Judged, Node, RevocationFinding, TrustInput } from "./path-types";
import { isoDay, type RoleWords } from "./path-words";
import { capitalized } from "../../../shared/wording";

export function judgeRevocation(
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
        problem: `${capitalized(name(i))} (serial ${certificate.serialNumber}) was revoked${revokedAt === null ? "" : ` on ${isoDay(revokedAt)}`}${reason === "" ? "" : ` (reason: ${reason})`}, ${how}: ${role.consequence}. Install a new certificate.`,
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
