// The evidence a probe recorded, shown for people: the certificate chain (subject, issuer, SAN, validity, key,
// signature algorithm, fingerprints), the negotiated parameters, the timings, and the raw JSON underneath.
import type { ReactNode } from "react";
import {
  CertificateInfo,
  type CertificateInfo as Certificate,
} from "../../../shared/evidence/certificate";
import {
  MssqlEvidenceAnyVersion,
  type MssqlEvidence,
} from "../../../shared/evidence/mssql";
import {
  TlsEvidenceAnyVersion,
  type TlsEvidence,
} from "../../../shared/evidence/tls";
import {
  HttpEvidence,
  MtlsEvidence,
  TcpEvidence,
} from "../../../shared/evidence/web";
import type { Evidence } from "../../../shared/model/plan";
import { formatHostPort } from "../../../shared/model/net";

export function EvidenceView({ evidence }: { evidence: Evidence }): ReactNode {
  return (
    <section className="evidence" aria-label={`Evidence ${evidence.id}`}>
      <h4>
        {evidence.probe} probe of {evidence.target}
      </h4>
      <p className="muted">
        Recorded {formatTime(evidence.startedAt)} in {ms(evidence.durationMs)}.
      </p>
      <EvidenceBody data={evidence.data} />
      <details className="raw">
        <summary>Raw evidence (JSON)</summary>
        <pre tabIndex={0} aria-label={`Evidence ${evidence.id} as JSON`}>
          {JSON.stringify(evidence.data, null, 2)}
        </pre>
      </details>
    </section>
  );
}

function EvidenceBody({ data }: { data: unknown }): ReactNode {
  const tls = TlsEvidenceAnyVersion.safeParse(data);
  if (tls.success) return <TlsView evidence={tls.data} />;
  const http = HttpEvidence.safeParse(data);
  if (http.success) return <HttpView evidence={http.data} />;
  const mtls = MtlsEvidence.safeParse(data);
  if (mtls.success) return <MtlsView evidence={mtls.data} />;
  const tcp = TcpEvidence.safeParse(data);
  if (tcp.success) return <TcpView evidence={tcp.data} />;
  const mssql = MssqlEvidenceAnyVersion.safeParse(data);
  if (mssql.success) return <MssqlView evidence={mssql.data} />;
  return <GenericView data={data} />;
}

