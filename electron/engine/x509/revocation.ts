// Revocation from what the plan holds and what the server staples, never from the network (DESIGN §5): CRLs
// (PEM or DER, read by pkijs, signature checked against the issuer on the path) and the OCSP response a server
// staples (good / revoked / unknown, signed by the issuer or by a responder it delegated with id-kp-OCSPSigning,
// inside its validity window).
import { DIGEST_NAMES, OID } from "./oids";
import * as pkijs from "pkijs";
import {
  EKU,
  issuerHashes,
  namesIssuer,
  normalizeSerial,
  parseCertificate,
  signedBy,
  type ParsedCertificate,
} from "./parse";
import {
  escapeNameValue,
  oneLineName,
} from "../../../shared/evidence/distinguished-name";
import { verifySignedData } from "./signature";

export class CrlReadError extends Error {
  override readonly name = "CrlReadError";
}

export interface RevokedEntry {
  revokedAt: Date;
  /** RFC 5280 §5.3.1 name, e.g. "keyCompromise"; "" when the CRL gives none. */
  reason: string;
}

export interface ParsedCrl {
  der: Buffer;
  crl: pkijs.CertificateRevocationList;
  /** One line, most specific first. */
  issuer: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** By normalized serial number. */
  revoked: Map<string, RevokedEntry>;
}

/** What the plan and the setup screen show about one CRL. */
export interface CrlSummary {
  issuer: string;
  thisUpdate: string;
  nextUpdate: string | null;
  entries: number;
}

const REASONS = [
  "unspecified",
  "keyCompromise",
  "cACompromise",
  "affiliationChanged",
  "superseded",
  "cessationOfOperation",
  "certificateHold",
  "",
  "removeFromCRL",
  "privilegeWithdrawn",
  "aACompromise",
] as const;

const reasonName = (code: number | undefined): string =>
  code === undefined ? "" : (REASONS[code] ?? `reason ${code}`);

/** Every CRL of a text or binary file: PEM blocks ("X509 CRL"), or one DER CRL. */
export function splitCrls(bytes: Uint8Array): Buffer[] {
  const text = Buffer.from(bytes).toString("latin1");
  if (text.includes("-----BEGIN")) {
    const blocks = [
      ...text.matchAll(
        /-----BEGIN X509 CRL-----([A-Za-z0-9+/=\s]+?)-----END X509 CRL-----/g,
      ),
    ].map((m) => Buffer.from((m[1] ?? "").replace(/\s+/g, ""), "base64"));
    if (blocks.length === 0)
      throw new CrlReadError(
        /-----BEGIN CERTIFICATE-----/.test(text)
          ? "it holds a certificate, not a CRL (a CRL's PEM starts with -----BEGIN X509 CRL-----)."
          : "it holds no -----BEGIN X509 CRL----- block.",
      );
    return blocks;
  }
  return [Buffer.from(bytes)];
}

const cache = new Map<string, ParsedCrl>();

/** Reads one DER CRL; throws CrlReadError with the reason. */
export function parseCrl(der: Uint8Array): ParsedCrl {
  const bytes = Buffer.from(der);
  const key = bytes.toString("base64");
  const known = cache.get(key);
  if (known !== undefined) return known;
  if (bytes.length === 0) throw new CrlReadError("the file is empty.");
  let crl: pkijs.CertificateRevocationList;
  try {
    crl = pkijs.CertificateRevocationList.fromBER(bytes);
  } catch (error) {
    throw new CrlReadError(
      "it is not a certificate revocation list (neither PEM nor DER X.509 CRL).",
      { cause: error },
    );
  }
  const revoked = new Map<string, RevokedEntry>();
  for (const entry of crl.revokedCertificates ?? []) {
    const reasonExtension = entry.crlEntryExtensions?.extensions.find(
      (e) => e.extnID === OID.crlReason,
    );
    const reasonValue = reasonExtension?.parsedValue as
      { valueBlock?: { valueDec?: number } } | undefined;
    revoked.set(
      normalizeSerial(
        Buffer.from(entry.userCertificate.valueBlock.valueHexView).toString(
          "hex",
        ),
      ),
      {
        revokedAt: entry.revocationDate.value,
        reason: reasonName(reasonValue?.valueBlock?.valueDec),
      },
    );
  }
  const parsed: ParsedCrl = {
    der: bytes,
    crl,
    issuer: oneLineName(nodeStyleName(crl.issuer)),
    thisUpdate: crl.thisUpdate.value,
    nextUpdate: crl.nextUpdate?.value ?? null,
    revoked,
  };
  if (cache.size > 256) cache.clear();
  cache.set(key, parsed);
  return parsed;
}

