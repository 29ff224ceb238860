// Certificates in the evidence as the certificate prints them: the chain exactly as the server sent it and the
// path as validated, each with SHA-256 fingerprints on octet boundaries, and every certificate a record holds.
import type {
  CertificateInfo,
  ValidatedPath,
} from "../../../shared/evidence/certificate";
import type { EvidenceBlock, EvidenceTable } from "./evidence-summary";
import { fingerprintCell, fingerprintColumn } from "./format";

/** The certificates exactly as the server sent them, leaf first, with their SHA-256 fingerprints. */
export function chainAsSent(
  chain: readonly CertificateInfo[],
  where: string,
): EvidenceTable {
  return {
    kind: "table",
    caption: `Certificate chain as sent (${where})`,
    columns: [
      { header: "#", width: 14, align: "right" },
      { header: "Subject, issuer, names", width: 180 },
      { header: "Valid", width: 56 },
      { header: "Key, signature", width: 99 },
      fingerprintColumn("SHA-256 fingerprint"),
    ],
    rows: chain.map((c, i) => [
      String(i),
      `${c.subject}\nissued by ${c.issuer}${c.subjectAltNames.length === 0 ? "" : `\nnames: ${c.subjectAltNames.map((s) => s.value).join(", ")}`}`,
      `${c.notBefore.slice(0, 10)}\nto ${c.notAfter.slice(0, 10)}`,
      `${c.keyType.toUpperCase()} ${c.keyBits}${c.curve === "" ? "" : ` ${c.curve}`}\n${c.signatureAlgorithm}${c.selfSigned ? "\nself-signed" : ""}`,
      fingerprintCell(c.fingerprintSha256),
    ]),
  };
}

/** The path as validated leaf → anchor, with what it came from, its revocation, and what was sent but not used. */
export function pathAsValidated(
  path: ValidatedPath,
  sent: readonly CertificateInfo[],
): EvidenceBlock[] {
  const revocation = new Map(
    path.revocation.map((r) => [`${r.subject}\u0000${r.serialNumber}`, r]),
  );
  const source = {
    sent: "sent by the server",
    plan: "the plan's trust anchor",
    "public-roots": "public root (bundled)",
  } as const;
  const blocks: EvidenceBlock[] = [
    {
      kind: "text",
      text: `Validation (RFC 5280): ${path.status === "valid" ? "✔ valid" : `✖ ${path.status}`}${path.problem === "" ? "." : ` — ${path.problem}`}${path.warnings.length === 0 ? "" : ` ${path.warnings.join(" ")}`}`,
    },
  ];
  if (path.certificates.length > 0)
    blocks.push({
      kind: "table",
      caption: "Certificate path as validated",
      columns: [
        { header: "#", width: 14, align: "right" },
        { header: "Certificate", width: 195 },
        { header: "Came from", width: 76 },
        { header: "Revocation", width: 64 },
        fingerprintColumn("SHA-256 fingerprint"),
      ],
      rows: path.certificates.map((c, i) => {
        const status = revocation.get(`${c.subject}\u0000${c.serialNumber}`);
        // A certificate the server sent is in the table above: named by its number there, not repeated.
        const sentAt = sent.findIndex(
          (s) => s.fingerprintSha256 === c.fingerprintSha256,
        );
        return [
          String(i),
          sentAt >= 0
            ? `${c.subject}\n= #${sentAt} as sent`
            : `${c.subject}\nserial ${c.serialNumber}`,
          `${source[c.source]}${c.sent && c.source !== "sent" ? " (also sent)" : ""}`,
          status === undefined
            ? "—"
            : status.status === "none"
              ? "no information"
              : status.status === "revoked"
                ? `✖ revoked ${status.revokedAt ?? ""} ${status.reason}`.trim()
                : `${status.status}${status.sources.length === 0 ? "" : ` (${status.sources.join(", ")})`}`,
          sentAt >= 0
            ? { text: `= #${sentAt} as sent`, font: "condensed" }
            : fingerprintCell(c.fingerprintSha256),
        ];
      }),
    });
  if (path.extras.length > 0)
    blocks.push({
      kind: "text",
      text: `Sent but not on the path: ${path.extras.map((e) => `#${e.sentIndex} ${e.subject} (${e.why})`).join("; ")}.`,
    });
  return blocks;
}

export function isCertificate(value: unknown): value is CertificateInfo {
  if (value === null || typeof value !== "object") return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record.fingerprintSha256 === "string" &&
    typeof record.subject === "string" &&
    typeof record.issuer === "string" &&
    typeof record.notAfter === "string"
  );
}

/** Every certificate anywhere in a record (leaves, intermediates, OPC UA application certificates). */
export function certificatesIn(data: unknown): CertificateInfo[] {
  const found: CertificateInfo[] = [];
  const walk = (value: unknown): void => {
    if (isCertificate(value)) {
      found.push(value);
      return;
    }
    if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === "object")
      Object.values(value).forEach(walk);
  };
  walk(data);
  return found;
}
