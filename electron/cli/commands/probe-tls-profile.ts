// What `cellcert probe tls` prints under its table: the TLS server profile's evidence in a few lines.
import { TLS_PROTOCOL_LABELS } from "../../../shared/catalog/thresholds";
import type { TlsEvidence } from "../../../shared/evidence/tls";
import { shortName } from "../../../shared/evidence/distinguished-name";

/** A few lines on what was seen, under the table: negotiated parameters, protocols, the chain. */
export function describeTlsEvidence(evidence: TlsEvidence): string {
  if (evidence.unreachable !== null) return "";
  const lines: string[] = [];
  const handshake = evidence.handshake;
  if (handshake !== null) {
    const group =
      handshake.group === null
        ? ""
        : `, ${handshake.group}${handshake.group === "DH" && handshake.groupBits !== null ? ` ${handshake.groupBits}` : ""}`;
    lines.push(
      `Negotiated   ${handshake.protocol} ${handshake.suite.name}${group}${handshake.alpn === null ? "" : `, ALPN ${handshake.alpn}`}`,
    );
  }
  const accepted = evidence.protocols.filter((p) => p.accepted === true);
  if (accepted.length > 0) {
    lines.push(
      `Protocols    ${accepted.map((p) => `${TLS_PROTOCOL_LABELS[p.protocol]} (${p.suites.length} suite${p.suites.length === 1 ? "" : "s"})`).join(", ")}`,
    );
  }
  evidence.chain.forEach((certificate, index) => {
    const name = shortName(certificate.subject);
    lines.push(
      (index === 0 ? "Chain" : "").padEnd(13) +
        `${index}  ${name} · ${certificate.keyType.toUpperCase()} ${certificate.keyBits} · ${certificate.signatureAlgorithm} · until ${certificate.notAfter.slice(0, 10)}`,
    );
    lines.push(`${"".padEnd(16)}SHA-256 ${certificate.fingerprintSha256}`);
  });
  lines.push(
    `Connections  ${evidence.timings.connections} (at most 2 at a time to this host)`,
  );
  return lines.join("\n");
}
