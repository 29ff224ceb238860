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
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import {
  OPCUA_EVIDENCE_SCHEMA,
  type OpcuaEvidence,
} from "../../../../shared/evidence/opcua";
import { formatHostPort, isIPv6 } from "../../../../shared/model/net";
import {
  HostLimiter,
  connectFailureOrStop,
  resolveTarget,
  withConnection,
  type ResolvedAddress,
  type ProbeOptions,
} from "../../net";
import {
  encodeCloseSecureChannel,
  encodeGetEndpoints,
  encodeHello,
  encodeOpenSecureChannel,
  MAX_ENDPOINT_URL_BYTES,
} from "./messages";
import {
  endpointsStep,
  helloStep,
  openStep,
  secureAnswer,
  type Context,
} from "./answers";
import { MessageStream, type ReadLimits } from "./transport";

export { DEFAULT_OPCUA_PORT } from "../../../../shared/model/net";
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

export interface OpcuaProbeOptions extends ProbeOptions {
  /** Stop: the connection is destroyed at once and the evidence says the probe was stopped. */
  signal?: AbortSignal;
  /** The largest chunk the probe accepts (8192 to 65535); smaller means the answer comes in more chunks. */
  receiveBufferSize?: number;
  maxMessageSize?: number;
}

/** "opc.tcp://mes01.plant.local:4840/UA/Server", IPv6 in brackets. */
export function opcuaUrl(target: OpcuaTarget): string {
  const host = isIPv6(target.host) ? `[${target.host}]` : target.host;
  return `opc.tcp://${host}:${target.port}${target.path ?? ""}`;
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
      evidence.unreachable = STOPPED_FAILURE;
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
    resolved = await resolveTarget(target, options);
  } catch (error) {
    evidence.unreachable = connectFailureOrStop(error, options.signal);
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
    evidence.unreachable = connectFailureOrStop(error, options.signal);
  }
  return finish();
}
