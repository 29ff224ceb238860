// RFC 3161 time-stamps, as bytes: the request Cellcert sends (SHA-256 imprint, nonce, certReq), the reply it
// reads (PKIStatusInfo and token), and the token's TSTInfo and signature checked in full — the imprint and the
// nonce against what was asked, the token's CMS signature with the TSA certificate it carries, that
// certificate's extended key usage (timeStamping, alone and critical: RFC 3161 §2.3), and its time. Pure: no I/O.
import { createHash, type X509Certificate } from "node:crypto";
import { oneLineName } from "../../../shared/evidence/distinguished-name";
import { TIME_STAMPING, leafPurposeProblems, parseCertificate } from "../x509";
import {
  HASHES,
  essCertificateCheck,
  readSignedData,
  signatureVerifies,
  type CmsHash,
  type ParsedCms,
} from "./cms-reader";
import { oidDer, tlv } from "./cms";
import {
  DerError,
  TAG,
  child,
  contents,
  isUniversal,
  readDer,
  readOid,
  whole,
  type DerNode,
} from "./der";
import { OID } from "./oids";

/** A reply larger than this is no time-stamp (a token with a few certificates is 2–8 KiB). */
export const MAX_TIME_STAMP_REPLY_BYTES = 256 * 1024;

/** How far the TSA's time may be from the laptop's before Cellcert asks which clock is wrong. */
export const MAX_TIME_STAMP_SKEW_MS = 24 * 60 * 60 * 1000;

/** TimeStampReq (RFC 3161 §2.4.1): version 1, SHA-256 imprint, nonce, certReq TRUE. */
export function timeStampRequest(
  imprint: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  const sha256 = tlv(0x30, oidDer(OID.sha256), Buffer.from([0x05, 0x00]));
  return tlv(
    0x30,
    tlv(0x02, Buffer.from([1])),
    tlv(0x30, sha256, tlv(0x04, imprint)),
    tlv(0x02, integerBytes(nonce)),
    Buffer.from([0x01, 0x01, 0xff]),
  );
}

/** PKIStatus values (RFC 3161 §2.4.2); 0 and 1 carry a token. */
const STATUS_WORDS: Readonly<Record<number, string>> = {
  0: "granted",
  1: "grantedWithMods",
  2: "rejection",
  3: "waiting",
  4: "revocationWarning",
  5: "revocationNotification",
};

/** PKIFailureInfo bits (RFC 3161 §2.4.2). */
const FAILURE_WORDS: Readonly<Record<number, string>> = {
  0: "badAlg",
  2: "badRequest",
  5: "badDataFormat",
  14: "timeNotAvailable",
  15: "unacceptedPolicy",
  16: "unacceptedExtension",
  17: "addInfoNotAvailable",
  25: "systemFailure",
};

export type TimeStampReply =
  { granted: true; token: Uint8Array } | { granted: false; refusal: string };

/** Reads a TimeStampResp. Throws DerError (with a phrase) when it is none. */
export function readTimeStampReply(bytes: Uint8Array): TimeStampReply {
  const response = readDer(bytes);
  if (!isUniversal(response, TAG.sequence))
    throw new DerError("not a TimeStampResp");
  if (response.end !== bytes.length)
    throw new DerError("bytes follow the TimeStampResp");
  const statusInfo = child(response, 0);
  const statusNode = child(statusInfo, 0);
  if (
    !isUniversal(statusInfo, TAG.sequence) ||
    !isUniversal(statusNode, TAG.integer)
  )
    throw new DerError("the reply has no PKIStatusInfo");
  const status = smallInteger(bytes, statusNode);
  const token = child(response, 1);
  if (status === 0 || status === 1) {
    if (token === undefined)
      throw new DerError(
        `the status is ${STATUS_WORDS[status] ?? status} but no token follows`,
      );
    return { granted: true, token: new Uint8Array(whole(bytes, token)) };
  }
  // statusString (PKIFreeText: SEQUENCE OF UTF8String) and failInfo (BIT STRING), both optional.
  const details: string[] = [];
  for (const part of statusInfo.children.slice(1)) {
    if (isUniversal(part, TAG.sequence))
      for (const text of part.children)
        details.push(
          printable(
            Buffer.from(contents(bytes, text)).toString("utf8"),
          ).replace(/[.\s]+$/, ""),
        );
    else if (isUniversal(part, TAG.bitString)) {
      const bits = contents(bytes, part).subarray(1);
      const names = Object.entries(FAILURE_WORDS)
        .filter(([bit]) => {
          const index = Number(bit);
          return ((bits[index >> 3] ?? 0) & (0x80 >> (index & 7))) !== 0;
        })
        .map(([, name]) => name);
      if (names.length > 0) details.push(`failInfo ${names.join(", ")}`);
    }
  }
  const word = STATUS_WORDS[status] ?? `status ${status}`;
  return {
    granted: false,
    refusal: details.length === 0 ? word : `${word}: ${details.join("; ")}`,
  };
}

