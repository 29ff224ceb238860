// The steps of `verify` that make a signature verifiable years later (DESIGN §10): the validation data the signed
// revision keeps (/DSS: the signer's chain and its CRLs), which the paths are validated with; and the signature
// time-stamp (PAdES B-T), checked in full — its imprint over the signature value, the TSA's signature, ESS
// signing-certificate and timeStamping usage, and the TSA's path to a given CA — so that the signer is judged at
// the TSA's time instead of the signer's laptop clock. A token that holds but whose TSA chains to none of the
// given CAs is "not checked" and changes nothing; one that does not hold makes the document invalid.
import { X509Certificate } from "node:crypto";
import {
  KEPT_CERTIFICATE_FIELDS,
  summaryPart,
} from "../../../shared/evidence/certificate";
import {
  TIME_STAMPING,
  crlSummary,
  parseCertificate,
  parseCrl,
  summarizeCertificate,
  validatePath,
  type PathResult,
  type PathStatus,
} from "../x509";
import { OID } from "./oids";
import { PdfRef, type PdfFile, type PdfValue } from "./pdf-objects";
import {
  TimeStampTokenError,
  checkTimeStampTokenOver,
  type TimeStampTokenReading,
} from "./timestamp-token";
import {
  fail,
  found,
  pass,
  sentence,
  skipped,
  type TimeStampSummary,
  type ValidationDataSummary,
  type VerifyContext,
  type VerifyStep,
} from "./verify-context";

/** Certificates and CRLs Cellcert reads from a /DSS: a signer's chain and its CRLs are a handful. */
export const DSS_LIMITS = {
  entries: 32,
  /** One certificate or CRL; a CRL of a large plant CA is a few hundred KiB. */
  entryBytes: 2 * 1024 * 1024,
  /** All of them together. */
  totalBytes: 8 * 1024 * 1024,
} as const;

