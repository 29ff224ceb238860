// The steps of `verify` that judge the CMS signature itself: a SignedData Cellcert can read, carrying the
// signer's certificate; its message digest over the signed bytes; the signature over the signed attributes; and
// the ESS signing-certificate-v2 naming the signer's certificate (OpenSSL 3.0 does not check that).
import { createHash } from "node:crypto";
import {
  OUTLINE_FIELDS,
  summaryPart,
} from "../../../shared/evidence/certificate";
import { summarizeCertificate } from "../x509";
import {
  essCertificateCheck,
  readSignedData,
  signatureVerifies,
  type ParsedCms,
} from "./cms-reader";
import { OID } from "./oids";
import { fail, found, pass, type VerifyStep } from "./verify-context";

export const cmsStep: VerifyStep = {
  id: "cms",
  needs: ["byte-range"],
  run(context) {
    const contents = found(context.contents, "the signature's /Contents");
    let cms: ParsedCms;
    try {
      cms = readSignedData(contents.bytes);
      // A PAdES signature: detached, over the byte ranges with SHA-256 (what Cellcert signs with).
      if (cms.encapsulated !== null)
        throw new Error("the signature is not detached");
      if (cms.digestAlgorithm !== "sha256")
        throw new Error("the digest algorithm is not SHA-256");
    } catch (error) {
      return fail(
        `The signature is not a CMS SignedData Cellcert can read: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
    const signer = cms.certificates.find((c) => cms.identifies(c));
    if (signer === undefined)
      return fail("The signature does not carry the signer's certificate.");
    let summary;
    try {
      summary = summarizeCertificate(signer.raw);
    } catch (error) {
      return fail(
        `The signer's certificate cannot be read: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    context.cms = cms;
    context.signer = signer;
    context.result.signer = summaryPart(summary, OUTLINE_FIELDS);
    return pass(
      `CMS SignedData with SHA-256, signed by ${context.result.signer.subject}; ${cms.certificates.length} certificate${cms.certificates.length === 1 ? "" : "s"} embedded.`,
    );
  },
};

export const messageDigestStep: VerifyStep = {
  id: "message-digest",
  needs: ["cms"],
  run(context) {
    const cms = found(context.cms, "the CMS");
    const digest = createHash("sha256");
    for (const part of found(context.signedBytes, "the signed bytes"))
      digest.update(part);
    const actual = digest.digest();
    if (cms.contentType !== OID.data)
      return fail(
        "The signed attributes do not declare the content type id-data.",
      );
    if (cms.messageDigest === null)
      return fail("The signed attributes carry no message digest.");
    if (!actual.equals(cms.messageDigest))
      return fail(
        "Digest mismatch: the signed bytes of the document have changed since it was signed.",
      );
    return pass(
      "The SHA-256 of the signed bytes matches the signed message digest.",
    );
  },
};

export const signatureStep: VerifyStep = {
  id: "signature",
  needs: ["cms"],
  run(context) {
    const cms = found(context.cms, "the CMS");
    const signer = found(context.signer, "the signer");
    try {
      return signatureVerifies(cms, signer)
        ? pass(
            `The ${cms.signatureAlgorithm} signature over the signed attributes is valid.`,
          )
        : fail("The signature does not verify with the signer's public key.");
    } catch (error) {
      return fail(
        `The signature could not be checked: ${error instanceof Error ? error.message : String(error)}.`,
      );
    }
  },
};

export const signingCertificateStep: VerifyStep = {
  id: "signing-certificate",
  needs: ["cms"],
  run(context) {
    const cms = found(context.cms, "the CMS");
    const signer = found(context.signer, "the signer");
    // PAdES wants v2 (ETSI EN 319 122-1 §5.2.2); a v1 alone is not enough.
    const ess =
      cms.essCertificate?.version === 2
        ? essCertificateCheck(cms, signer)
        : "missing";
    if (ess === "missing")
      return fail(
        "The signed attributes carry no ESS signing-certificate-v2: not a PAdES signature.",
      );
    if (ess === "hash")
      return fail(
        "The ESS signing-certificate-v2 hash does not match the signer's certificate.",
      );
    if (ess === "issuer-serial")
      return fail(
        "The ESS signing-certificate-v2 names another issuer or serial number than the signer's.",
      );
    return pass(
      "The ESS signing-certificate-v2 names the signer's certificate.",
    );
  },
};
