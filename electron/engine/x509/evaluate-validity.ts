// The validity check (…cert.validity): every certificate of the path valid now, the first to expire named, and a
// warning inside the policy's headroom.
import { shortName } from "../../../shared/evidence/distinguished-name";
import {
  notTested,
  outcome,
  type CheckOutcome,
} from "../../../shared/verdicts/outcome";
import { quote, type JudgedCertificate } from "./evaluate-shared";

const DAY_MS = 86_400_000;

export interface ValidityOptions {
  /** The name the client asked for, as the leaf is named in sentences. */
  referenceName: string;
  headroomDays: number;
  now: Date;
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

export function judgeValidity(
  checkId: string,
  judged: readonly JudgedCertificate[],
  options: ValidityOptions,
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
  // The dates measured are those of the certificate the verdict is about: the leaf's, unless another one decides.
  const measuredOf = (certificate: JudgedCertificate): string => {
    const dates = `valid ${isoDay(new Date(certificate.info.notBefore))} to ${isoDay(new Date(certificate.info.notAfter))}`;
    return certificate.role === "leaf"
      ? dates
      : `${certificate.role} ${quote(shortName(certificate.info.subject))} ${dates}`;
  };
  if (expired !== undefined) {
    const notAfter = new Date(expired.info.notAfter);
    const ago = Math.floor((now - notAfter.getTime()) / DAY_MS);
    return outcome(
      checkId,
      "fail",
      `${whose(expired, options.referenceName)} expired on ${isoDay(notAfter)} (${ago === 0 ? "today" : `${days(ago)} ago`}). Renew it and install the new certificate.`,
      {
        measured: measuredOf(expired),
        threshold,
        headroom: `expired ${days(ago)} ago`,
      },
    );
  }
  if (notYet !== undefined) {
    const notBefore = new Date(notYet.info.notBefore);
    const inDays = Math.ceil((notBefore.getTime() - now) / DAY_MS);
    return outcome(
      checkId,
      "fail",
      `${whose(notYet, options.referenceName)} is not valid until ${isoDay(notBefore)} (in ${days(inDays)}). Check the issuing date of the certificate, and the clocks of the server and this laptop.`,
      {
        measured: measuredOf(notYet),
        threshold,
        headroom: `valid in ${days(inDays)}`,
      },
    );
  }
  const soonestNotAfter = new Date(soonest.info.notAfter);
  const left = Math.floor((soonestNotAfter.getTime() - now) / DAY_MS);
  const headroom = `${days(left)} to expiry; warns below ${headroomDays}`;
  if (left < headroomDays) {
    return outcome(
      checkId,
      "warn",
      `${whose(soonest, options.referenceName)} expires on ${isoDay(soonestNotAfter)}, in ${days(left)} — inside the ${headroomDays}-day headroom. Renew it before it runs out.`,
      { measured: measuredOf(soonest), threshold, headroom },
    );
  }
  return outcome(
    checkId,
    "pass",
    soonest.role === "leaf"
      ? `The certificate for ${options.referenceName} is valid until ${isoDay(soonestNotAfter)}.`
      : `Every certificate of the chain is valid; the first to expire is ${whose(soonest, options.referenceName).replace(/^The /, "the ")}, on ${isoDay(soonestNotAfter)}.`,
    { measured: measuredOf(soonest), threshold, headroom },
  );
}
