// Commissioning certificates a verifier must not call valid, made as an attacker would: with Cellcert's own
// layout and signing code, but past the identity checks `certify` makes. Re-signed with a key and a CA made on
// the spot under the genuine names and flipped to COMMISSIONED; signed by a TLS server certificate, below a
// pathLen:0 root, or by a revoked engineer; showing on page 1 and in the document information another verdict than
// the signed evidence. Built once per test file (`trustScenarios`), for the engine's tests and for the CLI's and
// the independent tools' (pdfsig, openssl cms) in test/integration/verify-trust.test.ts.
import { X509Certificate } from "node:crypto";
import type { Plan } from "../../shared/model/plan";
import type { PlantVerdict } from "../../shared/plant-words";
import { assessPlan } from "../../shared/verdicts/rollup";
import {
  EC_P256,
  createCrl,
  createSelfSigned,
  daysFrom,
  issueCertificate as issuePracticeCertificate,
  type CertificateRequest,
  type PracticeCertificate,
} from "../../electron/demo/pki";
import { TOOL_VERSION } from "../../electron/engine/about";
import { identityInfo } from "../../electron/engine/identity/engineer";
import type { IdentityMaterial } from "../../electron/engine/identity/pkcs12";
import {
  nextAuditDate,
  nextCertificateNumber,
} from "../../electron/engine/report/certificate-number";
import { renderCertificatePdf } from "../../electron/engine/report/certificate-pdf";
import {
  buildEvidenceDocument,
  serializeEvidence,
  sha256Hex,
} from "../../electron/engine/report/evidence";
import { loadFonts } from "../../electron/engine/report/fonts";
import { issueCertificate } from "../../electron/engine/report/issue";
import { signatureRoom } from "../../electron/engine/signing/placeholder";
import { signPreparedPdf } from "../../electron/engine/signing/sign";
import { SIGNING_TIME, testPki, type TestPki } from "./certificate-identities";
import { UNICODE_NAMES, fixturePlan } from "./certificate-plans";

export interface ForgeryOptions {
  now: Date;
  /** The verdict page 1's stamp and the document information show; the plan's own by default. */
  shownVerdict?: PlantVerdict;
  /** The verdict the embedded evidence states; the plan's own by default. */
  evidenceVerdict?: PlantVerdict;
}

/** A certificate of `plan`, laid out and signed by `signer` whoever it is (certify would refuse most here). */
export async function forgeCertificate(
  plan: Plan,
  signer: IdentityMaterial,
  options: ForgeryOptions,
): Promise<Uint8Array> {
  const { now } = options;
  const assessment = assessPlan(plan);
  const info = identityInfo(signer);
  const number = nextCertificateNumber(plan, now);
  const signerDers = [signer.certificatePem, ...signer.chainPems].map(
    (pem) => new Uint8Array(new X509Certificate(pem).raw),
  );
  const auditDate = nextAuditDate(plan, now);
  const evidence = serializeEvidence(
    buildEvidenceDocument(
      plan,
      {
        ...assessment,
        verdict: options.evidenceVerdict ?? assessment.verdict,
      },
      {
        number,
        issuedAt: now,
        nextAuditDate: auditDate,
        toolVersion: TOOL_VERSION,
        signer: info,
        signerCertificatesPem: [signer.certificatePem, ...signer.chainPems],
        timeStampAuthority: null,
        signOff: {
          engineer: plan.signOff.engineer,
          company: plan.signOff.company,
          identityFingerprint: info.fingerprintSha256,
          witnessName: plan.signOff.witnessName,
        },
      },
    ),
  );
  const prepared = await renderCertificatePdf({
    content: {
      plan,
      assessment: {
        ...assessment,
        verdict: options.shownVerdict ?? assessment.verdict,
      },
      number,
      issuedAt: now,
      nextAuditDate: auditDate,
      toolVersion: TOOL_VERSION,
      signer: info,
      engineer: plan.signOff.engineer,
      company: plan.signOff.company,
      witnessName: plan.signOff.witnessName,
      evidence,
      evidenceSha256: sha256Hex(evidence),
      timeStampAuthorityName: null,
      validationData: { certificates: signerDers, crls: [] },
      signatureRoom: signatureRoom({
        certificateDers: signerDers,
        timeStamped: false,
      }),
      changes: null,
    },
    fonts: loadFonts(),
  });
  return signPreparedPdf(prepared, signer);
}

/** A PKI made with the practice plant's certificate builder: a signer and the CA certificates above it. */
function material(
  signer: PracticeCertificate,
  issuers: readonly PracticeCertificate[],
): IdentityMaterial {
  return {
    privateKey: signer.key.privateKey,
    certificatePem: signer.pem,
    chainPems: issuers.map((c) => c.pem),
  };
}