/** What a time-stamp token says, once it has been checked. */
export interface TimeStampTokenReading {
  genTime: Date;
  /** The TSA's policy under which it was issued (TSAPolicyId). */
  policy: string;
  /** The token's serial number, hex. */
  serialNumber: string;
  /** The TSA's certificate, carried in the token (certReq). */
  tsaCertificate: X509Certificate;
  /** Its subject, "CN=…, O=…". */
  tsaName: string;
  /** Every certificate the token carries: the TSA's and, where the TSA sends them, its issuers. */
  certificates: X509Certificate[];
}

export interface TimeStampExpectation {
  /** The SHA-256 the request's imprint carried: of the signature value. */
  imprint: Uint8Array;
  nonce: Uint8Array;
  /** The laptop's clock when it asked. */
  now: Date;
  /** The signer's certificate must be valid at the time-stamp's time, or the signature would be judged invalid. */
  signerCertificate: X509Certificate;
}

/**
 * What is wrong with a token: "unreadable" (not a token Cellcert can read), "imprint" (over another hash than the
 * signature value's), "no-certificate" (the TSA's certificate is not in it), "signature" (its content type,
 * message digest, signature or ESS signing-certificate does not hold), "usage" (its certificate is not a TSA's),
 * "validity" (dated outside its certificate's validity) — and, at signing only, "nonce", "clock" and
 * "signer-validity".
 */
export type TimeStampTokenProblem =
  | "unreadable"
  | "imprint"
  | "no-certificate"
  | "signature"
  | "usage"
  | "validity"
  | "nonce"
  | "clock"
  | "signer-validity";

/** A token that does not pass: what is wrong, as a phrase after "answered with a time-stamp …". */
export class TimeStampTokenError extends Error {
  override readonly name = "TimeStampTokenError";
  constructor(
    readonly problem: TimeStampTokenProblem,
    phrase: string,
  ) {
    super(phrase);
  }
}

/** The imprint a token must carry: the one Cellcert asked for (SHA-256), or — verifying — that of the signature
 * value, with whichever SHA-2 hash the token names. */
export type ImprintExpectation =
  { imprint: Uint8Array } | { signatureValue: Uint8Array };

/**
 * The checks signing and verifying share: the token's structure (a SignedData of an id-ct-TSTInfo and nothing
 * after it), its imprint, the TSA's certificate in it, its content type, message digest, signature and ESS
 * signing-certificate with that certificate, the certificate's usages (tsaCertificateProblem), and its time
 * within the certificate's validity. Throws TimeStampTokenError with what is wrong. Whether the TSA is trusted
 * (a path to a CA) is the caller's to judge.
 */
