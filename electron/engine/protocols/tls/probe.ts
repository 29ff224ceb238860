// The TLS probe of one endpoint: reachability, "does it speak TLS", every accepted protocol and suite (raw
// ClientHellos), the full handshake (node:tls) and the chain — recorded as TlsEvidence, judged elsewhere
// (rules/tls-profile.ts). I/O only; no verdicts here.
import {
  TLS_PROTOCOLS,
  type TlsProtocol,
} from "../../../../shared/catalog/thresholds";
import type { CertificateInfo } from "../../../../shared/evidence/certificate";
import { TLS_EVIDENCE_SCHEMA } from "../../../../shared/evidence/schema-names";
import type {
  TlsEvidence,
  TlsFailure,
  TlsProtocolScan,
} from "../../../../shared/evidence/tls";
import { TLS_ENDPOINT_KINDS } from "../../../../shared/model/endpoint-kinds";
import type { Policy } from "../../../../shared/model/plan";
import {
  formatHostPort,
  isIpLiteral,
  sendsServerName,
} from "../../../../shared/model/net";
import type { EndpointKind } from "../../../../shared/plant-words";
import { certificateInfoFromDer } from "../../x509/certificate-info";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import {
  ConnectError,
  HostLimiter,
  isStop,
  resolveTarget,
  type ResolvedAddress,
  type ProbeOptions,
} from "../../net";
import { buildClientHello } from "./client-hello";
import { notTried, scanProtocol, type Tls12Flight } from "./enumerate";
import { exchangeHello, type HelloExchange } from "./exchange";
import { fullHandshake, type HandshakeResult } from "./handshake";
import {
  suiteByCode,
  suitesFor,
} from "../../../../shared/evidence/cipher-suites";

export interface TlsTarget {
  host: string;
  port: number;
  /** SNI and name check; the host when absent (IP addresses send no SNI). */
  serverName?: string;
}

/** The probe contract's options, with the timeout read from the policy beside the connection limits. */
export interface TlsProbeOptions extends Omit<ProbeOptions, "timeoutMs"> {
  /**
   * The plan endpoint's kind. Legacy ClientHellos (SSL 2.0 to TLS 1.1) go only to endpoints of TLS kinds
   * (DESIGN §5): any other kind is refused here, loudly.
   */
  endpointKind: EndpointKind;
  policy: Pick<
    Policy,
    "timeoutMs" | "maxConnectionsPerHost" | "maxConnections"
  >;
  /** Stop at once: sockets are destroyed and the evidence records `unreachable` stopped, at the stage reached. */
  signal?: AbortSignal;
  /** Which protocols to enumerate; all six by default. */
  protocols?: readonly TlsProtocol[];
  /** ALPN offered in the full handshake; by default h2 and http/1.1 for https kinds, none for tls. */
  alpn?: readonly string[];
}

