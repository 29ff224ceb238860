// SQL Server's self-signed fallback certificate, as the service makes it at start when none is configured
// (CN SSL_Self_Signed_Fallback, RSA 2048, valid for years): the practice plant's broken SQL Server uses it.
import { SELF_SIGNED_FALLBACK_CN } from "../../engine/rules/app-db";
import { createSelfSigned, daysFrom, RSA_2048 } from "../pki";

export function selfSignedFallback(now = new Date()): {
  key: string;
  cert: string;
} {
  const certificate = createSelfSigned({
    commonName: SELF_SIGNED_FALLBACK_CN,
    key: RSA_2048,
    // The service makes it at its last start and it runs for decades.
    notBefore: daysFrom(now, -3),
    notAfter: daysFrom(now, 365 * 30),
  });
  return { key: certificate.key.privateKeyPem, cert: certificate.pem };
}
