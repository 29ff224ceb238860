// What can be learned without credentials: the cleartext PRELOGIN answer (encryption mode and version), the TLS
// handshake wrapped in PRELOGIN packets, and TDS 8.0 (TLS first, ALPN tds/8.0, PRELOGIN inside TLS).
// Never sends LOGIN7: every connection is closed right after what it came for.
import type { Socket } from "node:net";
import { STOPPED_FAILURE } from "../../../../shared/evidence/connection-states";
import type { CertificateInfo } from "../../../../shared/evidence/certificate";
import type {
  MssqlError,
  PreloginAnswer,
  PreloginStep,
  Tds8Step,
  TdsTls,
} from "../../../../shared/evidence/mssql";
import { TOOL_VERSION } from "../../about";
import { encodeMessage, PacketType, TdsProtocolError } from "./packet";
import {
  buildPrelogin,
  Encryption,
  ENCRYPT_CLIENT_CERT,
  encryptionWord,
  parsePrelogin,
  productName,
  versionText,
} from "./prelogin";
import {
  withConnection as withLimitedConnection,
  type HostLimiter,
  type ResolvedAddress,
} from "../../net";
import { readOneMessage, type ReadOutcome } from "./socket-io";
import { tlsHandshake, type TlsCapture } from "./tls-handshake";
import { PreloginTlsTunnel } from "./tunnel";
import { formatHostPort } from "../../../../shared/model/net";

export interface EncryptionProbeContext {
  host: string;
  port: number;
  /** The host's address, resolved once for every connection of the probe. */
  resolved: ResolvedAddress;
  localAddress?: string;
  /** SNI and the name the certificate is checked against. */
  servername: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Connection slots per host (DESIGN §5); the runner passes its own. */
  limiter: HostLimiter;
  /** DER → the evidence's certificate record (the certificate module's reader). */
  describeCertificate: (der: Buffer) => CertificateInfo;
}

const [major = 0, minor = 0, build = 0] = TOOL_VERSION.split(".").map((part) =>
  Number.parseInt(part, 10),
);

/** The PRELOGIN Cellcert sends: its own version, the ENCRYPTION value asked for, no instance, no MARS. */
export function clientPrelogin(encryption: number): Buffer {
  return encodeMessage(
    PacketType.PRELOGIN,
    buildPrelogin({
      version: { major, minor, build, subbuild: 0 },
      encryption,
      threadId: process.pid,
    }),
  );
}

function answerOf(payload: Buffer): PreloginAnswer {
  const parsed = parsePrelogin(payload);
  if (parsed.encryption === null) {
    throw new TdsProtocolError(
      "malformed",
      "the PRELOGIN answer has no ENCRYPTION option",
    );
  }
  return {
    encryptionByte: parsed.encryption,
    encryption: encryptionWord(parsed.encryption) ?? "unknown",
    clientCertificate: (parsed.encryption & ENCRYPT_CLIENT_CERT) !== 0,
    version:
      parsed.version === null
        ? null
        : {
            ...parsed.version,
            text: versionText(parsed.version),
            product: productName(parsed.version.major, parsed.version.minor),
          },
    options: parsed.options.map((o) => o.token),
  };
}

const where = (ctx: EncryptionProbeContext): string =>
  formatHostPort(ctx.host, ctx.port);

/** The answer to a PRELOGIN as one of the step outcomes, or the answer itself. */
function classifyAnswer(
  read: ReadOutcome,
  ctx: EncryptionProbeContext,
  inside: string,
):
  | { answer: PreloginAnswer }
  | { outcome: PreloginStep["outcome"]; error: MssqlError } {
  switch (read.kind) {
    case "message": {
      if (read.message.type !== PacketType.TABULAR_RESULT) {
        return {
          outcome: "not-tds",
          error: {
            kind: "protocol",
            code: "wrong-type",
            message: `${where(ctx)} answered the PRELOGIN${inside} with TDS packet type 0x${read.message.type.toString(16).padStart(2, "0")} instead of 0x04: it is not SQL Server, or not a working one.`,
          },
        };
      }
      try {
        return { answer: answerOf(read.message.payload) };
      } catch (error) {
        if (!(error instanceof TdsProtocolError)) throw error;
        return {
          outcome: "not-tds",
          error: {
            kind: "protocol",
            code: error.problem,
            message: `${where(ctx)} did not answer the PRELOGIN${inside} properly: ${error.message}.`,
          },
        };
      }
    }
    case "closed":
      return {
        outcome: "refused",
        error: {
          kind: "closed",
          code: read.reset ? "ECONNRESET" : "EOF",
          message: `${where(ctx)} ${read.reset ? "reset" : "closed"} the connection without answering the PRELOGIN${inside}.`,
        },
      };
    case "timeout":
      return {
        outcome: "no-answer",
        error: {
          kind: "timeout",
          code: "ETIMEDOUT",
          message: `${where(ctx)} accepted the connection but did not answer the PRELOGIN${inside} within ${ctx.timeoutMs} ms${read.bytes > 0 ? ` (${read.bytes} bytes of an unfinished answer)` : ""}.`,
        },
      };
    case "protocol":
      return {
        outcome:
          read.error.problem === "tls-instead-of-tds"
            ? "tls-answer"
            : "not-tds",
        error: {
          kind: "protocol",
          code: read.error.problem,
          message: `${where(ctx)} did not answer the PRELOGIN${inside} properly: ${read.error.message}.`,
        },
      };
    case "aborted":
      return {
        outcome: "no-answer",
        error: STOPPED_FAILURE,
      };
  }
}

