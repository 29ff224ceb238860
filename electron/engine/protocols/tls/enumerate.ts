// Protocol and suite enumeration with raw ClientHellos, the way sslscan and testssl.sh do it, but gently: for
// each protocol, offer every suite it can negotiate; the server picks one; offer the rest without it; repeat
// until it refuses. One connection at a time per protocol; the host limiter caps them all together.
import {
  TLS_PROTOCOL_LABELS,
  type TlsProtocol,
} from "../../../../shared/catalog/thresholds";
import type {
  TlsFailure,
  TlsProtocolScan,
} from "../../../../shared/evidence/tls";
import type { HostLimiter, ResolvedAddress, TcpTarget } from "../../net";
import {
  buildClientHello,
  PROTOCOL_VERSIONS,
  protocolOfVersion,
  x25519KeyShare,
} from "./client-hello";
import { exchangeHello, type HelloExchange } from "./exchange";
import type { ServerFlight } from "./server-hello";
import {
  suiteName,
  suitesFor,
} from "../../../../shared/evidence/cipher-suites";

export interface ScanContext {
  target: TcpTarget;
  resolved: ResolvedAddress;
  limiter: HostLimiter;
  timeoutMs: number;
  serverName: string;
  localAddress?: string;
  signal?: AbortSignal;
}

/** What the first TLS 1.2 hello's flight showed (it is read up to ServerHelloDone). */
export interface Tls12Flight {
  certificates: Buffer[] | null;
  certificateRequest: boolean;
  dhBits: number | null;
  /** The Certificate message was larger than we read: its announced size. */
  oversizedCertificateBytes: number | null;
}

export interface ProtocolScanResult {
  scan: TlsProtocolScan;
  failures: TlsFailure[];
  tls12Flight: Tls12Flight | null;
  /** How the very first hello was refused, before any ServerHello: an alert's number, a reset, a close; null otherwise. */
  firstRefusal: number | "reset" | "closed" | null;
}

/** No server accepts more suites than this per protocol; the loop stops there whatever happens. */
const MAX_ROUNDS = 160;

type ServerHelloFlight = Extract<ServerFlight, { status: "server-hello" }>;

