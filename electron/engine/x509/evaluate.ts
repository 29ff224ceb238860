// The four certificate checks — chain, name, validity, strength (DESIGN §3, §4) — as pure functions of the chain
// a server sent. The TLS server profile uses them as `…cert.chain` and friends; the SQL Server probe
// (APP-DB.tds.cert) and the OPC UA probe (MES-PCS.opcua.cert) fold them into one outcome with
// `combineCertificateOutcomes`. What they take and give is certificate-outcomes.ts.
// The checks live in evaluate-chain.ts (chain, name), evaluate-validity.ts and evaluate-strength.ts.
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  certificatesNotTested,
  type CertificateJudgeOptions,
  type CertificateOutcomes,
} from "./certificate-outcomes";
import { pathEvidence } from "./evidence";
import { UserError } from "../errors";
import {
  CertificateParseError,
  certificateInfoFromDer,
  pemToDer,
  splitPemCertificates,
} from "./certificate-info";
import { validatePath, type PathResult } from "./path";
import { SERVER_TLS } from "./purpose";
import { CrlReadError } from "./revocation";
import { judgeChain, judgeName } from "./evaluate-chain";
import { roleOf, type JudgedCertificate } from "./evaluate-shared";
import { judgeStrength } from "./evaluate-strength";
import { judgeValidity } from "./evaluate-validity";

/**
 * Judges the chain a server sent (leaf first, exactly as recorded in evidence). Throws a UserError when an
 * anchor or a CRL cannot be read; never throws for anything the server sent.
 */
export async function evaluateCertificate(
  sent: readonly CertificateInfo[],
  options: CertificateJudgeOptions,
): Promise<CertificateOutcomes> {
  const { checkIds } = options;
  const leafInfo = sent[0];
  if (leafInfo === undefined) {
    return certificatesNotTested(
      checkIds,
      "no certificate",
      "The server sent no certificate, so there is nothing to judge.",
    );
  }
  const sentDer: Uint8Array[] = sent.flatMap((info) => {
    try {
      return [pemToDer(info.pem)];
    } catch {
      // An unreadable certificate in the chain counts as not sent; the chain check then says what is missing.
      return [];
    }
  });
  let chain: PathResult;
  try {
    chain = await validatePath({
      sent: sentDer,
      anchors: options.anchorsPem.map((pem) => {
        if (splitPemCertificates(pem).length === 0)
          throw new CertificateParseError(
            "it holds no -----BEGIN CERTIFICATE----- block.",
          );
        return pem;
      }),
      publicRoots: options.publicRoots,
      crls: options.crls ?? [],
      ocspStaple: options.ocspStaple ?? null,
      purpose: options.purpose ?? SERVER_TLS,
      now: options.now,
      requireRevocation: options.requireRevocation ?? false,
    });
  } catch (error) {
    if (error instanceof CertificateParseError) {
      throw new UserError(
        "invalid-input",
        `A trust anchor could not be read: ${error.message} Give the CA certificate as PEM.`,
        { cause: error },
      );
    }
    if (error instanceof CrlReadError) {
      throw new UserError(
        "invalid-input",
        `A CRL of the trust material could not be read: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  // The certificates the other aspects look at: the validated path, or what was sent when there is none.
  const byFingerprint = new Map(sent.map((c) => [c.fingerprintSha256, c]));
  const judged: JudgedCertificate[] =
    chain.path.length > 0
      ? chain.path.flatMap((l, index) => {
          const info = byFingerprint.get(l.fingerprintSha256);
          if (info !== undefined && l.source === "sent")
            return [{ info, role: roleOf(index, info) }];
          const anchor = chain.certificates[index];
          return anchor === undefined
            ? []
            : [
                {
                  info: info ?? certificateInfoFromDer(anchor.der),
                  role: "anchor" as const,
                },
              ];
        })
      : sent.map((info, index) => ({ info, role: roleOf(index, info) }));

  return {
    chain: judgeChain(checkIds.chain, chain, leafInfo, options.publicRoots),
    name: judgeName(checkIds.name, leafInfo, options.referenceName),
    validity: judgeValidity(checkIds.validity, judged, options),
    strength: judgeStrength(checkIds.strength, judged),
    path: pathEvidence(chain),
  };
}
