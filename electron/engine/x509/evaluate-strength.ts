// The strength check (…cert.strength): key sizes against DESIGN §3's minimums, and no MD5 or SHA-1 signature on
// the leaf or an intermediate (a self-signed root's own signature is excepted).
import {
  shortName,
  commonName,
} from "../../../shared/evidence/distinguished-name";
import {
  THRESHOLDS,
  type SignatureHash,
} from "../../../shared/catalog/thresholds";
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import { outcome, type CheckOutcome } from "../../../shared/verdicts/outcome";
import { hashLabel, signatureHashOf } from "./signature-names";
import { quote, type JudgedCertificate } from "./evaluate-shared";

function keyLabel(info: CertificateInfo): string {
  switch (info.keyType) {
    case "ec":
      return `EC ${info.keyBits}${info.curve === "" ? "" : ` (${info.curve})`}`;
    case "rsa":
    case "rsa-pss":
    case "dsa":
      return `${info.keyType.toUpperCase()} ${info.keyBits}`;
    case "ed25519":
      return "Ed25519";
    case "ed448":
      return "Ed448";
    default:
      return "unknown key";
  }
}

function minimumBits(info: CertificateInfo): number | null {
  const table = THRESHOLDS.keys.minimumBits;
  switch (info.keyType) {
    case "rsa":
    case "rsa-pss":
    case "dsa":
    case "ec":
      return table[info.keyType];
    case "ed25519":
    case "ed448":
      return 0;
    default:
      return null;
  }
}

export function judgeStrength(
  checkId: string,
  judged: readonly JudgedCertificate[],
): CheckOutcome {
  const problems: string[] = [];
  const unknown: string[] = [];
  const parts: string[] = [];
  for (const certificate of judged) {
    const { info } = certificate;
    const who = quote(shortName(info.subject));
    const minimum = minimumBits(info);
    if (minimum === null) unknown.push(`the key of ${who}`);
    else if (info.keyBits < minimum) {
      // "a 1024-bit RSA key": the number first, so the article fits every kind of key.
      const kind = info.keyType === "ec" ? "EC" : info.keyType.toUpperCase();
      const curve =
        info.keyType === "ec" && info.curve !== "" ? ` (${info.curve})` : "";
      problems.push(
        `${who} has a ${info.keyBits}-bit ${kind} key${curve}; at least ${minimum} bits are required${certificate.role === "leaf" ? " — reissue it with a stronger key" : ""}.`,
      );
    }
    // A self-signed root's own signature is excepted (DESIGN §3); the anchor's is never judged.
    const signatureJudged =
      certificate.role === "leaf" || certificate.role === "intermediate";
    const hash: SignatureHash = signatureJudged
      ? signatureHashOf(info.signatureAlgorithm)
      : "intrinsic";
    if (signatureJudged && THRESHOLDS.signatures.fail.includes(hash)) {
      problems.push(
        `${who} is signed with ${hashLabel(hash)} (${info.signatureAlgorithm}); have it reissued with SHA-256 or better.`,
      );
    } else if (signatureJudged && hash === "unknown") {
      unknown.push(
        `the signature algorithm ${info.signatureAlgorithm} of ${who}`,
      );
    }
    parts.push(
      `${commonName(info.subject) || certificate.role}: ${keyLabel(info)}${signatureJudged ? `, ${info.signatureAlgorithm}` : ""}`,
    );
  }
  const details = {
    measured: parts.join("; "),
    threshold: `${THRESHOLDS.keys.text.fail}; ${THRESHOLDS.signatures.text.fail}`,
  };
  if (problems.length > 0) {
    return outcome(checkId, "fail", problems.join(" "), details);
  }
  if (unknown.length > 0) {
    return outcome(
      checkId,
      "not-tested",
      `Cellcert cannot judge ${unknown.join(" and ")}.`,
      {
        ...details,
        reason: "unknown algorithm",
      },
    );
  }
  return outcome(
    checkId,
    "pass",
    "Every key is strong enough and no certificate is signed with MD5 or SHA-1.",
    details,
  );
}