const minute = (date: Date): string =>
  `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
const second = (date: Date): string =>
  `${date.toISOString().slice(0, 19).replace("T", " ")} UTC`;
const plural = (n: number, word: string): string =>
  `${n} ${word}${n === 1 ? "" : "s"}`;

export const dssStep: VerifyStep = {
  id: "dss",
  needs: ["byte-range"],
  run(context) {
    const signed = found(context.signed, "the signed revision");
    const root = signed.dict(signed.trailer?.get("Root"));
    const value = root?.get("DSS");
    // Certificates signed before Cellcert wrote a /DSS have none: nothing wrong, and said.
    if (value === undefined)
      return pass(
        "The signed revision keeps no validation data (/DSS): the paths are built from the certificates in the signature alone.",
      );
    const dss = signed.dict(value);
    if (dss === undefined)
      return skipped(
        "The signed revision's /DSS is not a dictionary: it is not used.",
      );
    const summary: ValidationDataSummary = {
      certificates: [],
      crls: [],
      ignored: [],
    };
    const budget = { bytes: DSS_LIMITS.totalBytes };
    readDssEntries(
      signed,
      dss.get("Certs"),
      "certificate",
      summary,
      budget,
      (der) => {
        const certificate = summarizeCertificate(der);
        context.validation.certificates.push(der);
        summary.certificates.push(
          summaryPart(certificate, KEPT_CERTIFICATE_FIELDS),
        );
      },
    );
    readDssEntries(signed, dss.get("CRLs"), "CRL", summary, budget, (der) => {
      summary.crls.push(crlSummary(parseCrl(der)));
      context.validation.crls.push(der);
    });
    if (dss.get("OCSPs") !== undefined)
      summary.ignored.push("its OCSP responses, which Cellcert does not read");
    context.result.validationData = summary;
    const certificates =
      summary.certificates.length === 0
        ? "no certificate"
        : `${plural(summary.certificates.length, "certificate")} (${summary.certificates.map((c) => c.subject).join("; ")})`;
    const crls =
      summary.crls.length === 0
        ? "no CRL"
        : `${plural(summary.crls.length, "CRL")} (${summary.crls.map((c) => `of ${c.issuer}, ${c.entries} revoked, next update ${c.nextUpdate?.slice(0, 10) ?? "none"}`).join("; ")})`;
    return pass(
      [
        `The signed revision keeps validation data (/DSS) for verification years later: ${certificates} and ${crls}; the paths are validated with them.`,
        summary.ignored.length === 0
          ? ""
          : sentence(`Not used: ${summary.ignored.join("; ")}`),
      ]
        .filter((part) => part !== "")
        .join(" "),
    );
  },
};

/** Each decoded stream of a /DSS array, within DSS_LIMITS, handed to `use`; what is not used (unreadable, not
 * what it should be, beyond the limits) is named in `summary.ignored`. */
function readDssEntries(
  file: PdfFile,
  value: PdfValue | undefined,
  what: "certificate" | "CRL",
  summary: ValidationDataSummary,
  budget: { bytes: number },
  use: (der: Uint8Array) => void,
): void {
  const entries = file.array(value);
  for (const [index, entry] of entries.entries()) {
    if (index >= DSS_LIMITS.entries) {
      summary.ignored.push(
        `${plural(entries.length - index, `more ${what}`)} beyond the ${DSS_LIMITS.entries} Cellcert reads`,
      );
      return;
    }
    const where = `${what} ${index + 1}${entry instanceof PdfRef ? ` (object ${entry.num})` : ""}`;
    const stream = file.streamData(entry);
    if ("problem" in stream) {
      summary.ignored.push(`${where}, which ${stream.problem}`);
      continue;
    }
    if (
      stream.data.length > DSS_LIMITS.entryBytes ||
      stream.data.length > budget.bytes
    ) {
      summary.ignored.push(
        `${where}, larger than the ${DSS_LIMITS.entryBytes / 1024 / 1024} MiB (${DSS_LIMITS.totalBytes / 1024 / 1024} MiB in all) Cellcert reads of validation data`,
      );
      continue;
    }
    budget.bytes -= stream.data.length;
    try {
      use(stream.data);
    } catch {
      summary.ignored.push(
        `${where}, which is not ${what === "CRL" ? "a certificate revocation list" : "an X.509 certificate"}`,
      );
    }
  }
}

/** Path failures that mean only "none of the given CAs issued it": the time-stamp is then not checked. */
const NOT_CHAINED: ReadonlySet<PathStatus> = new Set([
  "untrusted",
  "self-signed",
  "incomplete",
  "no-anchors",
  "empty",
]);

export const timeStampStep: VerifyStep = {
  id: "time-stamp",
  needs: ["signature"],
  async run(context) {
    const cms = found(context.cms, "the CMS");
    const atSigningTime = signingTimeWords(context);
    const attributes = cms.unsignedAttributes.filter(
      (a) => a.type === OID.signatureTimeStampToken,
    );
    const token = attributes[0]?.values[0];
    // Nothing wrong with that (a time-stamp is the plant's choice), but said: only the laptop's clock speaks.
    if (attributes.length === 0)
      return pass(
        `The signature carries no time-stamp (PAdES B-B): the signer is judged at ${atSigningTime}.`,
      );
    const more =
      attributes.reduce((sum, a) => sum + Math.max(1, a.values.length), 0) - 1;
    const others =
      more > 0
        ? ` Only the first time-stamp token is read; the signature carries ${more} more.`
        : "";
    if (token === undefined)
      return skipped(
        `The signature carries a time-stamp attribute without a token Cellcert can read: it is not taken into account, and the signer is judged at ${atSigningTime}.${others}`,
      );

    let reading: TimeStampTokenReading;
    try {
      reading = checkTimeStampTokenOver(token, {
        signatureValue: cms.signature,
      });
    } catch (error) {
      if (!(error instanceof TimeStampTokenError)) throw error;
      if (error.problem === "unreadable")
        return skipped(
          `The signature carries a time-stamp ${error.message}: it is not taken into account, and the signer is judged at ${atSigningTime}.${others}`,
        );
      if (error.problem === "no-certificate")
        return skipped(
          `Time-stamp NOT checked: its token does not carry the time-stamping authority's certificate, so its signature cannot be checked; the signer is judged at ${atSigningTime}.${others}`,
        );
      if (error.problem === "imprint")
        return fail(
          "The signature's time-stamp is not of this signature: its message imprint is not the hash of the signature value, so it was made for another signature or changed.",
        );
      return fail(
        `The signature's time-stamp does not hold: it is a time-stamp ${error.message}.`,
      );
    }

    const summary = summarize(reading);
    context.result.timeStamp = summary;
    const stamped = `Time-stamped ${second(reading.genTime)} by ${reading.tsaName} (policy ${reading.policy}, serial ${reading.serialNumber})`;
    const anchors = givenAnchors(context.options.caPems);
    if (anchors.length === 0) {
      summary.status = "not-checked";
      return skipped(
        `Time-stamp NOT checked: ${stamped}, but no CA was given to check the time-stamping authority against, so the signer is judged at ${atSigningTime}; add the time-stamping authority's CA to the CAs given to check it.`,
      );
    }
    let path: PathResult;
    try {
      path = await validatePath({
        sent: [
          reading.tsaCertificate.raw,
          ...reading.certificates.map((c) => c.raw),
          ...context.validation.certificates,
        ],
        anchors,
        publicRoots: false,
        crls: context.validation.crls,
        purpose: TIME_STAMPING,
        now: reading.genTime,
      });
    } catch (error) {
      summary.status = "invalid";
      return fail(
        `The time-stamping authority's path could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    if (path.status !== "valid" && NOT_CHAINED.has(path.status)) {
      summary.status = "not-checked";
      return skipped(
        `Time-stamp NOT checked: ${stamped}, but the time-stamping authority chains to none of the given CAs (${path.problem.replace(/\.$/, "")}), so the signer is judged at ${atSigningTime}. Give the TSA's CA too to check it.${others}`,
      );
    }
    const problem =
      path.status === "valid"
        ? caNotValidAt(path, reading.genTime)
        : path.problem;
    if (problem !== "") {
      summary.status = "invalid";
      return fail(`The signature's time-stamp does not hold: ${problem}`);
    }
    summary.status = "checked";
    context.judgedAt = reading.genTime;
    context.judgedBy = "time-stamp";
    const anchor = path.certificates[path.certificates.length - 1];
    const signingTime = context.signingTime;
    const clock =
      signingTime === undefined
        ? ""
        : ` The signer's laptop clock said ${second(signingTime)} (/M), ${describeGap(signingTime, reading.genTime)}.`;
    return pass(
      `${stamped}, which chains to the trusted CA ${anchor?.subject ?? "?"}: the signer is judged at the time-stamp's time. Its imprint is the signature value's, and its signature, ESS signing-certificate and timeStamping usage hold.${clock}${others}`,
    );
  },
};

