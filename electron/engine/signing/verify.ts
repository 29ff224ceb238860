// Verifying a signed commissioning certificate, independently of how it was made: the byte range covers the
// whole file but the signature; nothing follows the signed revision; the CMS signature is valid over the signed
// attributes; their message digest matches the signed bytes and their ESS signing-certificate-v2 names the
// signer's certificate (OpenSSL 3.0 does not check that); the signer chains to the given CAs; and the evidence
// file embedded in the PDF hashes to the value in the signed document information.
import {
  X509Certificate,
  createHash,
  verify as verifySignature,
} from "node:crypto";
import type { PlantVerdict } from "../../../shared/plant-words";
import { plantVerdicts } from "../../../shared/plant-words";
import { formatName, sha256Fingerprint } from "../identity/x509";
import {
  DerError,
  TAG,
  child,
  contents,
  isContext,
  isUniversal,
  readDer,
  readOid,
  whole,
  type DerNode,
} from "./der";
import { OID } from "./oids";
import {
  PdfDict,
  PdfFile,
  PdfRef,
  PdfString,
  nameOf,
  parsePdfDate,
  textOf,
  type PdfValue,
} from "./pdf-objects";

/** Keys of the signed document information, as the certificate writes them. */
export const CERTIFICATE_INFO_KEYS = {
  number: "CellcertCertificateNumber",
  evidenceSha256: "CellcertEvidenceSHA256",
  plantVerdict: "CellcertPlantVerdict",
  practice: "CellcertPractice",
} as const;
export const EVIDENCE_ATTACHMENT = "cellcert-evidence.json";

/** The largest document `verify` takes, from any side: browser mode's upload limit (MAX_UPLOAD_BASE64 decoded;
 * a test keeps them equal) and the desktop's import limit. A certificate of a 200-check plant is about 300 KiB. */
export const MAX_CERTIFICATE_BYTES = 24 * 1024 * 1024;

export const verifyCheckIds = [
  "signature-field",
  "byte-range",
  "whole-file",
  "cms",
  "message-digest",
  "signature",
  "signing-certificate",
  "certificate-validity",
  "chain",
  "evidence",
] as const;
export type VerifyCheckId = (typeof verifyCheckIds)[number];

export interface VerifyCheck {
  id: VerifyCheckId;
  outcome: "pass" | "fail" | "skipped";
  /** What was found, as a sentence. */
  message: string;
}

export interface SignerSummary {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  fingerprintSha256: string;
}

export interface VerifyResult {
  /** No check failed. */
  valid: boolean;
  checks: VerifyCheck[];
  signer: SignerSummary | null;
  /** /M of the signature: the laptop's clock when it signed, ISO 8601 UTC. */
  signingTime: string | null;
  certificateNumber: string | null;
  plantVerdict: PlantVerdict | null;
  practice: boolean | null;
  evidenceSha256: string | null;
  /** Whether the signer chains to one of the given CAs; null when none was given. */
  trusted: boolean | null;
  /** Bytes after the end of the signed revision. */
  appendedBytes: number;
}

export interface VerifyOptions {
  /** Trusted commissioning CAs (PEM). Without any, the chain is not judged. */
  caPems?: readonly string[];
  /** For messages: the file's name. */
  fileName?: string;
}

/** The file is not a PDF at all: nothing could be judged (exit 2). */
export class UnreadableDocumentError extends Error {
  override readonly name = "UnreadableDocumentError";
}

/** Judges a document; whatever its bytes, the answer is a result or an UnreadableDocumentError with a sentence. */
export function verifyCertificate(
  pdf: Uint8Array,
  options: VerifyOptions = {},
): VerifyResult {
  try {
    return judgeCertificate(pdf, options);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error;
    // The reader is bounded and every check catches what it expects; this is the net under a fault of ours.
    throw new UnreadableDocumentError(
      `${options.fileName ?? "The document"} could not be read: ${error instanceof Error ? error.message : String(error)}.`,
      { cause: error },
    );
  }
}