/**
 * Reads a CRL file (PEM, several PEM blocks, or DER) for the plan or `--crl`; throws CrlReadError with a
 * sentence naming the file and why.
 */
export function readCrlFile(bytes: Uint8Array, fileName: string): ParsedCrl[] {
  try {
    return splitCrls(bytes).map(parseCrl);
  } catch (error) {
    if (error instanceof CrlReadError)
      throw new CrlReadError(
        `The CRL file ${fileName} could not be read: ${error.message} Give the CRL the CA publishes, as PEM or DER.`,
        { cause: error },
      );
    throw error;
  }
}

/** A DER CRL as the plan keeps it. */
export function crlPem(der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString("base64")
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN X509 CRL-----\n${lines.join("\n")}\n-----END X509 CRL-----\n`;
}

export function crlSummary(crl: ParsedCrl): CrlSummary {
  return {
    issuer: crl.issuer,
    thisUpdate: crl.thisUpdate.toISOString(),
    nextUpdate: crl.nextUpdate?.toISOString() ?? null,
    entries: crl.revoked.size,
  };
}

/** The CRL's issuer name in Node's "C=DE\nO=…\nCN=…" form, escaped as Node escapes it, so it reads like a
 * certificate's (and commonName reads it back). */
function nodeStyleName(name: pkijs.RelativeDistinguishedNames): string {
  const short: Record<string, string> = {
    [OID.commonName]: "CN",
    [OID.country]: "C",
    [OID.locality]: "L",
    [OID.state]: "ST",
    [OID.organization]: "O",
    [OID.organizationalUnit]: "OU",
    [OID.emailAddress]: "emailAddress",
    [OID.domainComponent]: "DC",
  };
  return name.typesAndValues
    .map((tv) => {
      const value = (tv.value as { valueBlock?: { value?: unknown } })
        .valueBlock?.value;
      return `${short[tv.type] ?? tv.type}=${typeof value === "string" ? escapeNameValue(value) : ""}`;
    })
    .join("\n");
}

/** Whether `issuer` signed `crl` and may sign CRLs (cRLSign where keyUsage is present). */
export function crlSignedBy(
  crl: ParsedCrl,
  issuer: ParsedCertificate,
): boolean {
  if (!crl.crl.issuer.isEqual(issuer.pkijs.subject)) return false;
  if (issuer.keyUsage !== null && !issuer.keyUsage.includes("cRLSign"))
    return false;
  return verifySignedData(
    crl.crl.tbsView,
    crl.crl.signature,
    crl.crl.signatureValue.valueBlock.valueHexView,
    issuer.x509.publicKey,
  );
}

// ---- OCSP ---------------------------------------------------------------------------------------------------

export interface OcspStatus {
  status: "good" | "revoked" | "unknown";
  revokedAt: Date | null;
  reason: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  /** Who signed it: "the issuer" or the delegated responder's subject. */
  signer: string;
}

export type OcspReading =
  /** A response for this certificate, signed properly, inside its window. */
  | { kind: "status"; status: OcspStatus }
  /** A response that cannot count, with the reason as a sentence fragment. */
  | {
      kind: "unusable";
      problem:
        | "unreadable"
        | "not-successful"
        | "not-for-certificate"
        | "bad-signature"
        | "expired"
        | "not-yet-valid";
      detail: string;
    };

const OCSP_RESPONSE_STATUS = [
  "successful",
  "malformedRequest",
  "internalError",
  "tryLater",
  "",
  "sigRequired",
  "unauthorized",
];

/** Clock tolerance for an OCSP response's thisUpdate (servers' clocks drift a little). */
const OCSP_SKEW_MS = 5 * 60_000;

/**
 * Reads the OCSP response a server stapled for `certificate` (issued by `issuer`) at `now`. Never throws.
 */
export function readOcspStaple(
  der: Uint8Array,
  certificate: ParsedCertificate,
  issuer: ParsedCertificate,
  now: Date,
): OcspReading {
  const unusable = (
    problem: Extract<OcspReading, { kind: "unusable" }>["problem"],
    detail: string,
  ): OcspReading => ({ kind: "unusable", problem, detail });
  let basic: pkijs.BasicOCSPResponse;
  try {
    const response = pkijs.OCSPResponse.fromBER(Buffer.from(der));
    const code = response.responseStatus.valueBlock.valueDec;
    if (code !== 0)
      return unusable(
        "not-successful",
        `the responder answered ${OCSP_RESPONSE_STATUS[code] ?? `status ${code}`}`,
      );
    if (response.responseBytes === undefined)
      return unusable("unreadable", "it carries no response");
    basic = pkijs.BasicOCSPResponse.fromBER(
      response.responseBytes.response.valueBlock.valueHexView,
    );
  } catch {
    return unusable("unreadable", "it is not a readable OCSP response");
  }
  const single = basic.tbsResponseData.responses.find((response) => {
    const id = response.certID;
    const digest = DIGEST_NAMES[id.hashAlgorithm.algorithmId];
    if (digest === undefined) return false;
    const hashes = issuerHashes(issuer, digest);
    return (
      normalizeSerial(
        Buffer.from(id.serialNumber.valueBlock.valueHexView).toString("hex"),
      ) === certificate.serialNumber &&
      Buffer.from(id.issuerNameHash.valueBlock.valueHexView)
        .toString("hex")
        .toUpperCase() === hashes.nameHash &&
      Buffer.from(id.issuerKeyHash.valueBlock.valueHexView)
        .toString("hex")
        .toUpperCase() === hashes.keyHash
    );
  });
  if (single === undefined)
    return unusable(
      "not-for-certificate",
      "it speaks about another certificate",
    );

  // Who signed it: the issuer itself, or a responder certificate the issuer issued for OCSP signing.
  const signature = basic.signature.valueBlock.valueHexView;
  const tbs = basic.tbsResponseData.tbsView;
  let signer: string | null = null;
  if (
    verifySignedData(
      tbs,
      basic.signatureAlgorithm,
      signature,
      issuer.x509.publicKey,
    )
  )
    signer = "the issuer";
  else {
    for (const candidate of basic.certs ?? []) {
      let responder: ParsedCertificate;
      try {
        responder = parseCertificate(
          new Uint8Array(candidate.toSchema().toBER(false)),
        );
      } catch {
        continue;
      }
      const delegated =
        namesIssuer(responder, issuer) &&
        signedBy(responder, issuer) &&
        (responder.extendedKeyUsage ?? []).includes(EKU.OCSPSigning);
      if (
        delegated &&
        verifySignedData(
          tbs,
          basic.signatureAlgorithm,
          signature,
          responder.x509.publicKey,
        )
      ) {
        signer = responder.subject;
        break;
      }
    }
  }
  if (signer === null)
    return unusable(
      "bad-signature",
      "it is signed neither by the issuer nor by an OCSP responder the issuer delegated (id-kp-OCSPSigning)",
    );

  const thisUpdate = single.thisUpdate;
  const nextUpdate = single.nextUpdate ?? null;
  if (thisUpdate.getTime() > now.getTime() + OCSP_SKEW_MS)
    return unusable(
      "not-yet-valid",
      `it is dated ${thisUpdate.toISOString()}, in the future`,
    );
  if (nextUpdate !== null && nextUpdate.getTime() < now.getTime())
    return unusable(
      "expired",
      `it expired on ${nextUpdate.toISOString().slice(0, 16).replace("T", " ")} UTC`,
    );

  const status = single.certStatus as {
    idBlock: { tagClass: number; tagNumber: number };
    valueBlock: { value?: unknown[] };
  };
  const base = { thisUpdate, nextUpdate, signer, revokedAt: null, reason: "" };
  switch (status.idBlock.tagNumber) {
    case 0:
      return { kind: "status", status: { ...base, status: "good" } };
    case 1: {
      const info = readRevokedInfo(single.certStatus);
      return {
        kind: "status",
        status: { ...base, status: "revoked", ...info },
      };
    }
    default:
      return { kind: "status", status: { ...base, status: "unknown" } };
  }
}

/** RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime, revocationReason [0] EXPLICIT CRLReason OPTIONAL } */
function readRevokedInfo(certStatus: unknown): {
  revokedAt: Date | null;
  reason: string;
} {
  const parts =
    (certStatus as { valueBlock?: { value?: unknown[] } }).valueBlock?.value ??
    [];
  const time = parts[0] as { toDate?: () => Date } | undefined;
  const reasonWrapper = parts[1] as
    | { valueBlock?: { value?: { valueBlock?: { valueDec?: number } }[] } }
    | undefined;
  return {
    revokedAt: typeof time?.toDate === "function" ? time.toDate() : null,
    reason: reasonName(
      reasonWrapper?.valueBlock?.value?.[0]?.valueBlock?.valueDec,
    ),
  };
}