export async function scanProtocol(
  protocol: TlsProtocol,
  context: ScanContext,
): Promise<ProtocolScanResult> {
  let offered = suitesFor(protocol);
  const accepted: number[] = [];
  const failures: TlsFailure[] = [];
  let acceptedFlag: boolean | null = null;
  let complete = true;
  let detail = "";
  let connections = 0;
  let tls12Flight: Tls12Flight | null = null;
  let firstRefusal: ProtocolScanResult["firstRefusal"] = null;
  /** A real ServerHello came (a HelloRetryRequest alone does not finish any handshake). */
  let sawServerHello = false;
  const keyShare = protocol === "TLSv1.3" ? x25519KeyShare() : undefined;
  const label = TLS_PROTOCOL_LABELS[protocol];
  const failure = (
    kind: TlsFailure["kind"],
    message: string,
    code = "",
  ): void => {
    failures.push({ stage: "enumeration", kind, protocol, code, message });
  };

  for (let round = 0; offered.length > 0; round++) {
    if (round >= MAX_ROUNDS) {
      complete = false;
      break;
    }
    const readFlight = protocol === "TLSv1.2" && round === 0;
    const hello = buildClientHello({
      protocol,
      suites: offered,
      ...(context.serverName !== "" && { serverName: context.serverName }),
      ...(keyShare !== undefined && { keyShare }),
    });
    const exchange: HelloExchange = await exchangeHello(context.target, hello, {
      limiter: context.limiter,
      resolved: context.resolved,
      timeoutMs: context.timeoutMs,
      ...(context.localAddress !== undefined && {
        localAddress: context.localAddress,
      }),
      ...(context.signal !== undefined && { signal: context.signal }),
      read: {
        until: readFlight ? "server-hello-done" : "server-hello",
        sslv2: protocol === "SSLv2",
      },
    });
    connections++;
    const refusedWith = (why: string): void => {
      acceptedFlag ??= false;
      detail = accepted.length > 0 ? `${detail}; then ${why}` : why;
    };

    if (exchange.outcome === "connect-failed") {
      complete = false;
      detail = exchange.error.message;
      failure(
        exchange.error.state,
        exchange.error.message,
        exchange.error.code,
      );
      break;
    }
    if (exchange.outcome === "timeout" || exchange.outcome === "too-large") {
      complete = false;
      const message =
        exchange.outcome === "timeout"
          ? `No answer to the ${label} ClientHello within ${context.timeoutMs / 1000} s.`
          : `The answer to the ${label} ClientHello was larger than Cellcert reads.`;
      detail = message;
      failure(exchange.outcome, message);
      break;
    }
    if (exchange.outcome !== "answer") {
      if (round === 0) firstRefusal = exchange.outcome;
      refusedWith(
        exchange.outcome === "closed"
          ? "connection closed"
          : "connection reset",
      );
      break;
    }
    const { flight } = exchange;
    if (flight.status === "sslv2-server-hello") {
      acceptedFlag = flight.ciphers.length > 0;
      accepted.push(...flight.ciphers);
      detail = `SSL 2.0 SERVER-HELLO with ${flight.ciphers.length} cipher(s)`;
      break;
    }
    if (flight.status === "sslv2-error") {
      refusedWith(`SSL 2.0 error ${flight.code}`);
      break;
    }
    if (flight.status === "alert") {
      if (round === 0) firstRefusal = flight.alert.description;
      refusedWith(`alert ${flight.alert.name}`);
      break;
    }
    if (flight.status === "not-tls") {
      refusedWith(`an answer that is not TLS (${flight.reason})`);
      break;
    }
    const chosen = chosenSuite(flight, protocol);
    if (chosen === "other-version") {
      const version =
        protocolOfVersion(flight.hello.version) ??
        `0x${flight.hello.version.toString(16)}`;
      refusedWith(
        `ServerHello ${typeof version === "string" && version in TLS_PROTOCOL_LABELS ? TLS_PROTOCOL_LABELS[version as TlsProtocol] : version}`,
      );
      break;
    }
    if (readFlight) {
      tls12Flight = {
        certificates: flight.certificates,
        certificateRequest: flight.certificateRequest,
        dhBits: flight.dhBits,
        oversizedCertificateBytes:
          flight.oversized?.type === 11 ? flight.oversized.bytes : null,
      };
    }
    acceptedFlag = true;
    accepted.push(chosen);
    if (!flight.hello.helloRetryRequest) sawServerHello = true;
    detail = `${flight.hello.helloRetryRequest ? "HelloRetryRequest" : "ServerHello"} ${label}`;
    if (!offered.includes(chosen)) {
      // A server that picks what it was not offered would loop forever; note it and stop.
      complete = false;
      failure(
        "tls-error",
        `The server chose ${suiteName(chosen)} with ${label}, which it was not offered: a broken TLS stack.`,
      );
      break;
    }
    offered = offered.filter((code) => code !== chosen);
  }
  return {
    scan: {
      protocol,
      tried: true,
      accepted: acceptedFlag,
      suites: accepted.map((code) => ({
        code,
        name: suiteName(code, protocol),
      })),
      suitesComplete: complete,
      detail,
      connections,
      ...(accepted.length > 0 && !sawServerHello && { helloRetryOnly: true }),
    },
    failures,
    tls12Flight,
    firstRefusal,
  };
}

/** The suite a ServerHello chose for `protocol`, or "other-version" when the server answered another one. */
function chosenSuite(
  flight: ServerHelloFlight,
  protocol: TlsProtocol,
): number | "other-version" {
  const wanted = PROTOCOL_VERSIONS[protocol];
  if (flight.hello.helloRetryRequest)
    return protocol === "TLSv1.3" ? flight.hello.suite : "other-version";
  return flight.hello.version === wanted ? flight.hello.suite : "other-version";
}

/** A protocol left out (legacy hellos switched off): recorded, not judged as refused. */
export function notTried(protocol: TlsProtocol): TlsProtocolScan {
  return {
    protocol,
    tried: false,
    accepted: null,
    suites: [],
    suitesComplete: false,
    detail: "not tried",
    connections: 0,
  };
}
