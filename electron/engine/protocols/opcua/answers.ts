// The OPC UA probe's answers read into evidence steps: the Hello's Acknowledge (or proof this is not OPC UA), the
// secure channel's answers (an ERR, an aborted chunk, a ServiceFault, a bad serviceResult), OpenSecureChannel and
// GetEndpoints, each failure in a sentence that names the server and what to check.
import type { CertificateInfo } from "../../../../shared/evidence/certificate";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import type {
  GetEndpointsStep,
  HelloStep,
  OpcuaEndpoint,
  OpcuaError,
  SecureChannelStep,
} from "../../../../shared/evidence/opcua";
import { certificateInfoFromDer } from "../../x509";
import { OpcuaDecodeError, UaReader } from "./binary";
import {
  EncodingId,
  HEADER_SIZE,
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
import type { ReadOutcome } from "./transport";

export const seconds = (ms: number): string =>
  ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;

export interface Context {
  where: string;
  url: string;
  timeoutMs: number;
  signal: AbortSignal | undefined;
}

/** The answer to the Hello: an Acknowledge, an OPC UA error, or proof that this is not OPC UA at all. */
export function helloStep(read: ReadOutcome, ctx: Context): HelloStep {
  const step = (
    outcome: HelloStep["outcome"],
    error: OpcuaError | null,
    statusCode: number | null = null,
  ): HelloStep => ({ outcome, acknowledge: null, statusCode, error });
  switch (read.kind) {
    case "aborted":
      return step("closed", STOPPED_FAILURE);
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

export function helloAdvice(statusCode: number): string {
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
export function stepFailure(
  read: Exclude<ReadOutcome, { kind: "message" }>,
  ctx: Context,
  what: string,
): { outcome: HelloStep["outcome"]; error: OpcuaError } {
  const advice =
    "A server must answer GetEndpoints on its discovery channel without security (OPC 10000-4 §5.4.4); check the server's discovery settings and its log, or read the endpoints in the vendor's tool and attest the checks.";
  switch (read.kind) {
    case "aborted":
      return { outcome: "closed", error: STOPPED_FAILURE };
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
export function opcuaRefusal(
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

export interface Answer {
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
export function secureAnswer(
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
export function certificatesOf(
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

export function endpointOf(
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

export function openStep(answer: Answer, ctx: Context): SecureChannelStep {
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

export function endpointsStep(answer: Answer, ctx: Context): GetEndpointsStep {
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
