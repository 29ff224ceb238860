// Time-stamped (PAdES B-T) certificates made in this process, at any time the test names: the document laid out
// at its signing time (/M) and signed, its signature value time-stamped by Cellcert's practice TSA code
// (`timeStampReply`) with an injected clock, or given any token bytes at all. And CRLs issued by a commissioning
// CA Cellcert made, revoking whom and when the test says. For the verifier's tests and its fuzz test.
import { X509Certificate, randomBytes } from "node:crypto";
import type { Plan } from "../../shared/model/plan";
import { createCrl, type RevocationReason } from "../../electron/demo/pki";
import {
  timeStampReply,
  type TsaFault,
} from "../../electron/demo/practice-tsa";
import type { IdentityMaterial } from "../../electron/engine/identity/pkcs12";
import { prepareCertificate } from "../../electron/engine/report/issue";
import { signPreparedPdfWithTimeStamp } from "../../electron/engine/signing/sign";
import {
  readTimeStampReply,
  signatureImprint,
  timeStampRequest,
} from "../../electron/engine/signing/timestamp-token";
import { parseCertificate } from "../../electron/engine/x509";

/** The token a TSA with `identity` and its clock at `at` answers for `signatureValue`. */
export function timeStampToken(
  signatureValue: Uint8Array,
  identity: IdentityMaterial,
  at: Date,
  fault: TsaFault = "none",
): Uint8Array {
  const nonce = randomBytes(8);
  nonce[0] = ((nonce[0] ?? 0) & 0x7f) | 0x40;
  const reply = readTimeStampReply(
    timeStampReply(timeStampRequest(signatureImprint(signatureValue), nonce), {
      identity,
      now: () => at,
      fault,
    }),
  );
  if (!reply.granted) throw new Error(`The TSA refused: ${reply.refusal}`);
  return reply.token;
}

/** The plan's certificate laid out at `signedAt` with room for a time-stamp (naming `tsaUrl`), not yet signed. */
export async function preparedForTimeStamp(
  plan: Plan,
  engineer: IdentityMaterial,
  signedAt: Date,
  tsaUrl = "http://127.0.0.1:9/tsr",
): Promise<Uint8Array> {
  return (
    await prepareCertificate(plan, engineer, {
      now: signedAt,
      timeStampAuthority: { url: tsaUrl, practice: plan.practice },
    })
  ).prepared;
}

/** Signs `prepared` and puts in, as the signature's time-stamp token, whatever `token` makes of its value. */
export function signedWithToken(
  prepared: Uint8Array,
  engineer: IdentityMaterial,
  token: (signatureValue: Uint8Array) => Uint8Array,
): Promise<Uint8Array> {
  return signPreparedPdfWithTimeStamp(prepared, engineer, (signatureValue) =>
    Promise.resolve(token(signatureValue)),
  );
}

/** A CRL issued by `ca` (an identity Cellcert made: RSA), revoking `revoked`. */
export function crlIssuedBy(
  ca: IdentityMaterial,
  revoked: readonly {
    certificatePem: string;
    revokedAt: Date;
    reason?: RevocationReason;
  }[],
  dates: { thisUpdate?: Date; nextUpdate?: Date } = {},
): { der: Buffer; pem: string } {
  const x509 = new X509Certificate(ca.certificatePem);
  const asPracticeCertificate = (pem: string) => {
    const certificate = new X509Certificate(pem);
    return {
      key: {
        spec: { type: "rsa", bits: 3072 },
        privateKey: ca.privateKey,
        publicKey: x509.publicKey,
        privateKeyPem: "",
      },
      subjectDer: Buffer.from(
        parseCertificate(certificate.raw).pkijs.subject.toSchema().toBER(),
      ),
      serialNumber: Buffer.from(certificate.serialNumber, "hex"),
    } as unknown as Parameters<typeof createCrl>[0];
  };
  return createCrl(asPracticeCertificate(ca.certificatePem), {
    revoked: revoked.map((r) => ({
      certificate: asPracticeCertificate(r.certificatePem),
      revokedAt: r.revokedAt,
      ...(r.reason !== undefined && { reason: r.reason }),
    })),
    ...dates,
  });
}