export async function probeTls(
  target: TlsTarget,
  options: TlsProbeOptions,
): Promise<TlsEvidence> {
  if (!TLS_ENDPOINT_KINDS.includes(options.endpointKind)) {
    throw new Error(
      `probeTls sends legacy ClientHellos and is only for TLS endpoints (${TLS_ENDPOINT_KINDS.join(", ")}), not "${options.endpointKind}".`,
    );
  }
  const now = options.now ?? (() => new Date());
  const startedAt = now();
  const started = performance.now();
  const elapsed = (): number => Math.round(performance.now() - started);
  const timeoutMs = options.policy.timeoutMs;
  const limiter = options.limiter ?? HostLimiter.fromPolicy(options.policy);
  const host = target.host.replace(/^\[(.*)\]$/, "$1");
  const serverName =
    target.serverName !== undefined && target.serverName !== ""
      ? target.serverName
      : isIpLiteral(host)
        ? ""
        : host;
  const sniName = sendsServerName(serverName) ? serverName : "";
  const tcpTarget = { host, port: target.port };
  const where = formatHostPort(host, target.port);
  const errors: TlsFailure[] = [];

  const evidence = (fields: Partial<TlsEvidence>): TlsEvidence => ({
    schema: TLS_EVIDENCE_SCHEMA,
    target: {
      host,
      port: target.port,
      serverName: sniName,
      address: "",
      localAddress: options.localAddress ?? "",
    },
    endpointKind: options.endpointKind,
    startedAt: startedAt.toISOString(),
    durationMs: elapsed(),
    unreachable: null,
    speaksTls: {
      verdict: "unknown",
      answer: "",
      message: "",
      firstBytesHex: "",
    },
    handshake: null,
    chain: [],
    chainSource: "none",
    clientCertificateRequested: null,
    dhBits: null,
    protocols: [],
    timings: {
      firstAnswerMs: null,
      enumerationMs: null,
      handshakeMs: null,
      connections: 0,
    },
    errors,
    ...fields,
  });
  const unreachable = (error: ConnectError, address: string): TlsEvidence =>
    evidence({
      target: {
        host,
        port: target.port,
        serverName: sniName,
        address,
        localAddress: options.localAddress ?? "",
      },
      unreachable: {
        stage: "connect",
        kind: error.state,
        protocol: null,
        code: error.code,
        message: error.message,
      },
    });
  // Stop: what was seen is kept (where it is, the first answer; a scan broken off is not), and the record says
  // where the probe was when it stopped.
  let stage: TlsFailure["stage"] = "connect";
  let seenSoFar: Partial<TlsEvidence> = {};
  const stopped = (seen: TlsEvidence = evidence(seenSoFar)): TlsEvidence => ({
    ...seen,
    durationMs: elapsed(),
    unreachable: { stage, protocol: null, ...STOPPED_FAILURE },
  });
  try {
    const seen = await probeSteps();
    return options.signal?.aborted === true ? stopped(seen) : seen;
  } catch (error) {
    if (isStop(error, options.signal)) return stopped();
    throw error;
  }

  async function probeSteps(): Promise<TlsEvidence> {
    // 1. Where is it?
    let resolved: ResolvedAddress;
    try {
      resolved = await resolveTarget(tcpTarget, {
        timeoutMs,
        ...(options.lookup !== undefined && { lookup: options.lookup }),
        ...(options.localAddress !== undefined && {
          localAddress: options.localAddress,
        }),
        ...(options.signal !== undefined && { signal: options.signal }),
      });
    } catch (error) {
      if (error instanceof ConnectError) return unreachable(error, "");
      throw error;
    }
    const targetFields = {
      host,
      port: target.port,
      serverName: sniName,
      address: resolved.address,
      localAddress: options.localAddress ?? "",
    };
    seenSoFar = { target: targetFields };
    const context = {
      target: tcpTarget,
      resolved,
      limiter,
      timeoutMs,
      serverName: sniName,
      ...(options.localAddress !== undefined && {
        localAddress: options.localAddress,
      }),
      ...(options.signal !== undefined && { signal: options.signal }),
    };

    // 2. Does it speak TLS? One browser-like hello offering TLS 1.0 to 1.3 and every suite.
    stage = "first-hello";
    const first = await exchangeHello(
      tcpTarget,
      buildClientHello({
        protocol: "TLSv1.3",
        supportedVersions: ["TLSv1.3", "TLSv1.2", "TLSv1.1", "TLSv1"],
        suites: [...suitesFor("TLSv1.3"), ...suitesFor("TLSv1.2")],
        ...(sniName !== "" && { serverName: sniName }),
      }),
      { ...context },
    );
    if (first.outcome === "connect-failed")
      return unreachable(first.error, resolved.address);
    const firstAnswer = classifyFirstAnswer(first, where, timeoutMs);
    seenSoFar = {
      target: targetFields,
      speaksTls: {
        verdict: firstAnswer.answer === "tls" ? "yes" : "unknown",
        answer: firstAnswer.answer,
        message:
          firstAnswer.answer === "tls"
            ? `The server at ${where} speaks TLS.`
            : firstAnswer.message,
        firstBytesHex: firstBytesOf(first).toString("hex"),
      },
      timings: {
        firstAnswerMs: first.ms,
        enumerationMs: null,
        handshakeMs: null,
        connections: 1,
      },
    };
    if (firstAnswer.stop) {
      errors.push({
        stage: "first-hello",
        kind: firstAnswer.kind,
        protocol: null,
        code: "",
        message: firstAnswer.message,
      });
      // The first answer says enough: not TLS (nothing more is tried).
      return evidence({
        ...seenSoFar,
        speaksTls: {
          verdict: "no",
          answer: firstAnswer.answer,
          message: firstAnswer.message,
          firstBytesHex: firstBytesOf(first).toString("hex"),
        },
      });
    }

    // 3. Every protocol and suite, and the full handshake, side by side (the limiter keeps the host's limit).
    const protocols = options.protocols ?? TLS_PROTOCOLS;
    stage = "enumeration";
    const enumerationStarted = performance.now();
    const [scans, handshake] = await Promise.all([
      Promise.all(
        TLS_PROTOCOLS.map((protocol) =>
          protocols.includes(protocol)
            ? scanProtocol(protocol, context)
            : Promise.resolve({
                scan: notTried(protocol),
                failures: [],
                tls12Flight: null,
                firstRefusal: null,
              }),
        ),
      ).then((result) => ({
        result,
        ms: Math.round(performance.now() - enumerationStarted),
      })),
      fullHandshake(tcpTarget, {
        limiter,
        resolved,
        timeoutMs,
        ...(sniName !== "" && { serverName: sniName }),
        alpn:
          options.alpn ??
          (options.endpointKind === "tls" ? [] : ["h2", "http/1.1"]),
        ...(options.localAddress !== undefined && {
          localAddress: options.localAddress,
        }),
        ...(options.signal !== undefined && { signal: options.signal }),
      }).catch((error: unknown): HandshakeResult => {
        if (error instanceof ConnectError) {
          return {
            ok: false,
            kind: error.state === "reset" ? "reset" : "closed",
            code: error.code,
            message: error.message,
          };
        }
        throw error;
      }),
    ]);
    const protocolScans: TlsProtocolScan[] = scans.result.map((s) => s.scan);
    for (const s of scans.result) errors.push(...s.failures);
    const flight: Tls12Flight | null =
      scans.result.find((s) => s.tls12Flight !== null)?.tls12Flight ?? null;
    // The DHE group size shows only when the server picks a DHE suite; ask for one if it accepts any.
    let dhBits = flight?.dhBits ?? null;
    const dheSuites = (
      protocolScans.find((s) => s.protocol === "TLSv1.2")?.suites ?? []
    )
      .map((suite) => suite.code)
      .filter((code) => suiteByCode(code)?.keyExchange === "DHE");
    let extraConnections = 0;
    if (dhBits === null && dheSuites.length > 0) {
      extraConnections++;
      const dhe = await exchangeHello(
        tcpTarget,
        buildClientHello({
          protocol: "TLSv1.2",
          suites: dheSuites,
          ...(sniName !== "" && { serverName: sniName }),
        }),
        { ...context, read: { until: "server-hello-done" } },
      );
      if (dhe.outcome === "answer" && dhe.flight.status === "server-hello")
        dhBits = dhe.flight.dhBits;
    }

    // 4. The chain: from the handshake; from the TLS 1.2 flight when the handshake failed (e.g. a client
    // certificate demanded in TLS 1.2).
    let chain: CertificateInfo[] = [];
    let chainSource: TlsEvidence["chainSource"] = "none";
    let ocspStaple: string | null = null;
    if (handshake.ok) {
      chain = readable(handshake.chainDer);
      chainSource =
        handshake.chainSource === "sent" ? "handshake" : "reconstructed";
      ocspStaple = handshake.ocspStaple?.toString("base64") ?? null;
    } else {
      errors.push({
        stage: "handshake",
        kind: handshake.kind === "closed" ? "closed" : handshake.kind,
        protocol: null,
        code: handshake.code,
        message: handshake.message,
      });
      if (flight?.certificates !== undefined && flight.certificates !== null) {
        chain = readable(flight.certificates);
        chainSource = "tls12-flight";
      }
    }
    if (flight?.oversizedCertificateBytes != null) {
      errors.push({
        stage: "enumeration",
        kind: "too-large",
        protocol: "TLSv1.2",
        code: "",
        message: `The server's Certificate message is ${flight.oversizedCertificateBytes.toLocaleString("en-US")} bytes; TLS clients refuse chains over 100 KiB.`,
      });
    }

    const anyAccepted = protocolScans.some((s) => s.accepted === true);
    // Without a server name, refused before any ServerHello by 112, 40 or a reset at every TLS 1.2/1.3 hello: the
    // server wants a name (nginx's ssl_reject_handshake, HTTP.sys with SNI bindings only) — not "no TLS".
    const nameRefusal = (
      refusal: number | "reset" | "closed" | null,
    ): boolean => refusal === 112 || refusal === 40 || refusal === "reset";
    const firstRefusal =
      first.outcome === "reset"
        ? "reset"
        : first.outcome === "answer" && first.flight.status === "alert"
          ? first.flight.alert.description
          : null;
    const refusedWithoutServerName =
      sniName === "" &&
      !anyAccepted &&
      !handshake.ok &&
      nameRefusal(firstRefusal) &&
      scans.result
        .filter(
          (s) => s.scan.protocol === "TLSv1.2" || s.scan.protocol === "TLSv1.3",
        )
        .every((s) => !s.scan.tried || nameRefusal(s.firstRefusal));
    const speaksTls: TlsEvidence["speaksTls"] = refusedWithoutServerName
      ? {
          verdict: "unknown",
          answer: firstAnswer.answer,
          message: `Without a server name, the server at ${where} refused every TLS 1.2 and TLS 1.3 ClientHello before any ServerHello (${typeof firstRefusal === "number" ? `alert ${firstRefusal}` : "a reset"}).`,
          firstBytesHex: firstBytesOf(first).toString("hex"),
        }
      : firstAnswer.answer === "tls" || anyAccepted || handshake.ok
        ? {
            verdict: "yes",
            answer: "tls",
            message: `The server at ${where} speaks TLS.`,
            firstBytesHex: firstBytesOf(first).toString("hex"),
          }
        : {
            verdict: "no",
            answer: firstAnswer.answer,
            message: firstAnswer.message,
            firstBytesHex: firstBytesOf(first).toString("hex"),
          };
    const handshakeGroupBits =
      handshake.ok && handshake.handshake.group === "DH"
        ? handshake.handshake.groupBits
        : null;

    return evidence({
      target: targetFields,
      speaksTls,
      ...(refusedWithoutServerName && { refusedWithoutServerName }),
      handshake: handshake.ok ? handshake.handshake : null,
      chain,
      chainSource,
      ocspStaple,
      clientCertificateRequested: flight?.certificateRequest ?? null,
      dhBits: dhBits ?? handshakeGroupBits,
      protocols: protocolScans,
      timings: {
        firstAnswerMs: first.ms,
        enumerationMs: scans.ms,
        handshakeMs: handshake.ok ? handshake.handshake.durationMs : null,
        // The first hello, the enumeration, a DHE follow-up if one was needed, and the full handshake.
        connections:
          1 +
          protocolScans.reduce((sum, s) => sum + s.connections, 0) +
          extraConnections +
          1,
      },
    });
  }
}

