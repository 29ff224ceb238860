// What a certificate must allow for the job it does (RFC 5280 §4.2.1.3 keyUsage, §4.2.1.12 extendedKeyUsage):
// a TLS server (serverAuth; the key usage the negotiated key exchange needs), a TLS client (clientAuth), a
// document signer (digitalSignature or nonRepudiation; emailProtection or a document-signing EKU), a
// time-stamping authority (RFC 3161 §2.3: the extended key usage timeStamping, alone and critical; a key usage
// that allows signing).
import { EKU, ekuName } from "./eku";
import type { KeyUsageName, ParsedCertificate } from "./parse";

/** How the TLS session's keys were agreed: the leaf's keyUsage must allow it (RFC 5246 §7.4.2, RFC 8446 §4.4.2.2). */
export type KeyExchange = "tls13" | "ecdhe" | "dhe" | "rsa";

export type Purpose =
  /** keyExchange null: not known (no full handshake), so only the extended key usage is judged. */
  | { kind: "server-tls"; keyExchange: KeyExchange | null }
  | { kind: "client-tls" }
  | { kind: "document-signing" }
  | { kind: "time-stamping" };

export const SERVER_TLS: Purpose = { kind: "server-tls", keyExchange: null };
export const CLIENT_TLS: Purpose = { kind: "client-tls" };
export const DOCUMENT_SIGNING: Purpose = { kind: "document-signing" };
export const TIME_STAMPING: Purpose = { kind: "time-stamping" };

/** The negotiated key exchange from Node's protocol and the IANA suite name. */
export function keyExchangeOf(
  protocol: string,
  suiteName: string,
): KeyExchange | null {
  if (protocol === "TLSv1.3") return "tls13";
  const kex = /^TLS_([A-Z0-9]+)_/.exec(suiteName)?.[1];
  if (kex === "ECDHE") return "ecdhe";
  if (kex === "DHE") return "dhe";
  if (kex === "RSA") return "rsa";
  return null;
}

/** The extended key usages that serve a purpose (anyExtendedKeyUsage always does). */
export function purposeUsages(purpose: Purpose): string[] {
  switch (purpose.kind) {
    case "server-tls":
      return [EKU.serverAuth];
    case "client-tls":
      return [EKU.clientAuth];
    case "document-signing":
      return [
        EKU.emailProtection,
        EKU.documentSigning,
        EKU.microsoftDocumentSigning,
      ];
    case "time-stamping":
      return [EKU.timeStamping];
  }
}

/** "serverAuth", "clientAuth", "emailProtection or documentSigning" — for sentences. */
export function purposeUsageWords(purpose: Purpose): string {
  return purpose.kind === "document-signing"
    ? "emailProtection, documentSigning (1.3.6.1.5.5.7.3.36) or Microsoft document signing (1.3.6.1.4.1.311.10.3.12)"
    : (purposeUsages(purpose).map(ekuName)[0] ?? "");
}

/** Whether an extendedKeyUsage list (null: absent) allows the purpose: what a CA's restricts it to issuing. (A
 * time-stamping authority's own certificate is held to more: see leafPurposeProblems.) */
export function extendedKeyUsageAllows(
  usages: readonly string[] | null,
  purpose: Purpose,
): boolean {
  if (usages === null) return true;
  if (usages.includes(EKU.anyExtendedKeyUsage)) return true;
  return purposeUsages(purpose).some((oid) => usages.includes(oid));
}

export interface PurposeProblem {
  kind: "extended-key-usage" | "key-usage";
  /** A sentence fragment: "its extended key usage is clientAuth only, not serverAuth". */
  detail: string;
}

const usageList = (usages: readonly string[]): string =>
  usages.length === 0 ? "empty" : usages.map(ekuName).join(", ");

/** What in the leaf's usages keeps it from `purpose`; empty when nothing does. */
export function leafPurposeProblems(
  leaf: ParsedCertificate,
  purpose: Purpose,
): PurposeProblem[] {
  const problems: PurposeProblem[] = [];
  if (purpose.kind === "time-stamping") {
    const problem = timeStampingUsageProblem(leaf);
    if (problem !== null)
      problems.push({ kind: "extended-key-usage", detail: problem });
  } else if (!extendedKeyUsageAllows(leaf.extendedKeyUsage, purpose))
    problems.push({
      kind: "extended-key-usage",
      detail: `its extended key usage is ${usageList(leaf.extendedKeyUsage ?? [])}, without ${purposeUsageWords(purpose)}`,
    });
  const needed = keyUsageNeeded(purpose);
  const usage = leaf.keyUsage;
  if (
    usage !== null &&
    needed !== null &&
    !needed.usages.some((u) => usage.includes(u))
  )
    problems.push({
      kind: "key-usage",
      detail: `its key usage is ${usage.join(", ") || "empty"}, but ${needed.why} needs ${needed.usages.join(" or ")}`,
    });
  return problems;
}

/** RFC 3161 §2.3: "The corresponding certificate MUST contain only one instance of the extended key usage field
 * extension … with KeyPurposeID having value id-kp-timeStamping. This extension MUST be critical." */
function timeStampingUsageProblem(leaf: ParsedCertificate): string | null {
  const usages = leaf.extendedKeyUsage ?? [];
  if (!usages.includes(EKU.timeStamping))
    return `it does not have the extended key usage timeStamping${usages.length === 0 ? "" : ` (it has ${usageList(usages)})`}; RFC 3161 requires it of a TSA`;
  if (usages.length > 1)
    return `it allows ${usageList(usages)}; RFC 3161 requires timeStamping alone`;
  if (!leaf.extendedKeyUsageCritical)
    return "its extended key usage timeStamping is not marked critical, as RFC 3161 requires";
  return null;
}

function keyUsageNeeded(
  purpose: Purpose,
): { usages: KeyUsageName[]; why: string } | null {
  switch (purpose.kind) {
    case "server-tls":
      switch (purpose.keyExchange) {
        case null:
          return null;
        case "rsa":
          return {
            usages: ["keyEncipherment"],
            why: "the negotiated RSA key exchange",
          };
        case "tls13":
          return {
            usages: ["digitalSignature"],
            why: "TLS 1.3, which the session negotiated,",
          };
        default:
          return {
            usages: ["digitalSignature"],
            why: `the negotiated ${purpose.keyExchange.toUpperCase()} key exchange`,
          };
      }
    case "client-tls":
      return {
        usages: ["digitalSignature"],
        why: "a TLS client proving its key",
      };
    case "document-signing":
      return {
        usages: ["digitalSignature", "nonRepudiation"],
        why: "signing a document",
      };
    case "time-stamping":
      return {
        usages: ["digitalSignature", "nonRepudiation"],
        why: "signing time-stamps",
      };
  }
}