function Facts({ rows }: { rows: [string, ReactNode][] }): ReactNode {
  const shown = rows.filter(
    ([, value]) => value !== null && value !== undefined && value !== "",
  );
  if (shown.length === 0) return null;
  return (
    <dl className="facts">
      {shown.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function TlsView({ evidence }: { evidence: TlsEvidence }): ReactNode {
  const handshake = evidence.handshake;
  return (
    <>
      <h5>Negotiated parameters</h5>
      <Facts
        rows={[
          [
            "Reachability",
            evidence.unreachable === null
              ? `The port ${formatHostPort(evidence.target.host, evidence.target.port)} accepts connections.`
              : evidence.unreachable.message,
          ],
          ["Speaks TLS", evidence.speaksTls.message],
          ["Protocol", handshake?.protocol],
          ["Cipher suite", handshake?.suite.name],
          [
            "Key exchange",
            handshake?.group == null
              ? null
              : `${handshake.group}${handshake.groupBits === null ? "" : ` (${handshake.groupBits} bits)`}`,
          ],
          ["ALPN", handshake?.alpn],
          ["SNI sent", evidence.target.serverName || "none (an IP address)"],
          ["Connected to", evidence.target.address],
          ["From", evidence.target.localAddress || "the system's choice"],
          [
            "Client certificate requested",
            evidence.clientCertificateRequested === null
              ? null
              : evidence.clientCertificateRequested
                ? "yes"
                : "no",
          ],
        ]}
      />
      {evidence.protocols.length > 0 && (
        <table className="table">
          <caption>Protocols tried</caption>
          <thead>
            <tr>
              <th scope="col">Protocol</th>
              <th scope="col">Accepted</th>
              <th scope="col">Suites accepted</th>
            </tr>
          </thead>
          <tbody>
            {evidence.protocols.map((scan) => (
              <tr key={scan.protocol}>
                <th scope="row">{scan.protocol}</th>
                <td>
                  {!scan.tried
                    ? "not tried"
                    : scan.accepted === null
                      ? `could not tell (${scan.detail})`
                      : scan.accepted
                        ? "yes"
                        : "no"}
                </td>
                <td>
                  {scan.suites.map((s) => s.name).join(", ") || "—"}
                  {!scan.suitesComplete &&
                    scan.suites.length > 0 &&
                    " (list may be short)"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Chain
        title="Certificate chain as the server sent it"
        chain={evidence.chain}
      />
      <h5>Timings</h5>
      <Facts
        rows={[
          ["First answer", msOrNull(evidence.timings.firstAnswerMs)],
          [
            "Protocol and suite enumeration",
            msOrNull(evidence.timings.enumerationMs),
          ],
          ["Full handshake", msOrNull(evidence.timings.handshakeMs)],
          ["Connections opened", String(evidence.timings.connections)],
        ]}
      />
      {evidence.errors.length > 0 && (
        <ul className="plain-list">
          {evidence.errors.map((error, index) => (
            <li key={index}>
              {error.stage}: {error.message}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function HttpView({ evidence }: { evidence: HttpEvidence }): ReactNode {
  return (
    <>
      <Facts
        rows={[
          [
            "Requests",
            `${evidence.scheme.toUpperCase()} to ${formatHostPort(evidence.host, evidence.port)}`,
          ],
          ["Host header and SNI", evidence.serverName],
          ["Client identity presented", evidence.clientIdentity ? "yes" : "no"],
        ]}
      />
      <table className="table">
        <caption>Paths requested</caption>
        <thead>
          <tr>
            <th scope="col">URL</th>
            <th scope="col">Answer</th>
            <th scope="col">Headers</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {evidence.paths.flatMap((path) =>
            path.hops.map((hop, index) => (
              <tr key={`${path.path}-${index}`}>
                <th scope="row">{hop.url}</th>
                <td>
                  {hop.status === null ? hop.outcome : `HTTP ${hop.status}`}
                  {hop.error !== "" && ` — ${hop.error}`}
                </td>
                <td>
                  {Object.entries(hop.headers)
                    .map(([name, value]) => `${name}: ${value}`)
                    .join("; ") || "—"}
                </td>
                <td>{ms(hop.durationMs)}</td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </>
  );
}

function MtlsView({ evidence }: { evidence: MtlsEvidence }): ReactNode {
  return (
    <>
      <Facts
        rows={[
          [
            "Target",
            `${formatHostPort(evidence.host, evidence.port)}${evidence.path}`,
          ],
          ["Throwaway certificate", evidence.untrustedSubject],
          ["Plan's client identity", evidence.identitySubject],
          ["Identity problem", evidence.identityProblem],
        ]}
      />
      <table className="table">
        <caption>Clients tried</caption>
        <thead>
          <tr>
            <th scope="col">Client</th>
            <th scope="col">TLS</th>
            <th scope="col">Result</th>
            <th scope="col">Detail</th>
            <th scope="col">Time</th>
          </tr>
        </thead>
        <tbody>
          {evidence.attempts.map((attempt, index) => (
            <tr key={index}>
              <th scope="row">{attempt.client}</th>
              <td>{attempt.version}</td>
              <td>
                {attempt.result}
                {attempt.refusedAt !== "" && ` at ${attempt.refusedAt}`}
              </td>
              <td>
                {[
                  attempt.alert,
                  attempt.httpStatus === null
                    ? ""
                    : `HTTP ${attempt.httpStatus}`,
                  attempt.detail,
                ]
                  .filter((part) => part !== "")
                  .join(" · ")}
              </td>
              <td>{ms(attempt.durationMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function TcpView({ evidence }: { evidence: TcpEvidence }): ReactNode {
  return (
    <table className="table">
      <caption>
        Ports of {evidence.host}
        {evidence.localAddress === null ? "" : ` from ${evidence.localAddress}`}
      </caption>
      <thead>
        <tr>
          <th scope="col">Port</th>
          <th scope="col">State</th>
          <th scope="col">Detail</th>
          <th scope="col">Time</th>
        </tr>
      </thead>
      <tbody>
        {evidence.ports.map((port) => (
          <tr key={port.port}>
            <th scope="row">{port.port}</th>
            <td>{port.state}</td>
            <td>{port.message}</td>
            <td>{ms(port.durationMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MssqlView({ evidence }: { evidence: MssqlEvidence }): ReactNode {
  const prelogin = evidence.prelogin;
  const tls = prelogin?.tls ?? evidence.tds8?.tls ?? null;
  const session = evidence.credentialed;
  return (
    <>
      <h5>Negotiated parameters</h5>
      <Facts
        rows={[
          [
            "Target",
            `${evidence.target.host}${evidence.target.port === null ? "" : `:${evidence.target.port}`} (${evidence.target.portSource})`,
          ],
          ["Unreachable", evidence.unreachable?.message],
          ["PRELOGIN answer", prelogin?.outcome],
          ["Encryption offered", prelogin?.answer?.encryption],
          ["Server version", prelogin?.answer?.version?.text],
          ["TLS inside TDS", tls?.protocol],
          ["Cipher", tls?.cipher?.standardName],
          ["TDS 8.0", evidence.tds8?.outcome ?? evidence.tds8Skipped],
          ["SQL login", session?.login],
          [
            "Login",
            session === null
              ? evidence.credentialsSkipped
              : session.connected
                ? "connected"
                : session.error?.message,
          ],
          ["Session encrypted", session?.session?.encryptOption],
          ["Authentication", session?.session?.authScheme],
          [
            "Integrated security only",
            session?.integratedSecurityOnly == null
              ? null
              : String(session.integratedSecurityOnly),
          ],
        ]}
      />
      {tls !== null && (
        <Chain title="Certificate inside TDS" chain={tls.chain} />
      )}
    </>
  );
}

/** Evidence without its own view: every certificate chain in it, and every timing. */
function GenericView({ data }: { data: unknown }): ReactNode {
  const chains = findChains(data);
  const timings = findTimings(data);
  return (
    <>
      {chains.map((chain) => (
        <Chain
          key={chain.path}
          title={`Certificates at ${chain.path}`}
          chain={chain.certificates}
        />
      ))}
      {timings.length > 0 && (
        <>
          <h5>Timings</h5>
          <Facts rows={timings.map(([name, value]) => [name, ms(value)])} />
        </>
      )}
    </>
  );
}

export function Chain({
  title,
  chain,
}: {
  title: string;
  chain: readonly Certificate[];
}): ReactNode {
  if (chain.length === 0) return null;
  return (
    <>
      <h5>{title}</h5>
      <ol className="chain">
        {chain.map((certificate, index) => (
          <li
            key={`${certificate.fingerprintSha256}-${index}`}
            className="chain-item"
          >
            <p className="chain-role">
              {index === 0
                ? "Leaf"
                : certificate.selfSigned
                  ? "Root"
                  : "Intermediate"}
              {certificate.isCA ? " · CA" : ""}
              {certificate.selfSigned ? " · self-signed" : ""}
            </p>
            <Facts
              rows={[
                ["Subject", certificate.subject],
                ["Issuer", certificate.issuer],
                [
                  "Subject alternative names",
                  certificate.subjectAltNames
                    .map((san) => `${san.type.toUpperCase()}: ${san.value}`)
                    .join(", ") || "none",
                ],
                [
                  "Valid",
                  `${formatTime(certificate.notBefore)} to ${formatTime(certificate.notAfter)}`,
                ],
                [
                  "Key",
                  `${certificate.keyType.toUpperCase()} ${certificate.keyBits} bits${certificate.curve === "" ? "" : ` (${certificate.curve})`}`,
                ],
                ["Signature algorithm", certificate.signatureAlgorithm],
                [
                  "SHA-256 fingerprint",
                  <code key="fp">{certificate.fingerprintSha256}</code>,
                ],
                ["Serial number", certificate.serialNumber],
              ]}
            />
          </li>
        ))}
      </ol>
    </>
  );
}

/** Arrays of certificates anywhere in a piece of evidence, with where they were found. */
export function findChains(
  data: unknown,
  path = "",
): { path: string; certificates: Certificate[] }[] {
  if (Array.isArray(data)) {
    if (data.length > 0) {
      const parsed = data.map((entry) => CertificateInfo.safeParse(entry));
      if (parsed.every((p) => p.success))
        return [{ path: path || "/", certificates: parsed.map((p) => p.data) }];
    }
    return data.flatMap((entry, index) =>
      findChains(entry, `${path}/${index}`),
    );
  }
  if (typeof data === "object" && data !== null)
    return Object.entries(data).flatMap(([key, value]) =>
      findChains(value, `${path}/${key}`),
    );
  return [];
}

/** Numbers named …Ms, with their path, in the order found. */
export function findTimings(data: unknown, path = ""): [string, number][] {
  if (typeof data !== "object" || data === null) return [];
  return Object.entries(data).flatMap(([key, value]): [string, number][] => {
    const at = path === "" ? key : `${path}.${key}`;
    if (typeof value === "number" && key.endsWith("Ms")) return [[at, value]];
    if (Array.isArray(value)) return [];
    return findTimings(value, at);
  });
}

function ms(value: number): string {
  return value >= 1000
    ? `${(value / 1000).toFixed(2)} s`
    : `${Math.round(value)} ms`;
}

function msOrNull(value: number | null): string | null {
  return value === null ? null : ms(value);
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}
