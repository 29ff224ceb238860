// What `verify` found about time, in the words the command line and the app both say: the signature's time-stamp
// (when, by whom, under which policy, checked or not), when the signer was judged (the time-stamp's time, or only
// the signer's laptop clock), and what the document keeps for verification years later (its /DSS).

/** The parts of a verify report these words read (the engine's VerifyResult and the contract's VerifyReport). */
export interface VerifiedTimes {
  checks: readonly { id: string; outcome: string }[];
  timeStamp: {
    time: string;
    tsa: string;
    policy: string;
    status: "checked" | "not-checked" | "invalid";
  } | null;
  judgedAt: { time: string; by: "time-stamp" | "signing-time" } | null;
  validationData: {
    certificates: readonly { subject: string }[];
    crls: readonly { issuer: string }[];
    ignored: readonly string[];
  } | null;
}

const utc = (iso: string, to: "minute" | "second"): string =>
  `${iso.slice(0, to === "minute" ? 16 : 19).replace("T", " ")} UTC`;

const count = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? "" : "s"}`;

/**
 * "2026-03-02 15:00:04 UTC by CN=Plant TSA (policy 1.2.3): checked, …", "…: NOT checked, …" — a time-stamp
 * whose authority chains to none of the CAs given is never said to be checked. `addCa` says how to give a CA
 * where these words are read ("give its CA with --ca", "add its CA above").
 */
export function timeStampWords(
  report: VerifiedTimes,
  how: { caGiven: boolean; addCa: string },
): string {
  const stamp = report.timeStamp;
  if (stamp === null)
    return report.checks.some(
      (c) => c.id === "time-stamp" && c.outcome === "fail",
    )
      ? "NOT valid: see the time-stamp check"
      : "none: only the signer's laptop clock says when it was signed";
  const what = `${utc(stamp.time, "second")} by ${stamp.tsa} (policy ${stamp.policy})`;
  switch (stamp.status) {
    case "checked":
      return `${what}: checked, its time-stamping authority chains to a CA given`;
    case "not-checked":
      return `${what}: NOT checked, ${how.caGiven ? "its time-stamping authority chains to none of the CAs given" : "no CA was given"} (${how.addCa} to check it)`;
    case "invalid":
      return `${what}: NOT valid, see the time-stamp check`;
  }
}

/** "2026-03-02 15:00:04 UTC, the time-stamp's time" or "2026-03-02 15:00 UTC, the signing time by the signer's
 * laptop clock"; null when neither was read. */
export function judgedAtWords(report: VerifiedTimes): string | null {
  const at = report.judgedAt;
  if (at === null) return null;
  return at.by === "time-stamp"
    ? `${utc(at.time, "second")}, the time-stamp's time`
    : `${utc(at.time, "minute")}, the signing time by the signer's laptop clock`;
}

/** "2 certificates (CN=…; CN=…) and 1 CRL (CN=…)", or that the document keeps none. */
export function validationDataWords(report: VerifiedTimes): string {
  const data = report.validationData;
  if (data === null) return "nothing: the document has no /DSS";
  const certificates =
    data.certificates.length === 0
      ? "no certificate"
      : `${count(data.certificates.length, "certificate")} (${data.certificates.map((c) => c.subject).join("; ")})`;
  const crls =
    data.crls.length === 0
      ? "no CRL"
      : `${count(data.crls.length, "CRL")} (${data.crls.map((c) => c.issuer).join("; ")})`;
  return `${certificates} and ${crls}${data.ignored.length === 0 ? "" : `; not used: ${data.ignored.join("; ")}`}`;
}