export function checkTimeStampTokenOver(
  token: Uint8Array,
  expected: ImprintExpectation,
): TimeStampTokenReading & { nonce: Buffer | null } {
  const wrong = (
    problem: TimeStampTokenProblem,
    phrase: string,
  ): TimeStampTokenError => new TimeStampTokenError(problem, phrase);
  let cms: ParsedCms;
  let info: TstInfo;
  try {
    cms = readSignedData(token);
    if (cms.der.length !== token.length)
      throw new DerError("bytes follow the token");
    if (cms.encapsulated?.contentType !== OID.tstInfo)
      throw new DerError("its content is not a TSTInfo");
    info = readTstInfo(cms.encapsulated.content);
  } catch (error) {
    if (!(error instanceof DerError)) throw error;
    throw wrong("unreadable", `token Cellcert cannot read (${error.message})`);
  }
  if (!imprintMatches(info, expected))
    throw wrong(
      "imprint",
      "over another hash than the signature's (its message imprint is not the one sent)",
    );

  const tsaCertificate = cms.certificates.find((c) => cms.identifies(c));
  if (tsaCertificate === undefined)
    throw wrong(
      "no-certificate",
      "without the TSA's own certificate, which Cellcert asks for (certReq) so that it travels in the token",
    );
  const tsaName = oneLineName(tsaCertificate.subject);
  if (cms.contentType !== OID.tstInfo)
    throw wrong("signature", "whose signed content type is not id-ct-TSTInfo");
  const digest = createHash(cms.digestAlgorithm)
    .update(cms.encapsulated.content)
    .digest();
  if (cms.messageDigest === null || !digest.equals(cms.messageDigest))
    throw wrong(
      "signature",
      "whose signed message digest does not match its TSTInfo",
    );
  let verifies: boolean;
  try {
    verifies = signatureVerifies(cms, tsaCertificate);
  } catch {
    verifies = false; // a key of a type the algorithm cannot use
  }
  if (!verifies)
    throw wrong(
      "signature",
      `whose signature does not verify with the certificate it carries (${tsaName})`,
    );
  const ess = essCertificateCheck(cms, tsaCertificate);
  if (ess === "missing")
    throw wrong(
      "signature",
      "without the ESS signing-certificate attribute naming the TSA's certificate (RFC 3161 §2.4.1)",
    );
  if (ess !== "ok")
    throw wrong(
      "signature",
      `whose ESS signing-certificate names another certificate than the one that signed it (${tsaName})`,
    );
  const usage = tsaCertificateProblem(tsaCertificate);
  if (usage !== null) throw wrong("usage", `signed by ${tsaName}, ${usage}`);

  const at = info.genTime;
  const from = new Date(tsaCertificate.validFrom);
  const to = new Date(tsaCertificate.validTo);
  if (at < from || at > to)
    throw wrong(
      "validity",
      `dated ${isoMinute(at)}, outside the validity of its own certificate (${isoMinute(from)} to ${isoMinute(to)})`,
    );
  return {
    genTime: at,
    policy: info.policy,
    serialNumber: info.serialNumber,
    tsaCertificate,
    tsaName,
    certificates: cms.certificates,
    nonce: info.nonce,
  };
}

/** Reads and checks a token against what was asked at signing; throws TimeStampTokenError with what is wrong. */
export function checkTimeStampToken(
  token: Uint8Array,
  expected: TimeStampExpectation,
): TimeStampTokenReading {
  const { nonce, ...reading } = checkTimeStampTokenOver(token, {
    imprint: expected.imprint,
  });
  if (nonce === null)
    throw new TimeStampTokenError(
      "nonce",
      "without the nonce Cellcert sent, so it may answer another request",
    );
  if (!nonce.equals(integerBytes(expected.nonce)))
    throw new TimeStampTokenError(
      "nonce",
      "for another request (its nonce is not the one sent)",
    );
  const at = reading.genTime;
  const when = isoMinute(at);
  const skew = at.getTime() - expected.now.getTime();
  if (Math.abs(skew) > MAX_TIME_STAMP_SKEW_MS)
    throw new TimeStampTokenError(
      "clock",
      `dated ${when}, ${describeSkew(skew)} this laptop's clock (${isoMinute(expected.now)}): check which of the two clocks is wrong`,
    );
  const signer = expected.signerCertificate;
  const signerFrom = new Date(signer.validFrom);
  const signerTo = new Date(signer.validTo);
  if (at < signerFrom || at > signerTo)
    throw new TimeStampTokenError(
      "signer-validity",
      `dated ${when}, when the engineer's certificate was not valid (${isoMinute(signerFrom)} to ${isoMinute(signerTo)})`,
    );
  return reading;
}

/**
 * What keeps a certificate from signing time-stamps, or null, as a phrase after "whose": RFC 3161 §2.3 wants the
 * extended key usage timeStamping, alone and critical; a keyUsage, where present, must allow signing. The rule is
 * x509's TIME_STAMPING purpose, the one the TSA's path is validated for too.
 */
export function tsaCertificateProblem(
  certificate: X509Certificate,
): string | null {
  let problems;
  try {
    problems = leafPurposeProblems(
      parseCertificate(certificate.raw),
      TIME_STAMPING,
    );
  } catch {
    return "whose certificate cannot be read for its usages";
  }
  const first = problems[0];
  if (first === undefined) return null;
  // "it does not have …" → "whose certificate does not have …"; "its key usage …" → "whose certificate's key usage …".
  return first.detail.startsWith("its ")
    ? `whose certificate's ${first.detail.slice("its ".length)}`
    : `whose certificate ${first.detail.replace(/^it /, "")}`;
}

/** The imprint Cellcert asks a time-stamp over: the SHA-256 of the signature value (RFC 3161 Appendix A). */
export function signatureImprint(signatureValue: Uint8Array): Buffer {
  return createHash("sha256").update(signatureValue).digest();
}