export interface TrustScenarios {
  /** The commissioning CA Cellcert made, and its engineer. */
  pki: TestPki;
  /** Certified by the genuine engineer: the good plant, commissioned. */
  genuine: Uint8Array;
  /** The forger's CA and engineer: the same names as the genuine ones, keys made on the spot. */
  forger: TestPki;
  /** The broken plant, flipped to COMMISSIONED everywhere (evidence too), re-signed by the forger. */
  forged: Uint8Array;
  /** Page 1 and the document information say COMMISSIONED, the signed evidence "not commissioned". */
  mismatchForged: Uint8Array;
  mismatchGenuine: Uint8Array;
  /** A CA of another PKI (ECDSA), with the signers below it. */
  otherCa: PracticeCertificate;
  /** Signed by a TLS server certificate (EKU serverAuth only) of otherCa. */
  serverSigned: Uint8Array;
  /** Signed by an engineer of otherCa that its CRL revokes. */
  revokedSigned: Uint8Array;
  revokingCrl: { der: Buffer; pem: string };
  /** A root with pathLenConstraint 0, an intermediate below it, and a signer below that. */
  zeroRoot: PracticeCertificate;
  belowZeroSigned: Uint8Array;
}

/** Every document of the verifier's trust tests, from the fixture plans (about 6 s: RSA-3072 keys, 7 layouts). */
export async function trustScenarios(): Promise<TrustScenarios> {
  const now = SIGNING_TIME;
  const [pki, forger, good, broken] = await Promise.all([
    testPki(),
    testPki(),
    fixturePlan("good"),
    fixturePlan("broken"),
  ]);
  const genuine = (await issueCertificate(good, pki.engineer, { now })).pdf;
  const forged = await forgeCertificate(broken, forger.engineer, {
    now,
    shownVerdict: "commissioned",
    evidenceVerdict: "commissioned",
  });
  const mismatch = { now, shownVerdict: "commissioned" as const };
  const mismatchForged = await forgeCertificate(
    broken,
    forger.engineer,
    mismatch,
  );
  const mismatchGenuine = await forgeCertificate(
    broken,
    pki.engineer,
    mismatch,
  );

  const ca = (name: string, extra: Partial<CertificateRequest> = {}) => ({
    commonName: name,
    organization: UNICODE_NAMES.company,
    isCA: true,
    key: EC_P256,
    notBefore: daysFrom(now, -60),
    notAfter: daysFrom(now, 3650),
    ...extra,
  });
  const engineerRequest = (
    extra: Partial<CertificateRequest> = {},
  ): CertificateRequest => ({
    commonName: UNICODE_NAMES.engineer,
    organization: UNICODE_NAMES.company,
    key: EC_P256,
    keyUsage: ["digitalSignature", "nonRepudiation"],
    extendedKeyUsage: ["emailProtection"],
    notBefore: daysFrom(now, -30),
    notAfter: daysFrom(now, 365),
    ...extra,
  });
  const otherCa = createSelfSigned(ca("Plant Commissioning CA"));
  const server = issuePracticeCertificate(otherCa, {
    ...engineerRequest({ extendedKeyUsage: ["serverAuth"] }),
    commonName: "mes01.plant.local",
    dnsNames: ["mes01.plant.local"],
  });
  const revoked = issuePracticeCertificate(otherCa, engineerRequest());
  const revokingCrl = createCrl(otherCa, {
    revoked: [
      {
        certificate: revoked,
        revokedAt: daysFrom(now, -2),
        reason: "keyCompromise",
      },
    ],
    thisUpdate: daysFrom(now, -1),
    nextUpdate: daysFrom(now, 30),
  });
  const zeroRoot = createSelfSigned(
    ca("Zero Commissioning Root CA", { pathLength: 0 }),
  );
  const belowZero = issuePracticeCertificate(
    zeroRoot,
    ca("Below Zero Issuing CA"),
  );
  const belowZeroSigner = issuePracticeCertificate(
    belowZero,
    engineerRequest(),
  );

  const [serverSigned, revokedSigned, belowZeroSigned] = await Promise.all([
    forgeCertificate(good, material(server, [otherCa]), { now }),
    forgeCertificate(good, material(revoked, [otherCa]), { now }),
    forgeCertificate(good, material(belowZeroSigner, [belowZero, zeroRoot]), {
      now,
    }),
  ]);
  return {
    pki,
    genuine,
    forger,
    forged,
    mismatchForged,
    mismatchGenuine,
    otherCa,
    serverSigned,
    revokedSigned,
    revokingCrl,
    zeroRoot,
    belowZeroSigned,
  };
}
