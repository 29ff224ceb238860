// Comparing what was observed of an endpoint in two audits: the server's certificate (renewed, new issuer, new
// key, expiry moved), TLS protocols and suites and OPC UA security policies gained or lost, ports opened or closed.
import {
  TLS_PROTOCOL_LABELS,
  type TlsProtocol,
} from "../../../shared/catalog/thresholds";
import type { CertificateSummary, EndpointObservations } from "./record";
import type { Comparison } from "./compare-shared";

export function compareObservations(
  comparison: Comparison,
  endpointId: string,
  boundaryId: string | null,
  before: EndpointObservations | undefined,
  after: EndpointObservations | undefined,
): void {
  const { was, now, row } = comparison;
  if (before === undefined || after === undefined) return;
  const at = { endpointId, boundaryId };
  // The server's own certificate.
  const a = before.certificate?.leaf;
  const b = after.certificate?.leaf;
  if (
    a !== undefined &&
    b !== undefined &&
    a.fingerprintSha256 !== b.fingerprintSha256
  )
    row({
      ...at,
      kind: "certificate",
      direction: "changed",
      was: certificateText(a),
      now: certificateText(b),
      message: `The server's certificate changed: ${certificateChanges(a, b).join(", ")}.`,
    });
  // TLS protocols, then the suites of each protocol accepted on both sides.
  if (before.protocols !== null && after.protocols !== null) {
    for (const [protocol, accepted] of after.protocols) {
      if (!before.protocols.has(protocol)) continue;
      const earlier = before.protocols.get(protocol) ?? null;
      if (earlier === accepted) continue;
      const label = protocolLabel(protocol);
      const said = (v: boolean | null): string =>
        v === null ? "could not tell" : v ? "accepted" : "refused";
      row({
        ...at,
        kind: "protocol",
        direction:
          earlier === null || accepted === null ? "not-comparable" : "changed",
        was: `${label} ${said(earlier)}`,
        now: `${label} ${said(accepted)}`,
        message:
          earlier === null || accepted === null
            ? `Whether the server accepts ${label} could not be told in ${earlier === null ? was : now}.`
            : accepted
              ? `${label} gained: the server accepts it now, and refused it in ${was}.`
              : `${label} lost: the server refuses it now, and accepted it in ${was}.`,
      });
    }
  }
  if (before.suites !== null && after.suites !== null) {
    for (const [protocol, suites] of after.suites) {
      const earlier = before.suites.get(protocol);
      if (earlier === undefined) continue;
      const label = protocolLabel(protocol);
      if (!earlier.complete || !suites.complete) {
        row({
          ...at,
          kind: "suite",
          direction: "not-comparable",
          message: `The ${label} suites are not compared: their enumeration stopped early in ${!earlier.complete ? was : now}.`,
        });
        continue;
      }
      setRows(row, at, `${label} suites`, earlier.suites, suites.suites);
    }
  }
  if (before.opcuaOffers !== null && after.opcuaOffers !== null)
    setRows(
      row,
      at,
      "OPC UA security policies",
      before.opcuaOffers,
      after.opcuaOffers,
    );
  // Ports, per vantage.
  for (const [key, port] of after.ports) {
    const earlier = before.ports.get(key);
    if (earlier === undefined || earlier.state === port.state) continue;
    const comparable = earlier.state !== "unknown" && port.state !== "unknown";
    row({
      ...at,
      kind: "port",
      direction: comparable ? "changed" : "not-comparable",
      vantage: port.vantage,
      was: `${port.port} ${earlier.state}`,
      now: `${port.port} ${port.state}`,
      message: comparable
        ? `Port ${port.port}, seen from the ${port.vantage} vantage, is ${port.state === "open" ? "opened" : "closed"} now (${earlier.state} in ${was}).`
        : `Port ${port.port}, seen from the ${port.vantage} vantage, could not be told open or closed in ${earlier.state === "unknown" ? was : now}.`,
    });
  }
}

function setRows(
  row: Comparison["row"],
  at: { endpointId: string; boundaryId: string | null },
  what: string,
  before: ReadonlySet<string>,
  after: ReadonlySet<string>,
): void {
  const gained = [...after].filter((s) => !before.has(s)).sort();
  const lost = [...before].filter((s) => !after.has(s)).sort();
  if (gained.length > 0)
    row({
      ...at,
      kind: "suite",
      direction: "changed",
      now: gained.join(", "),
      message: `${what} gained: ${gained.join(", ")}.`,
    });
  if (lost.length > 0)
    row({
      ...at,
      kind: "suite",
      direction: "changed",
      was: lost.join(", "),
      message: `${what} lost: ${lost.join(", ")}.`,
    });
}

function certificateText(certificate: CertificateSummary): string {
  return `${certificate.subject}, issued by ${certificate.issuer}, expires ${certificate.notAfter.slice(0, 10)}`;
}

/** renewed / new subject, new issuer, new key or same key, expiry moved. */
function certificateChanges(
  a: CertificateSummary,
  b: CertificateSummary,
): string[] {
  const parts: string[] = [];
  if (a.subject === b.subject) parts.push("renewed");
  else parts.push(`new subject ${b.subject} (was ${a.subject})`);
  if (a.issuer !== b.issuer)
    parts.push(`new issuer ${b.issuer} (was ${a.issuer})`);
  if (a.keySha256 === null || b.keySha256 === null)
    parts.push("whether the key changed could not be told");
  else parts.push(a.keySha256 === b.keySha256 ? "same key" : "new key");
  const from = a.notAfter.slice(0, 10);
  const to = b.notAfter.slice(0, 10);
  if (from !== to)
    parts.push(
      `expiry moved ${to > from ? "later" : "earlier"}, from ${from} to ${to}`,
    );
  return parts;
}

function protocolLabel(protocol: string): string {
  return protocol in TLS_PROTOCOL_LABELS
    ? TLS_PROTOCOL_LABELS[protocol as TlsProtocol]
    : protocol;
}
