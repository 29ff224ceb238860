// The OPC UA probe (MES-PCS): one connection to opc.tcp://HOST:PORT[/PATH] through the run's connection limiter,
// Hello, OpenSecureChannel with SecurityPolicy None (the discovery channel), GetEndpoints, CloseSecureChannel —
// nothing else. No session, no certificate of our own, no credential: a server sees what any client sees before
// it connects. Returns evidence; judging is rules/opcua.ts's job.
//
// Why not node-opcua-client: its transport connects with neither a source address (a vantage's network card, the
// practice plant's per-cell loopback address) nor a socket we hand it, so it could not probe from the vantage nor
// hold the run's per-host slot until its connection is really closed; and it insists on making a client
// certificate and a PKI folder for a channel that needs none. The handful of messages below is all GetEndpoints
// takes, and each read is bounded in time and size. The integration tests hold it against node-opcua-server.
import type { CertificateInfo } from "../../../shared/evidence/certificate";
import {
  OPCUA_EVIDENCE_SCHEMA,
  type GetEndpointsStep,
  type HelloStep,
  type OpcuaEndpoint,
  type OpcuaError,
  type OpcuaEvidence,
  type SecureChannelStep,
} from "../../../shared/evidence/opcua";
import { formatHostPort, isIPv6 } from "../../../shared/model/net";
import { certificateInfoFromDer } from "../x509";
import {
  ConnectError,
  connectFailureRecord,
  HostLimiter,
  isAbortError,
  resolveTarget,
  withConnection,
  type HostLookup,
  type ResolvedAddress,
} from "../net";
import { OpcuaDecodeError, UaReader } from "./binary";
import {
  encodeCloseSecureChannel,
  encodeGetEndpoints,
  encodeHello,
  encodeOpenSecureChannel,
  EncodingId,
  HEADER_SIZE,
  MAX_ENDPOINT_URL_BYTES,
  parseAcknowledge,
  parseErrorBody,
  parseErrorMessage,
  parseSecureChunk,
  readGetEndpointsResponse,
  readOpenSecureChannelResponse,
  readServiceResponse,
  splitDerCertificates,
  type RawEndpoint,
} from "./messages";
import { describeStatus, isBad, statusName } from "./status-codes";
import { MessageStream, type ReadLimits, type ReadOutcome } from "./transport";

export const DEFAULT_OPCUA_PORT = 4840;
/** What the probe announces in its Hello: 64 KiB chunks (8 KiB is the least the spec allows), 4 MiB messages. */
export const DEFAULT_RECEIVE_BUFFER_SIZE = 65_535;
export const MIN_RECEIVE_BUFFER_SIZE = 8192;
export const DEFAULT_MAX_MESSAGE_SIZE = 4 * 1024 * 1024;

export interface OpcuaTarget {
  host: string;
  port: number;
  /** The /PATH of opc.tcp://HOST:PORT/PATH, or "" (the default). */
  path?: string;
}

export interface OpcuaProbeOptions {
  /** Per connection attempt and per answer awaited (the plan's policy.timeoutMs). */
  timeoutMs: number;
  localAddress?: string;
  /** Stop: the connection is destroyed at once and the evidence says the probe was stopped. */
  signal?: AbortSignal;
  /** The run's connection limiter (DESIGN §5); a probe of its own gets one with the default limits. */
  limiter?: HostLimiter;
  /** The largest chunk the probe accepts (8192 to 65535); smaller means the answer comes in more chunks. */
  receiveBufferSize?: number;
  maxMessageSize?: number;
  lookup?: HostLookup;
  now?: () => Date;
}

/** "opc.tcp://mes01.plant.local:4840/UA/Server", IPv6 in brackets. */
export function opcuaUrl(target: OpcuaTarget): string {
  const host = isIPv6(target.host) ? `[${target.host}]` : target.host;
  return `opc.tcp://${host}:${target.port}${target.path ?? ""}`;
}

const seconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

/** A connection that could not be made, as the evidence records it; rethrows what is not a connect failure. */
function unreachableError(error: unknown): OpcuaError {
  if (isAbortError(error)) return stoppedError();
  if (!(error instanceof ConnectError)) throw error;
  return connectFailureRecord(error);
}