/** The CAs given (PEM) that hold a certificate; the rest are not anchors. */
export function givenAnchors(caPems: readonly string[] | undefined): string[] {
  return (caPems ?? []).filter((pem) => {
    try {
      new X509Certificate(pem);
      return true;
    } catch {
      return false;
    }
  });
}

/** "the time-stamp's time 2026-03-02 15:00 UTC" or "the signing time /M, 2026-03-02 15:00 UTC, which is only the
 * signer's laptop clock" — when the signer is judged. */
export function judgedAtWords(context: VerifyContext): string {
  const at = found(context.judgedAt, "the signing time");
  return context.judgedBy === "time-stamp"
    ? `the time-stamp's time ${minute(at)}`
    : signingTimeWords(context);
}

function signingTimeWords(context: VerifyContext): string {
  const at = found(context.signingTime, "the signing time");
  return `the signing time /M, ${minute(at)}, which is only the signer's laptop clock`;
}

/** The CAs above the TSA must have been valid at its time: "" when they were. */
function caNotValidAt(path: PathResult, at: Date): string {
  for (const certificate of path.certificates.slice(1))
    if (certificate.notBefore > at || certificate.notAfter < at)
      return `the CA ${certificate.subject} was not valid at the time-stamp's time ${minute(at)} (valid ${certificate.notBefore.toISOString()} to ${certificate.notAfter.toISOString()}): no verifier will accept its time-stamps.`;
  return "";
}

function describeGap(signingTime: Date, stampTime: Date): string {
  const ms = stampTime.getTime() - signingTime.getTime();
  const seconds = Math.round(Math.abs(ms) / 1000);
  if (seconds === 0) return "the same second";
  const amount =
    seconds < 120
      ? plural(seconds, "second")
      : seconds < 7200
        ? plural(Math.round(seconds / 60), "minute")
        : seconds < 172_800
          ? plural(Math.round(seconds / 3600), "hour")
          : plural(Math.round(seconds / 86_400), "day");
  return ms >= 0 ? `${amount} before` : `${amount} after`;
}

function summarize(reading: TimeStampTokenReading): TimeStampSummary {
  const certificate = parseCertificate(reading.tsaCertificate.raw);
  return {
    time: reading.genTime.toISOString(),
    tsa: reading.tsaName,
    tsaIssuer: certificate.issuer,
    tsaFingerprintSha256: certificate.fingerprint,
    policy: reading.policy,
    serialNumber: reading.serialNumber,
    status: "invalid",
  };
}