function imprintMatches(info: TstInfo, expected: ImprintExpectation): boolean {
  if ("imprint" in expected)
    return (
      info.imprintAlgorithm === "sha256" &&
      info.imprint.equals(Buffer.from(expected.imprint))
    );
  const algorithm = info.imprintAlgorithm;
  return (
    algorithm !== null &&
    algorithm !== "sha1" &&
    createHash(algorithm)
      .update(expected.signatureValue)
      .digest()
      .equals(info.imprint)
  );
}

// ---- TSTInfo ------------------------------------------------------------------------------------------------

interface TstInfo {
  policy: string;
  /** null: a hash Cellcert does not know. */
  imprintAlgorithm: CmsHash | null;
  imprint: Buffer;
  serialNumber: string;
  genTime: Date;
  nonce: Buffer | null;
}

/** TSTInfo (RFC 3161 §2.4.2): version, policy, messageImprint, serialNumber, genTime, then optional fields. */
function readTstInfo(der: Buffer): TstInfo {
  const info = readDer(der);
  if (!isUniversal(info, TAG.sequence) || info.end !== der.length)
    throw new DerError("the TSTInfo is not one SEQUENCE");
  const [version, policy, imprint, serial, genTime, ...rest] = info.children;
  if (!isUniversal(version, TAG.integer) || smallInteger(der, version) !== 1)
    throw new DerError("the TSTInfo is not version 1");
  const algorithm = readOid(der, child(child(imprint, 0), 0));
  const hashed = child(imprint, 1);
  if (!isUniversal(hashed, TAG.octetString))
    throw new DerError("the TSTInfo has no message imprint");
  if (!isUniversal(serial, TAG.integer))
    throw new DerError("the TSTInfo has no serial number");
  if (genTime === undefined || genTime.tagClass !== 0 || genTime.tag !== 24)
    throw new DerError("the TSTInfo has no GeneralizedTime");
  const nonceNode = rest.find((node) => isUniversal(node, TAG.integer));
  return {
    policy: readOid(der, policy),
    imprintAlgorithm: HASHES[algorithm] ?? null,
    imprint: Buffer.from(contents(der, hashed)),
    serialNumber: Buffer.from(contents(der, serial))
      .toString("hex")
      .toUpperCase(),
    genTime: generalizedTime(
      Buffer.from(contents(der, genTime)).toString("latin1"),
    ),
    nonce:
      nonceNode === undefined ? null : integerBytes(contents(der, nonceNode)),
  };
}

/** "20261201165307Z" or "20261201165307.123Z" (RFC 3161: UTC, no trailing zeros). */
function generalizedTime(text: string): Date {
  const match =
    /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\.\d{1,6})?Z$/.exec(text);
  if (match === null)
    throw new DerError(
      `the genTime "${printable(text)}" is not a UTC GeneralizedTime`,
    );
  const [, y, mo, d, h, mi, s, fraction] = match;
  const date = new Date(
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      Math.floor(Number(fraction ?? "0") * 1000),
    ),
  );
  if (Number.isNaN(date.getTime()))
    throw new DerError(`the genTime "${text}" is not a date`);
  return date;
}

// ---- small things -----------------------------------------------------------------------------------------

/** An INTEGER's content bytes for a non-negative value: minimal, with a 0x00 before a high bit. */
function integerBytes(value: Uint8Array): Buffer {
  let start = 0;
  while (
    start < value.length - 1 &&
    value[start] === 0 &&
    ((value[start + 1] ?? 0) & 0x80) === 0
  )
    start++;
  const trimmed = Buffer.from(value.subarray(start));
  return (trimmed[0] ?? 0) & 0x80
    ? Buffer.concat([Buffer.from([0]), trimmed])
    : trimmed;
}

function smallInteger(bytes: Uint8Array, node: DerNode): number {
  const body = contents(bytes, node);
  if (body.length > 4) return -1;
  let value = 0;
  for (const byte of body) value = value * 256 + byte;
  return value;
}

function printable(text: string): string {
  // eslint-disable-next-line no-control-regex -- a TSA's free text may carry anything
  return text.replace(/[\u0000-\u001f\u007f]/g, " ").slice(0, 300);
}

function isoMinute(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function describeSkew(skewMs: number): string {
  const hours = Math.abs(skewMs) / 3_600_000;
  const amount =
    hours >= 48
      ? `${Math.round(hours / 24)} days`
      : `${Math.round(hours)} hours`;
  return `${amount} ${skewMs > 0 ? "ahead of" : "behind"}`;
}