const stoppedError = (): OpcuaError => ({
  kind: "aborted",
  code: "ABORT_ERR",
  message: "The probe was stopped before it finished, so nothing was judged.",
});

interface Context {
  where: string;
  url: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** The answer to the Hello: an Acknowledge, an OPC UA error, or proof that this is not OPC UA at all. */
function helloStep(read: ReadOutcome, ctx: Context): HelloStep {
  const step = (
    outcome: HelloStep["outcome"],
    error: OpcuaError | null,
    statusCode: number | null = null,
  ): HelloStep => ({ outcome, acknowledge: null, statusCode, error });
  switch (read.kind) {
    case "aborted":
      return step("closed", stoppedError());
    case "timeout":
      return step("no-answer", {
        kind: "timeout",
        code: "ETIMEDOUT",
        message:
          read.bytes === 0
            ? `${ctx.where} accepted the connection but did not answer the OPC UA Hello within ${seconds(ctx.timeoutMs)}: it does not speak OPC UA (opc.tcp), or it is stuck. Check the port (OPC UA servers usually listen on 4840).`
            : `${ctx.where} sent ${read.bytes} bytes that are not a whole OPC UA message, then nothing more within ${seconds(ctx.timeoutMs)}: it does not speak OPC UA (opc.tcp). Check the port.`,
      });
    case "closed":
      return step("closed", {
        kind: "closed",
        code: read.reset ? "ECONNRESET" : "EOF",
        message:
          read.bytes === 0
            ? `${ctx.where} ${read.reset ? "reset" : "closed"} the connection after the OPC UA Hello without answering: it does not speak OPC UA (opc.tcp), or it turns this laptop away (an IP filter, or no free connection). Check the port, and that ${ctx.url} is the server's endpoint.`
            : `${ctx.where} sent ${read.bytes} bytes that are not a whole OPC UA message and ${read.reset ? "reset" : "closed"} the connection: it does not speak OPC UA (opc.tcp). Check the port.`,
      });
    case "protocol":
      return step("not-opcua", {
        kind: "protocol",
        code:
          read.sniffed === null ? read.error.code : `${read.sniffed}-answer`,
        message:
          read.sniffed === "tls"
            ? `${ctx.where} answers with TLS, not OPC UA binary (opc.tcp): this is a TLS or HTTPS port. Check the port (OPC UA servers usually listen on 4840).`
            : read.sniffed === "http"
              ? `${ctx.where} answers with HTTP, not OPC UA binary (opc.tcp): this is a web server's port. Check the port (OPC UA servers usually listen on 4840).`
              : read.sniffed === "ssh"
                ? `${ctx.where} answers with SSH, not OPC UA binary (opc.tcp). Check the port (OPC UA servers usually listen on 4840).`
                : `${ctx.where} answered the OPC UA Hello with something that is not OPC UA: ${read.error.message}. Check the port (OPC UA servers usually listen on 4840).`,
      });
    case "message":
      break;
  }
  const [chunk] = read.chunks;
  if (chunk === undefined) throw new Error("A message has at least one chunk.");
  try {
    if (read.type === "ACK") {
      return {
        outcome: "answered",
        acknowledge: parseAcknowledge(chunk),
        statusCode: null,
        error: null,
      };
    }
    if (read.type === "ERR") {
      const error = parseErrorMessage(chunk);
      return step(
        "error",
        {
          kind: "opcua-error",
          code: statusName(error.statusCode),
          message: `${ctx.where} is an OPC UA server but refused the Hello for ${ctx.url}: ${describeStatus(error.statusCode)}${error.reason === "" ? "" : ` — "${error.reason}"`}. ${helloAdvice(error.statusCode)}`,
        },
        error.statusCode,
      );
    }
  } catch (error) {
    if (!(error instanceof OpcuaDecodeError)) throw error;
    return step("not-opcua", {
      kind: "protocol",
      code: error.code,
      message: `${ctx.where} answered the OPC UA Hello with a malformed ${read.type} message (${error.message}): it does not speak OPC UA correctly. Check the port.`,
    });
  }
  return step("not-opcua", {
    kind: "protocol",
    code: "unexpected-message",
    message: `${ctx.where} answered the OPC UA Hello with a ${read.type} message instead of an Acknowledge: it does not speak OPC UA correctly. Check the port.`,
  });
}

function helloAdvice(statusCode: number): string {
  switch (statusName(statusCode)) {
    case "BadTcpEndpointUrlInvalid":
      return "Check the endpoint's path (the /PATH of opc.tcp://HOST:PORT/PATH) against the server's configuration.";
    case "BadTcpServerTooBusy":
    case "BadTcpNotEnoughResources":
    case "BadMaxConnectionsReached":
      return "The server has no free connection: probe again when it is less busy.";
    default:
      return "Check the server's configuration and its log.";
  }
}

/** Why a step after the Acknowledge did not get its answer: the server speaks OPC UA but did not answer this. */
function stepFailure(
  read: Exclude<ReadOutcome, { kind: "message" }>,
  ctx: Context,
  what: string,
): { outcome: HelloStep["outcome"]; error: OpcuaError } {
  const advice =
    "A server must answer GetEndpoints on its discovery channel without security (OPC 10000-4 §5.4.4); check the server's discovery settings and its log, or read the endpoints in the vendor's tool and attest the checks.";
  switch (read.kind) {
    case "aborted":
      return { outcome: "closed", error: stoppedError() };
    case "timeout":
      return {
        outcome: "no-answer",
        error: {
          kind: "timeout",
          code: "ETIMEDOUT",
          message: `${ctx.where} acknowledged the OPC UA Hello but did not answer ${what} within ${seconds(ctx.timeoutMs)}. ${advice}`,
        },
      };
    case "closed":
      return {
        outcome: "closed",
        error: {
          kind: "closed",
          code: read.reset ? "ECONNRESET" : "EOF",
          message: `${ctx.where} acknowledged the OPC UA Hello but ${read.reset ? "reset" : "closed"} the connection instead of answering ${what}. ${advice}`,
        },
      };
    case "protocol":
      return {
        outcome: "not-opcua",
        error: {
          kind: "protocol",
          code: read.error.code,
          message: `${ctx.where} answered ${what} with a malformed message (${read.error.message}). ${advice}`,
        },
      };
  }
}

/** An ERR message, an aborted chunk, a ServiceFault or a bad serviceResult, as one error. */
function opcuaRefusal(
  statusCode: number,
  reason: string,
  ctx: Context,
  what: string,
): OpcuaError {
  return {
    kind: "opcua-error",
    code: statusName(statusCode),
    message: `${ctx.where} refused ${what}: ${describeStatus(statusCode)}${reason === "" ? "" : ` — "${reason}"`}. A server must answer GetEndpoints on its discovery channel without security (OPC 10000-4 §5.4.4); check the server's discovery settings and its log, or read the endpoints in the vendor's tool and attest the checks.`,
  };
}

interface Answer {
  /** The reassembled body, or why there is none. */
  body: Buffer | null;
  failure: {
    outcome: HelloStep["outcome"];
    error: OpcuaError;
    statusCode: number | null;
  } | null;
  chunks: number;
  bytes: number;
}

/** Reads the answer to a secure-channel request: the body of its chunks, or the failure. */
function secureAnswer(
  read: ReadOutcome,
  expectedType: "OPN" | "MSG",
  requestId: number,
  ctx: Context,
  what: string,
): Answer {
  if (read.kind !== "message") {
    return {
      body: null,
      failure: { ...stepFailure(read, ctx, what), statusCode: null },
      chunks: 0,
      bytes: 0,
    };
  }
  const base = { chunks: read.chunks.length, bytes: read.bytes };
  const malformed = (detail: string): Answer => ({
    ...base,
    body: null,
    failure: {
      outcome: "not-opcua",
      statusCode: null,
      error: {
        kind: "protocol",
        code: "malformed",
        message: `${ctx.where} answered ${what} with a malformed message (${detail}). Check the server's log; read the endpoints in the vendor's tool and attest the checks if it cannot be fixed.`,
      },
    },
  });
  try {
    if (read.type === "ERR") {
      const [chunk] = read.chunks;
      const error = parseErrorMessage(chunk ?? Buffer.alloc(HEADER_SIZE));
      return {
        ...base,
        body: null,
        failure: {
          outcome: "error",
          statusCode: error.statusCode,
          error: opcuaRefusal(error.statusCode, error.reason, ctx, what),
        },
      };
    }
    if (read.type !== expectedType) {
      return malformed(`a ${read.type} message instead of ${expectedType}`);
    }
    const bodies: Buffer[] = [];
    for (const chunk of read.chunks) {
      const secure = parseSecureChunk(chunk, read.type);
      if (secure.requestId !== requestId) {
        return malformed(
          `the answer names request ${secure.requestId}, not ${requestId}`,
        );
      }
      bodies.push(secure.body);
    }
    if (read.final === "A") {
      const abort = parseErrorBody(
        new UaReader(bodies[bodies.length - 1] ?? Buffer.alloc(0)),
      );
      return {
        ...base,
        body: null,
        failure: {
          outcome: "error",
          statusCode: abort.statusCode,
          error: opcuaRefusal(abort.statusCode, abort.reason, ctx, what),
        },
      };
    }
    return { ...base, body: Buffer.concat(bodies), failure: null };
  } catch (error) {
    if (!(error instanceof OpcuaDecodeError)) throw error;
    return malformed(error.message);
  }
}

/** The ServerCertificate bytes as CertificateInfo, leaf first; the same bytes are read once per probe. */
function certificatesOf(
  bytes: Buffer,
  cache: Map<string, { chain: CertificateInfo[]; error: string }>,
): { chain: CertificateInfo[]; error: string } {
  if (bytes.length === 0) return { chain: [], error: "" };
  const key = bytes.toString("base64");
  const known = cache.get(key);
  if (known !== undefined) return known;
  let result: { chain: CertificateInfo[]; error: string };
  try {
    result = {
      chain: splitDerCertificates(bytes).map((der) =>
        certificateInfoFromDer(der),
      ),
      error: "",
    };
  } catch (error) {
    // Bytes from the server: whatever the DER and ASN.1 readers throw on them is a fact about the server's
    // certificate, recorded as unreadable, never a crash of the probe.
    if (!(error instanceof Error)) throw error;
    result = {
      chain: [],
      error: `The ServerCertificate (${bytes.length} bytes) cannot be read as X.509: ${error.message}`,
    };
  }
  cache.set(key, result);
  return result;
}

function endpointOf(
  raw: RawEndpoint,
  cache: Map<string, { chain: CertificateInfo[]; error: string }>,
): OpcuaEndpoint {
  const certificates = certificatesOf(raw.serverCertificate, cache);
  return {
    endpointUrl: raw.endpointUrl,
    securityMode: raw.securityMode,
    securityModeValue: raw.securityModeValue,
    securityPolicyUri: raw.securityPolicyUri,
    securityLevel: raw.securityLevel,
    transportProfileUri: raw.transportProfileUri,
    server: raw.server,
    serverCertificateChain: certificates.chain,
    serverCertificateError: certificates.error,
    userIdentityTokens: raw.userIdentityTokens,
  };
}

export async function probeOpcua(
  target: OpcuaTarget,
  options: OpcuaProbeOptions,
): Promise<OpcuaEvidence> {
  const now = options.now ?? (() => new Date());
  const started = performance.now();
  const startedAt = now().toISOString();
  const path = target.path ?? "";
  const url = opcuaUrl({ ...target, path });
  const evidence: OpcuaEvidence = {
    schema: OPCUA_EVIDENCE_SCHEMA,
    target: {
      host: target.host,
      port: target.port,
      path,
      url,
      localAddress: options.localAddress ?? null,
    },
    startedAt,
    durationMs: 0,
    timings: {
      connectMs: null,
      helloMs: null,
      openSecureChannelMs: null,
      getEndpointsMs: null,
    },
    unreachable: null,
    hello: null,
    secureChannel: null,
    getEndpoints: null,
  };
  const finish = (): OpcuaEvidence => {
    evidence.durationMs = Math.round(performance.now() - started);
    if (options.signal?.aborted === true && evidence.unreachable === null) {
      // Stop pressed: what was seen is kept, but nothing is judged from half a probe.
      evidence.unreachable = stoppedError();
    }
    return evidence;
  };
  const ctx: Context = {
    where: formatHostPort(target.host, target.port),
    url,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
  };
  if (Buffer.byteLength(url, "utf8") > MAX_ENDPOINT_URL_BYTES) {
    evidence.unreachable = {
      kind: "other",
      code: "url-too-long",
      message: `The endpoint URL is longer than the ${MAX_ENDPOINT_URL_BYTES} bytes OPC UA allows; shorten the path.`,
    };
    return finish();
  }

  let resolved: ResolvedAddress;
  try {
    resolved = await resolveTarget(target, {
      timeoutMs: options.timeoutMs,
      ...(options.lookup !== undefined && { lookup: options.lookup }),
      ...(options.localAddress !== undefined && {
        localAddress: options.localAddress,
      }),
      ...(options.signal !== undefined && { signal: options.signal }),
    });
  } catch (error) {
    evidence.unreachable = unreachableError(error);
    return finish();
  }

  const receiveBufferSize = Math.max(
    MIN_RECEIVE_BUFFER_SIZE,
    Math.min(
      DEFAULT_RECEIVE_BUFFER_SIZE,
      options.receiveBufferSize ?? DEFAULT_RECEIVE_BUFFER_SIZE,
    ),
  );
  const maxMessageSize = options.maxMessageSize ?? DEFAULT_MAX_MESSAGE_SIZE;
  // Before the Acknowledge only an ACK (28 bytes) or an ERR (a status code and a reason) may come.
  const helloLimits: ReadLimits = {
    maxChunkSize: MIN_RECEIVE_BUFFER_SIZE,
    maxMessageSize: MIN_RECEIVE_BUFFER_SIZE,
  };
  const limits: ReadLimits = {
    maxChunkSize: receiveBufferSize,
    maxMessageSize,
  };
  const connectStarted = performance.now();
  const since = (mark: number): number => Math.round(performance.now() - mark);

  try {
    await withConnection(
      target,
      {
        limiter: options.limiter ?? new HostLimiter(),
        resolved,
        timeoutMs: options.timeoutMs,
        ...(options.localAddress !== undefined && {
          localAddress: options.localAddress,
        }),
        ...(options.signal !== undefined && { signal: options.signal }),
      },
      async (socket) => {
        evidence.timings.connectMs = since(connectStarted);
        const stream = new MessageStream(socket);
        const request = {
          now: now().getTime(),
          timeoutHintMs: options.timeoutMs,
        };

        // 1. Hello → Acknowledge.
        let mark = performance.now();
        socket.write(
          encodeHello({
            receiveBufferSize,
            sendBufferSize: receiveBufferSize,
            maxMessageSize,
            maxChunkCount: 0,
            endpointUrl: url,
          }),
        );
        evidence.hello = helloStep(
          await stream.next(helloLimits, options.timeoutMs, options.signal),
          ctx,
        );
        evidence.timings.helloMs = since(mark);
        if (evidence.hello.outcome !== "answered") return;

        // 2. OpenSecureChannel, SecurityPolicy None.
        mark = performance.now();
        socket.write(
          encodeOpenSecureChannel({
            ...request,
            requestHandle: 1,
            sequenceNumber: 1,
            requestId: 1,
            requestedLifetimeMs: 60_000,
          }),
        );
        const opened = openStep(
          secureAnswer(
            await stream.next(limits, options.timeoutMs, options.signal),
            "OPN",
            1,
            ctx,
            "the OpenSecureChannel request (SecurityPolicy None)",
          ),
          ctx,
        );
        evidence.secureChannel = opened;
        evidence.timings.openSecureChannelMs = since(mark);
        if (
          opened.outcome !== "answered" ||
          opened.channelId === null ||
          opened.tokenId === null
        )
          return;
        const channel = {
          channelId: opened.channelId,
          tokenId: opened.tokenId,
        };

        // 3. GetEndpoints.
        mark = performance.now();
        socket.write(
          encodeGetEndpoints({
            ...request,
            ...channel,
            requestHandle: 2,
            sequenceNumber: 2,
            requestId: 2,
            endpointUrl: url,
          }),
        );
        const endpointsAnswer = await stream.next(
          limits,
          options.timeoutMs,
          options.signal,
        );
        evidence.getEndpoints = {
          ...endpointsStep(
            secureAnswer(endpointsAnswer, "MSG", 2, ctx, "GetEndpoints"),
            ctx,
          ),
          receivedAt: now().toISOString(),
        };
        evidence.timings.getEndpointsMs = since(mark);

        // 4. CloseSecureChannel; the server closes, and withConnection waits for that before freeing the slot.
        if (!socket.destroyed) {
          socket.write(
            encodeCloseSecureChannel({
              ...request,
              ...channel,
              requestHandle: 3,
              sequenceNumber: 3,
              requestId: 3,
            }),
          );
        }
      },
    );
  } catch (error) {
    evidence.unreachable = unreachableError(error);
  }
  return finish();
}

function openStep(answer: Answer, ctx: Context): SecureChannelStep {
  const failed = (
    outcome: SecureChannelStep["outcome"],
    error: OpcuaError,
    statusCode: number | null,
  ): SecureChannelStep => ({
    outcome,
    channelId: null,
    tokenId: null,
    revisedLifetimeMs: null,
    statusCode,
    error,
  });
  if (answer.failure !== null)
    return failed(
      answer.failure.outcome,
      answer.failure.error,
      answer.failure.statusCode,
    );
  const what = "the OpenSecureChannel request (SecurityPolicy None)";
  try {
    const response = readServiceResponse(answer.body ?? Buffer.alloc(0));
    const status = response.header.serviceResult;
    if (response.kind === "fault" || isBad(status)) {
      return failed("error", opcuaRefusal(status, "", ctx, what), status);
    }
    if (response.encodingId !== EncodingId.OpenSecureChannelResponse) {
      throw new OpcuaDecodeError(
        "malformed",
        `a response of type ${response.encodingId} instead of OpenSecureChannelResponse`,
      );
    }
    const token = readOpenSecureChannelResponse(response.reader);
    return {
      outcome: "answered",
      channelId: token.channelId,
      tokenId: token.tokenId,
      revisedLifetimeMs: token.revisedLifetimeMs,
      statusCode: status,
      error: null,
    };
  } catch (error) {
    if (!(error instanceof OpcuaDecodeError)) throw error;
    return failed(
      "not-opcua",
      {
        kind: "protocol",
        code: error.code,
        message: `${ctx.where} answered ${what} with a malformed message (${error.message}). Check the server's log; read the endpoints in the vendor's tool and attest the checks if it cannot be fixed.`,
      },
      null,
    );
  }
}

function endpointsStep(answer: Answer, ctx: Context): GetEndpointsStep {
  const base = { chunks: answer.chunks, bytes: answer.bytes };
  if (answer.failure !== null) {
    return {
      ...base,
      outcome: answer.failure.outcome,
      statusCode: answer.failure.statusCode,
      endpoints: [],
      error: answer.failure.error,
    };
  }
  try {
    const response = readServiceResponse(answer.body ?? Buffer.alloc(0));
    const status = response.header.serviceResult;
    if (response.kind === "fault" || isBad(status)) {
      return {
        ...base,
        outcome: "error",
        statusCode: status,
        endpoints: [],
        error: opcuaRefusal(status, "", ctx, "GetEndpoints"),
      };
    }
    if (response.encodingId !== EncodingId.GetEndpointsResponse) {
      throw new OpcuaDecodeError(
        "malformed",
        `a response of type ${response.encodingId} instead of GetEndpointsResponse`,
      );
    }
    const cache = new Map<
      string,
      { chain: CertificateInfo[]; error: string }
    >();
    return {
      ...base,
      serverTimestamp:
        response.header.timestamp === null
          ? null
          : new Date(response.header.timestamp).toISOString(),
      outcome: "answered",
      statusCode: status,
      endpoints: readGetEndpointsResponse(response.reader).map((raw) =>
        endpointOf(raw, cache),
      ),
      error: null,
    };
  } catch (error) {
    if (!(error instanceof OpcuaDecodeError)) throw error;
    return {
      ...base,
      outcome: "not-opcua",
      statusCode: null,
      endpoints: [],
      error: {
        kind: "protocol",
        code: error.code,
        message: `${ctx.where} answered GetEndpoints with a malformed message (${error.message}). Check the server's log; read the endpoints in the vendor's tool and attest the checks if it cannot be fixed.`,
      },
    };
  }
}
