// The TLS server profile of one endpoint for the CLI's probe commands (tls, mtls, https): probe, judge with the
// --ca anchors, and say why nothing could be judged when the endpoint was not reached. Standalone probes name
// no boundary, so the checks carry the profile-level ids: tls.protocol, tls.suites, cert.chain, …
import { TLS_PROTOCOL_LABELS } from "../../../shared/catalog/thresholds";
import type { TlsEvidence } from "../../../shared/evidence/tls";
import { DEFAULT_POLICY } from "../../../shared/model/policy-defaults";
import type { EndpointKind } from "../../../shared/plant-words";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import { shortName } from "../../../shared/evidence/distinguished-name";
import { HostLimiter, type HostLookup } from "../../engine/net";
import { judgeTlsProfile } from "../../engine/rules/tls-profile";
import { needsServerNameMessage } from "../../engine/rules/server-name";
import { formatHostPort } from "../../../shared/model/net";
import { probeTls } from "../../engine/protocols/tls";
import type { CliIo } from "../io";
import { readCaFiles, readCrlFiles } from "../input-files";

export interface ProfileOptions {
  host: string;
  port: number;
  /** SNI and name check; the host when absent or equal to it. */
  serverName?: string;
  /** --ca files, each holding one or more PEM certificates. */
  caFiles: readonly string[];
  /** --crl files, PEM or DER. */
  crlFiles?: readonly string[];
  publicRoots: boolean;
  limiter?: HostLimiter;
  io: CliIo;
  /** The endpoint kind the command stands for (legacy hellos go to TLS kinds only). Default "tls". */
  endpointKind?: EndpointKind;
  /** For tests: DNS failures without the network. */
  lookup?: HostLookup;
  now?: () => Date;
}

export interface ProfileResult {
  checks: CheckOutcome[];
  evidence: TlsEvidence;
  /**
   * Why nothing could be judged (unreachable, not listening, DNS failure, a server that needs a server name probed
   * without one); null when the endpoint answered.
   */
  unjudged: string | null;
}

export async function profileChecks(
  options: ProfileOptions,
): Promise<ProfileResult> {
  // Read the anchors first: a bad --ca file is the user's to fix before anything is sent.
  const anchorsPem = await readCaFiles(options.caFiles, options.io.cwd);
  const crls = await readCrlFiles(options.crlFiles ?? [], options.io.cwd);
  const now = options.now ?? (() => new Date());
  const evidence = await probeTls(
    {
      host: options.host,
      port: options.port,
      ...(options.serverName !== undefined && {
        serverName: options.serverName,
      }),
    },
    {
      endpointKind: options.endpointKind ?? "tls",
      policy: DEFAULT_POLICY,
      limiter: options.limiter ?? HostLimiter.fromPolicy(DEFAULT_POLICY),
      ...(options.lookup !== undefined && { lookup: options.lookup }),
      now,
    },
  );
  const checks = await judgeTlsProfile("", evidence, {
    anchorsPem,
    crls,
    publicRoots: options.publicRoots,
    policy: DEFAULT_POLICY,
    now: now(),
  });
  return {
    checks,
    evidence,
    unjudged:
      evidence.reachability.state !== "open"
        ? evidence.reachability.message
        : evidence.refusedWithoutServerName === true
          ? needsServerNameMessage(formatHostPort(options.host, options.port))
          : null,
  };
}

/** A few lines on what was seen, under the table: negotiated parameters, protocols, the chain. */
export function describeTlsEvidence(evidence: TlsEvidence): string {
  if (evidence.reachability.state !== "open") return "";
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