/** Certificates that cannot be read are left out of the evidence (the chain check then names the gap). */
function readable(ders: readonly Buffer[]): CertificateInfo[] {
  return ders.flatMap((der) => {
    try {
      return [certificateInfoFromDer(der)];
    } catch {
      return [];
    }
  });
}

function firstBytesOf(exchange: HelloExchange): Buffer {
  return "firstBytes" in exchange ? exchange.firstBytes : Buffer.alloc(0);
}

interface FirstAnswer {
  /** Stop here: nothing more to learn, or nothing safe to try. */
  stop: boolean;
  answer: string;
  kind: TlsFailure["kind"];
  message: string;
}

/** What the first hello's answer says about the endpoint. */
function classifyFirstAnswer(
  exchange: Exclude<HelloExchange, { outcome: "connect-failed" }>,
  where: string,
  timeoutMs: number,
): FirstAnswer {
  const seconds = `${timeoutMs / 1000} s`;
  switch (exchange.outcome) {
    case "answer": {
      const { flight } = exchange;
      if (flight.status === "not-tls") {
        const text = exchange.firstBytes.toString("latin1");
        if (/^HTTP\/\d/.test(text)) {
          return {
            stop: true,
            answer: "plaintext-http",
            kind: "not-tls",
            message: `The server at ${where} answered a TLS ClientHello with plain HTTP ("${firstLine(text)}"), not TLS: this port serves unencrypted HTTP.`,
          };
        }
        if (/^[\x20-\x7e\r\n\t]{4,}/.test(text)) {
          return {
            stop: true,
            answer: "plaintext",
            kind: "not-tls",
            message: `The server at ${where} answered a TLS ClientHello in plain text ("${firstLine(text)}"), not TLS: this port speaks another protocol.`,
          };
        }
        return {
          stop: true,
          answer: "garbage",
          kind: "not-tls",
          message: `The server at ${where} answered a TLS ClientHello with bytes that are not TLS (${exchange.firstBytes.subarray(0, 8).toString("hex")}…: ${flight.reason}).`,
        };
      }
      return { stop: false, answer: "tls", kind: "alert", message: "" };
    }
    case "timeout":
      return exchange.received === 0
        ? {
            stop: true,
            answer: "silent",
            kind: "timeout",
            message: `The server at ${where} accepted the connection but answered nothing to a TLS ClientHello within ${seconds}: it does not speak TLS on this port, or it hangs.`,
          }
        : {
            stop: true,
            answer: "slow",
            kind: "timeout",
            message: `The server at ${where} sent only ${exchange.received} byte${exchange.received === 1 ? "" : "s"} in ${seconds} in answer to a TLS ClientHello: far too slow to complete a TLS handshake.`,
          };
    case "too-large":
      return {
        stop: true,
        answer: "garbage",
        kind: "too-large",
        message: `The server at ${where} answered a TLS ClientHello with over ${Math.round(exchange.received / 1024)} KiB that never formed a ServerHello: not TLS.`,
      };
    case "closed":
      return {
        stop: false,
        answer: "closed",
        kind: "closed",
        message: `The server at ${where} closes the connection without answering a TLS ClientHello: it does not speak TLS on this port${exchange.firstBytes.length > 0 ? ` (it sent ${exchange.firstBytes.length} bytes first)` : ""}.`,
      };
    case "reset":
      return {
        stop: false,
        answer: "reset",
        kind: "reset",
        message: `The server at ${where} resets the connection when it receives a TLS ClientHello: it does not complete TLS on this port.`,
      };
  }
}

function firstLine(text: string): string {
  const line = text.split(/\r?\n/)[0] ?? "";
  return line.length > 60 ? `${line.slice(0, 60)}…` : line;
}