function judgeCertificate(
  pdf: Uint8Array,
  options: VerifyOptions,
): VerifyResult {
  const checks: VerifyCheck[] = [];
  const result: VerifyResult = {
    valid: false,
    checks,
    signer: null,
    signingTime: null,
    certificateNumber: null,
    plantVerdict: null,
    practice: null,
    evidenceSha256: null,
    trusted: null,
    appendedBytes: 0,
  };
  const pass = (id: VerifyCheckId, message: string): void =>
    void checks.push({ id, outcome: "pass", message });
  const fail = (id: VerifyCheckId, message: string): void =>
    void checks.push({ id, outcome: "fail", message });
  const skip = (id: VerifyCheckId, message: string): void =>
    void checks.push({ id, outcome: "skipped", message });
  const finish = (): VerifyResult => {
    const done = new Set(checks.map((c) => c.id));
    for (const id of verifyCheckIds)
      if (!done.has(id)) skip(id, "Not checked: an earlier check failed.");
    checks.sort(
      (a, b) => verifyCheckIds.indexOf(a.id) - verifyCheckIds.indexOf(b.id),
    );
    result.valid = checks.every((c) => c.outcome !== "fail");
    return result;
  };

  const file = new PdfFile(pdf);
  const signatures = findSignatures(file);
  const looksLikePdf = Buffer.from(pdf.subarray(0, 1024))
    .toString("latin1")
    .includes("%PDF-");
  if (signatures.length === 0) {
    if (!looksLikePdf && file.objects.size === 0)
      throw new UnreadableDocumentError(
        `${options.fileName ?? "The file"} is not a PDF document.`,
      );
    fail(
      "signature-field",
      file.incomplete === null
        ? "The document carries no signature: it is not a signed Cellcert certificate."
        : `No signature was found in what Cellcert read of the document: it is not a signed Cellcert certificate. ${file.incomplete}`,
    );
    return finish();
  }
  if (signatures.length > 1) {
    fail(
      "signature-field",
      `The document carries ${signatures.length} signatures; a Cellcert certificate carries exactly one.`,
    );
    return finish();
  }
  const [signature] = signatures;
  if (signature === undefined) return finish();
  const subFilter = nameOf(file.resolve(signature.get("SubFilter")));
  const signingTime = parsePdfDate(textOf(file.resolve(signature.get("M"))));
  result.signingTime = signingTime ?? null;
  if (subFilter !== "ETSI.CAdES.detached") {
    fail(
      "signature-field",
      `The signature is of type ${subFilter ?? "unknown"}, not a PAdES signature (ETSI.CAdES.detached).`,
    );
    return finish();
  }
  if (signingTime === undefined) {
    fail("signature-field", "The signature has no signing time (/M).");
    return finish();
  }
  pass(
    "signature-field",
    `One PAdES signature (ETSI.CAdES.detached), signed ${signingTime.slice(0, 16).replace("T", " ")} UTC by the signer's clock.`,
  );

  // ---- byte range ----
  const contentsValue = signature.get("Contents");
  const range = file.array(signature.get("ByteRange"));
  const numbers = range.filter(
    (n): n is number => typeof n === "number" && Number.isInteger(n) && n >= 0,
  );
  if (
    !(contentsValue instanceof PdfString) ||
    !contentsValue.hex ||
    numbers.length !== 4 ||
    range.length !== 4
  ) {
    fail("byte-range", "The signature's /ByteRange or /Contents is malformed.");
    return finish();
  }
  const [start1 = -1, length1 = -1, start2 = -1, length2 = -1] = numbers;
  const signedEnd = start2 + length2;
  if (
    start1 !== 0 ||
    length1 !== contentsValue.start ||
    start2 !== contentsValue.end ||
    signedEnd > pdf.length
  ) {
    fail(
      "byte-range",
      `The byte range [${numbers.join(" ")}] does not cover the whole document except the signature (which is at ${contentsValue.start}–${contentsValue.end}).`,
    );
    return finish();
  }
  pass(
    "byte-range",
    `The byte range [${numbers.join(" ")}] covers everything but the signature itself.`,
  );

  // ---- nothing after the signed revision ----
  result.appendedBytes = pdf.length - signedEnd;
  const revisionTail = Buffer.from(
    pdf.subarray(Math.max(0, signedEnd - 32), signedEnd),
  ).toString("latin1");
  if (result.appendedBytes > 0)
    fail(
      "whole-file",
      `${result.appendedBytes} byte${result.appendedBytes === 1 ? " was" : "s were"} added after the signed revision: the document was changed after signing.`,
    );
  else if (!/%%EOF\s*$/.test(revisionTail))
    fail("whole-file", "The signed revision does not end with %%EOF.");
  else pass("whole-file", "Nothing follows the signed revision.");

  const signedBytes = [
    pdf.subarray(0, length1),
    pdf.subarray(start2, signedEnd),
  ];
  // The signed revision from the same pass over the file: the objects that end where the signature's range does.
  const signed = file.revision(signedEnd);

  // ---- the document information of the signed revision ----
  const info = signed.dict(signed.trailer?.get("Info"));
  const infoText = (key: string): string | undefined =>
    textOf(signed.resolve(info?.get(key)));
  result.certificateNumber = infoText(CERTIFICATE_INFO_KEYS.number) ?? null;
  const verdict = infoText(CERTIFICATE_INFO_KEYS.plantVerdict);
  result.plantVerdict = (plantVerdicts as readonly string[]).includes(
    verdict ?? "",
  )
    ? (verdict as PlantVerdict)
    : null;
  const practice = infoText(CERTIFICATE_INFO_KEYS.practice);
  result.practice = practice === undefined ? null : practice === "true";
  const signedEvidenceHash = infoText(
    CERTIFICATE_INFO_KEYS.evidenceSha256,
  )?.toLowerCase();

  // ---- CMS ----
  let cms: ParsedCms;
  try {
    cms = parseCms(contentsValue.bytes);
  } catch (error) {
    fail(
      "cms",
      `The signature is not a CMS SignedData Cellcert can read: ${error instanceof Error ? error.message : String(error)}.`,
    );
    return finish();
  }
  const signerCertificate = cms.certificates.find((c) => cms.identifies(c));
  if (signerCertificate === undefined) {
    fail("cms", "The signature does not carry the signer's certificate.");
    return finish();
  }
  result.signer = summarize(signerCertificate);
  pass(
    "cms",
    `CMS SignedData with SHA-256, signed by ${result.signer.subject}; ${cms.certificates.length} certificate${cms.certificates.length === 1 ? "" : "s"} embedded.`,
  );

  // ---- digest ----
  const digest = createHash("sha256");
  for (const part of signedBytes) digest.update(part);
  const actual = digest.digest();
  if (cms.contentType !== OID.data)
    fail(
      "message-digest",
      "The signed attributes do not declare the content type id-data.",
    );
  else if (cms.messageDigest === null)
    fail("message-digest", "The signed attributes carry no message digest.");
  else if (!actual.equals(cms.messageDigest))
    fail(
      "message-digest",
      "Digest mismatch: the signed bytes of the document have changed since it was signed.",
    );
  else
    pass(
      "message-digest",
      "The SHA-256 of the signed bytes matches the signed message digest.",
    );

  // ---- the signature itself ----
  try {
    const ok = verifySignature(
      "sha256",
      cms.signedAttributesDer,
      signerCertificate.publicKey,
      cms.signature,
    );
    if (ok)
      pass(
        "signature",
        `The ${cms.signatureAlgorithm} signature over the signed attributes is valid.`,
      );
    else
      fail(
        "signature",
        "The signature does not verify with the signer's public key.",
      );
  } catch (error) {
    fail(
      "signature",
      `The signature could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
    );
  }

  // ---- ESS signing-certificate-v2 ----
  if (cms.essCertificate === null)
    fail(
      "signing-certificate",
      "The signed attributes carry no ESS signing-certificate-v2: not a PAdES signature.",
    );
  else {
    const expected = createHash(cms.essCertificate.hashAlgorithm)
      .update(signerCertificate.raw)
      .digest();
    const issuerMatches =
      cms.essCertificate.issuerSerial === null ||
      (cms.essCertificate.issuerSerial.serial.equals(cms.signerSerial) &&
        cms.essCertificate.issuerSerial.issuer.equals(cms.signerIssuer));
    if (!expected.equals(cms.essCertificate.hash))
      fail(
        "signing-certificate",
        "The ESS signing-certificate-v2 hash does not match the signer's certificate.",
      );
    else if (!issuerMatches)
      fail(
        "signing-certificate",
        "The ESS signing-certificate-v2 names another issuer or serial number than the signer's.",
      );
    else
      pass(
        "signing-certificate",
        "The ESS signing-certificate-v2 names the signer's certificate.",
      );
  }

  // ---- validity at signing time and the chain ----
  const at = new Date(signingTime);
  const validAt = (certificate: X509Certificate): boolean =>
    new Date(certificate.validFrom) <= at &&
    at <= new Date(certificate.validTo);
  if (validAt(signerCertificate))
    pass(
      "certificate-validity",
      `The signer's certificate was valid at the signing time (${result.signer.notBefore.slice(0, 10)} to ${result.signer.notAfter.slice(0, 10)}).`,
    );
  else
    fail(
      "certificate-validity",
      `The signer's certificate was not valid at the signing time ${signingTime} (valid ${result.signer.notBefore} to ${result.signer.notAfter}).`,
    );

  const anchors = (options.caPems ?? []).flatMap((pem) => {
    try {
      return [new X509Certificate(pem)];
    } catch {
      return [];
    }
  });
  if ((options.caPems ?? []).length === 0)
    skip(
      "chain",
      "No CA was given: the signer was not checked against a trusted commissioning CA.",
    );
  else if (anchors.length === 0)
    fail("chain", "None of the given CA files holds a certificate.");
  else {
    const chain = buildChain(
      signerCertificate,
      cms.certificates,
      anchors,
      validAt,
    );
    result.trusted = chain.ok;
    if (chain.ok)
      pass(
        "chain",
        sentence(
          `The signer chains to the trusted CA ${formatName(chain.anchor.subject)}`,
        ),
      );
    else fail("chain", chain.reason);
  }

  // ---- embedded evidence ----
  result.evidenceSha256 = signedEvidenceHash ?? null;
  const evidence = findAttachment(signed, EVIDENCE_ATTACHMENT);
  if (signed.incomplete !== null)
    fail(
      "evidence",
      `${signed.incomplete} Cellcert judges the evidence only on the whole signed document.`,
    );
  else if (signedEvidenceHash === undefined)
    fail(
      "evidence",
      "The signed document information carries no evidence hash: this is not a Cellcert certificate.",
    );
  else if (evidence === undefined)
    fail(
      "evidence",
      `The evidence file ${EVIDENCE_ATTACHMENT} is missing from the document or damaged.`,
    );
  else if ("problem" in evidence)
    fail(
      "evidence",
      `The evidence file ${EVIDENCE_ATTACHMENT} (object ${evidence.object}) ${evidence.problem}.`,
    );
  else {
    const hash = createHash("sha256").update(evidence.data).digest("hex");
    // Parsed only once it hashes to the signed value: up to 16 MiB of JSON from anyone is not parsed.
    const number =
      hash === signedEvidenceHash ? evidenceNumber(evidence.data) : null;
    if (hash !== signedEvidenceHash)
      fail(
        "evidence",
        `The embedded evidence hashes to ${hash}, not to the signed ${signedEvidenceHash}.`,
      );
    else if (number !== result.certificateNumber)
      fail(
        "evidence",
        `The embedded evidence belongs to certificate ${number ?? "(none)"}, not to ${result.certificateNumber ?? "(none)"}.`,
      );
    else
      pass(
        "evidence",
        `The embedded ${EVIDENCE_ATTACHMENT} matches the signed SHA-256 ${signedEvidenceHash}.`,
      );
  }
  return finish();
}

/** Ends a sentence with one period, also after a name that ends in one ("S.L."). */
function sentence(text: string): string {
  return text.endsWith(".") ? text : `${text}.`;
}

// ---- finding things in the PDF ----------------------------------------------------------------------------

/** Each field and name-tree node is visited once, so a tree whose kids repeat or loop costs no more than its size. */
function findSignatures(file: PdfFile): PdfDict[] {
  const found: PdfDict[] = [];
  const visited = new Set<PdfDict>();
  const visit = (value: PdfValue | undefined, depth: number): void => {
    if (depth > 8) return;
    const field = file.dict(value);
    if (field === undefined || visited.has(field)) return;
    visited.add(field);
    if (nameOf(file.resolve(field.get("FT"))) === "Sig") {
      const signature = file.dict(field.get("V"));
      if (signature !== undefined && !found.includes(signature))
        found.push(signature);
    }
    for (const kid of file.array(field.get("Kids"))) visit(kid, depth + 1);
  };
  const root = file.dict(file.trailer?.get("Root"));
  const form = file.dict(root?.get("AcroForm"));
  for (const field of file.array(form?.get("Fields"))) visit(field, 0);
  if (found.length > 0) return found;
  // The form may be damaged: any signature dictionary will do to judge the file.
  for (const object of file.objects.values()) {
    const value = object.value;
    if (
      value instanceof PdfDict &&
      value.get("ByteRange") !== undefined &&
      value.get("Contents") !== undefined
    )
      found.push(value);
  }
  return found;
}

/** The embedded file's data, or why it cannot be had; undefined when the document names no such file. */
type Attachment = { data: Uint8Array } | { object: number; problem: string };

function findAttachment(file: PdfFile, name: string): Attachment | undefined {
  const root = file.dict(file.trailer?.get("Root"));
  const names = file.dict(root?.get("Names"));
  const tree = file.dict(names?.get("EmbeddedFiles"));
  const visited = new Set<PdfDict>();
  const search = (
    node: PdfDict | undefined,
    depth: number,
  ): Attachment | undefined => {
    if (node === undefined || depth > 8 || visited.has(node)) return undefined;
    visited.add(node);
    const pairs = file.array(node.get("Names"));
    for (let i = 0; i + 1 < pairs.length; i += 2) {
      if (textOf(file.resolve(pairs[i])) !== name) continue;
      const spec = file.dict(pairs[i + 1]);
      const embedded = file.dict(spec?.get("EF"))?.get("F");
      if (!(embedded instanceof PdfRef)) return undefined;
      const stream = file.streamData(embedded);
      return "data" in stream
        ? stream
        : { object: embedded.num, problem: stream.problem };
    }
    for (const kid of file.array(node.get("Kids"))) {
      const found = search(file.dict(kid), depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  return search(tree, 0);
}

function evidenceNumber(evidence: Uint8Array): string | null {
  try {
    const json: unknown = JSON.parse(Buffer.from(evidence).toString("utf8"));
    if (typeof json !== "object" || json === null) return null;
    const certificate = (json as { certificate?: { number?: unknown } })
      .certificate;
    return typeof certificate?.number === "string" ? certificate.number : null;
  } catch {
    return null;
  }
}

// ---- CMS --------------------------------------------------------------------------------------------------

interface ParsedCms {
  certificates: X509Certificate[];
  /** Whether a certificate is the one the SignerInfo names. */
  identifies(certificate: X509Certificate): boolean;
  signerIssuer: Buffer;
  signerSerial: Buffer;
  contentType: string | null;
  messageDigest: Buffer | null;
  essCertificate: {
    hashAlgorithm: string;
    hash: Buffer;
    issuerSerial: { issuer: Buffer; serial: Buffer } | null;
  } | null;
  /** The signed attributes as signed: the SET OF with its universal tag. */
  signedAttributesDer: Buffer;
  signature: Buffer;
  signatureAlgorithm: string;
}

const HASHES: Readonly<Record<string, string>> = {
  [OID.sha256]: "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
};

/** The signer's chain and, later, a time-stamping authority's: far fewer than this. */
const MAX_CMS_CERTIFICATES = 32;

function parseCms(contentsBytes: Uint8Array): ParsedCms {
  // The /Contents hole is padded with zeros after the DER: read exactly one element.
  const top = readDer(contentsBytes);
  const der = Buffer.from(whole(contentsBytes, top));
  const contentInfo = readDer(der);
  if (readOid(der, child(contentInfo, 0)) !== OID.signedData)
    throw new DerError("not a SignedData");
  const signedData = child(child(contentInfo, 1), 0);
  if (!isUniversal(signedData, TAG.sequence))
    throw new DerError("SignedData is not a SEQUENCE");
  const digestAlgorithms = child(signedData, 1);
  const encapsulated = child(signedData, 2);
  if (child(encapsulated, 1) !== undefined)
    throw new DerError("the signature is not detached");
  const certificates: X509Certificate[] = [];
  let signerInfos: DerNode | undefined;
  for (const node of signedData.children.slice(3)) {
    if (isContext(node, 0) && node.children.length > MAX_CMS_CERTIFICATES)
      throw new DerError(
        `it carries ${node.children.length} certificates; a signature needs a few, and Cellcert reads at most ${MAX_CMS_CERTIFICATES}`,
      );
    if (isContext(node, 0))
      for (const certificate of node.children)
        certificates.push(
          new X509Certificate(Buffer.from(whole(der, certificate))),
        );
    else if (isUniversal(node, TAG.set)) signerInfos = node;
  }
  if (signerInfos === undefined || signerInfos.children.length !== 1)
    throw new DerError("expected exactly one SignerInfo");
  const signerInfo = signerInfos.children[0] as DerNode;
  const [, sid, digestAlgorithm, ...rest] = signerInfo.children;
  const hash = HASHES[readOid(der, child(digestAlgorithm, 0))];
  if (hash !== "sha256")
    throw new DerError("the digest algorithm is not SHA-256");
  if (
    !digestAlgorithms?.children.some(
      (a) => readOid(der, child(a, 0)) === OID.sha256,
    )
  )
    throw new DerError("SHA-256 is missing from the digest algorithms");
  const signedAttributes = rest[0];
  if (!isContext(signedAttributes, 0))
    throw new DerError("the SignerInfo has no signed attributes");
  const signatureAlgorithm = rest[1];
  const signature = rest[2];
  if (!isUniversal(signature, TAG.octetString))
    throw new DerError("the SignerInfo has no signature");

  // The signature covers the attributes as a SET OF (tag 0x31), not as the [0] they are stored in.
  const signedAttributesDer = Buffer.from(whole(der, signedAttributes));
  signedAttributesDer[0] = 0x31;

  let contentType: string | null = null;
  let messageDigest: Buffer | null = null;
  let essCertificate: ParsedCms["essCertificate"] = null;
  for (const attribute of signedAttributes.children) {
    const type = readOid(der, child(attribute, 0));
    const value = child(child(attribute, 1), 0);
    if (type === OID.contentType) contentType = readOid(der, value);
    else if (type === OID.messageDigest && isUniversal(value, TAG.octetString))
      messageDigest = Buffer.from(contents(der, value));
    else if (type === OID.signingCertificateV2) {
      const first = child(child(value, 0), 0);
      if (first === undefined) continue;
      let index = 0;
      let hashAlgorithm = "sha256";
      if (isUniversal(child(first, 0), TAG.sequence)) {
        hashAlgorithm =
          HASHES[readOid(der, child(child(first, 0), 0))] ?? "unknown";
        index = 1;
      }
      const certHash = child(first, index);
      const issuerSerialNode = child(first, index + 1);
      if (
        !isUniversal(certHash, TAG.octetString) ||
        hashAlgorithm === "unknown"
      )
        continue;
      const directoryName = child(child(child(issuerSerialNode, 0), 0), 0);
      const serialNode = child(issuerSerialNode, 1);
      essCertificate = {
        hashAlgorithm,
        hash: Buffer.from(contents(der, certHash)),
        issuerSerial:
          directoryName === undefined || serialNode === undefined
            ? null
            : {
                issuer: Buffer.from(whole(der, directoryName)),
                serial: Buffer.from(whole(der, serialNode)),
              },
      };
    }
  }

  const algorithm = readOid(der, child(signatureAlgorithm, 0));
  const signatureAlgorithmName =
    algorithm === OID.rsaEncryption || algorithm === OID.sha256WithRSAEncryption
      ? "RSA"
      : algorithm === OID.ecdsaWithSha256 || algorithm === OID.ecPublicKey
        ? "ECDSA"
        : algorithm;
  if (signatureAlgorithmName !== "RSA" && signatureAlgorithmName !== "ECDSA")
    throw new DerError(`unsupported signature algorithm ${algorithm}`);

  // sid: IssuerAndSerialNumber, or [0] SubjectKeyIdentifier
  let signerIssuer: Buffer = Buffer.alloc(0);
  let signerSerial: Buffer = Buffer.alloc(0);
  let identifies: (certificate: X509Certificate) => boolean;
  if (isUniversal(sid, TAG.sequence)) {
    const issuerNode = child(sid, 0);
    const serialNode = child(sid, 1);
    if (issuerNode === undefined || serialNode === undefined)
      throw new DerError("bad signer identifier");
    signerIssuer = Buffer.from(whole(der, issuerNode));
    signerSerial = Buffer.from(whole(der, serialNode));
    identifies = (certificate) => {
      const parts = certificateParts(certificate.raw);
      return (
        parts.issuer.equals(signerIssuer) && parts.serial.equals(signerSerial)
      );
    };
  } else if (isContext(sid, 0)) {
    const keyId = Buffer.from(contents(der, sid));
    identifies = (certificate) =>
      subjectKeyIdentifier(certificate.raw)?.equals(keyId) ?? false;
  } else throw new DerError("bad signer identifier");

  const ess = essCertificate;
  if (!isUniversal(sid, TAG.sequence)) {
    // With a key identifier, the ESS issuerSerial is compared with the certificate the key identifier finds.
    const signer = certificates.find((c) => identifies(c));
    if (signer !== undefined) {
      const parts = certificateParts(signer.raw);
      signerIssuer = parts.issuer;
      signerSerial = parts.serial;
    }
  }
  return {
    certificates,
    identifies,
    signerIssuer,
    signerSerial,
    contentType,
    messageDigest,
    essCertificate: ess,
    signedAttributesDer,
    signature: Buffer.from(contents(der, signature)),
    signatureAlgorithm: signatureAlgorithmName,
  };
}

/** The DER of a certificate's issuer Name and serialNumber. */
function certificateParts(raw: Buffer): { issuer: Buffer; serial: Buffer } {
  const certificate = readDer(raw);
  const tbs = child(certificate, 0);
  const offset = isContext(child(tbs, 0), 0) ? 1 : 0;
  const serial = child(tbs, offset);
  const issuer = child(tbs, offset + 2);
  if (serial === undefined || issuer === undefined)
    throw new DerError("bad certificate");
  return {
    issuer: Buffer.from(whole(raw, issuer)),
    serial: Buffer.from(whole(raw, serial)),
  };
}

function subjectKeyIdentifier(raw: Buffer): Buffer | null {
  const tbs = child(readDer(raw), 0);
  const extensions = tbs?.children.find((node) => isContext(node, 3));
  for (const extension of child(extensions, 0)?.children ?? []) {
    if (readOid(raw, child(extension, 0)) !== "2.5.29.14") continue;
    const value = extension.children[extension.children.length - 1];
    if (value === undefined) return null;
    const inner = readDer(raw, value.contentStart);
    return Buffer.from(contents(raw, inner));
  }
  return null;
}

function summarize(certificate: X509Certificate): SignerSummary {
  return {
    subject: formatName(certificate.subject),
    issuer: formatName(certificate.issuer),
    serialNumber: certificate.serialNumber.toUpperCase(),
    notBefore: new Date(certificate.validFrom).toISOString(),
    notAfter: new Date(certificate.validTo).toISOString(),
    fingerprintSha256: sha256Fingerprint(certificate.raw),
  };
}

type ChainOutcome =
  { ok: true; anchor: X509Certificate } | { ok: false; reason: string };

/** From the signer up through the embedded certificates to one of the anchors, each valid at signing time. */
function buildChain(
  signer: X509Certificate,
  embedded: readonly X509Certificate[],
  anchors: readonly X509Certificate[],
  validAt: (certificate: X509Certificate) => boolean,
): ChainOutcome {
  const issued = (child: X509Certificate, issuer: X509Certificate): boolean =>
    child.issuer === issuer.subject && child.verify(issuer.publicKey);
  let current = signer;
  const used = new Set<string>([signer.fingerprint256]);
  for (let depth = 0; depth < 8; depth++) {
    const anchor = anchors.find(
      (a) =>
        a.fingerprint256 === current.fingerprint256 ||
        (issued(current, a) && (a.ca || a.subject === current.subject)),
    );
    if (anchor !== undefined) {
      if (!validAt(anchor))
        return {
          ok: false,
          reason: `The CA ${formatName(anchor.subject)} was not valid at the signing time.`,
        };
      return { ok: true, anchor };
    }
    const next = embedded.find(
      (c) => !used.has(c.fingerprint256) && c.ca && issued(current, c),
    );
    if (next === undefined)
      return {
        ok: false,
        reason: `The signer's certificate does not chain to the given CA${anchors.length === 1 ? "" : "s"} (${anchors.map((a) => formatName(a.subject)).join("; ")}): it was issued by ${formatName(current.issuer)}.`,
      };
    if (!validAt(next))
      return {
        ok: false,
        reason: `The intermediate CA ${formatName(next.subject)} was not valid at the signing time.`,
      };
    used.add(next.fingerprint256);
    current = next;
  }
  return { ok: false, reason: "The certificate chain is too long." };
}