export function toTdsTls(
  capture: TlsCapture,
  describe: (der: Buffer) => CertificateInfo,
): TdsTls {
  const { chainDer, ocspStaple, ...rest } = capture;
  return {
    ...rest,
    chain: chainDer.map((der) => describe(der)),
    ocspStaple: ocspStaple?.toString("base64") ?? null,
  };
}

function withConnection<T>(
  ctx: EncryptionProbeContext,
  task: (socket: Socket) => Promise<T>,
): Promise<T> {
  return withLimitedConnection(
    { host: ctx.host, port: ctx.port },
    {
      limiter: ctx.limiter,
      resolved: ctx.resolved,
      timeoutMs: ctx.timeoutMs,
      ...(ctx.localAddress !== undefined && { localAddress: ctx.localAddress }),
      ...(ctx.signal !== undefined && { signal: ctx.signal }),
    },
    task,
  );
}

/**
 * Step 1: cleartext PRELOGIN with ENCRYPTION = OFF, then — when the answer allows TLS — the TLS handshake
 * wrapped in PRELOGIN packets on the same connection. Rejects with the network layer's ConnectError when the port
 * cannot be reached (or its AbortError when stopped).
 */
export function probeCleartextPrelogin(
  ctx: EncryptionProbeContext,
): Promise<PreloginStep> {
  return withConnection(ctx, async (socket) => {
    socket.write(clientPrelogin(Encryption.OFF));
    const read = await readOneMessage(socket, ctx.timeoutMs, ctx.signal);
    const classified = classifyAnswer(read, ctx, "");
    if (!("answer" in classified)) {
      return {
        sent: "off",
        outcome: classified.outcome,
        answer: null,
        tls: null,
        error: classified.error,
      };
    }
    const { answer } = classified;
    if (
      answer.encryption === "not-supported" ||
      answer.encryption === "unknown"
    ) {
      return {
        sent: "off",
        outcome: "answered",
        answer,
        tls: null,
        error: null,
      };
    }
    const tunnel = new PreloginTlsTunnel(socket);
    const { socket: tls, capture } = await tlsHandshake(
      tunnel,
      {
        servername: ctx.servername,
        timeoutMs: ctx.timeoutMs,
        ...(ctx.signal !== undefined && { signal: ctx.signal }),
      },
      () => tunnel.fault,
    );
    tls?.destroy();
    tunnel.destroy();
    return {
      sent: "off",
      outcome: "answered",
      answer,
      tls: toTdsTls(capture, ctx.describeCertificate),
      error: null,
    };
  });
}

/**
 * Step 2: TDS 8.0 — TLS first with ALPN tds/8.0, then a PRELOGIN inside TLS whose answer proves it is TDS.
 * Rejects with ConnectError when the port cannot be reached.
 */
export function probeTds8(ctx: EncryptionProbeContext): Promise<Tds8Step> {
  return withConnection(ctx, async (socket) => {
    const { socket: tls, capture } = await tlsHandshake(socket, {
      servername: ctx.servername,
      alpn: ["tds/8.0"],
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal !== undefined && { signal: ctx.signal }),
    });
    const tdsTls = toTdsTls(capture, ctx.describeCertificate);
    if (tls === null) {
      const error = capture.error;
      return {
        outcome: "tls-failed",
        tls: tdsTls,
        answer: null,
        error:
          error === null
            ? null
            : {
                ...error,
                message:
                  error.kind === "tls" && error.code === "ECONNRESET"
                    ? "The server closed the connection on a TLS-first ClientHello: it does not offer TDS 8.0 (strict encryption)."
                    : `TDS 8.0 (TLS first, ALPN tds/8.0) did not work: ${error.message}`,
              },
      };
    }
    try {
      // Inside TLS the client's ENCRYPTION value no longer negotiates anything; tedious sends NOT_SUP too.
      tls.write(clientPrelogin(Encryption.NOT_SUP));
      const read = await readOneMessage(tls, ctx.timeoutMs, ctx.signal);
      const classified = classifyAnswer(read, ctx, " inside TLS");
      if ("answer" in classified) {
        return {
          outcome: "works",
          tls: tdsTls,
          answer: classified.answer,
          error: null,
        };
      }
      return {
        outcome: "no-tds-answer",
        tls: tdsTls,
        answer: null,
        error: classified.error,
      };
    } finally {
      tls.destroy();
    }
  });
}
