// The client-certificate probe (PER-MES.mtls.*): over TLS 1.2 and TLS 1.3 each, a request without a
// certificate, with a throwaway one from an unknown CA, and with the plan's identity — reading the answer,
// because TLS 1.3 refuses on the first read (alert 116) and IIS or nginx refuse at the HTTP layer.
import { Duplex } from "node:stream";
import type { Socket } from "node:net";
import {
  MTLS_EVIDENCE_SCHEMA,
  type ClientAttempt,
  type MtlsEvidence,
} from "../../../shared/evidence/web";
import type { Endpoint } from "../../../shared/model/plan";
import { ConnectError, withConnection, type HostLimiter } from "../net";
import { judgeMtls } from "../rules/mtls";
import { evidenceDraft, type FamilyProbe } from "../runner/types";
import { loadClientIdentity, type LoadedIdentity } from "./client-identity";
import { httpGet, HttpExchangeError } from "./http-exchange";
import { throwawayClient } from "./throwaway-client";
import { hostHeaderFor } from "./web";
import {
  classifyTlsError,
  openTls,
  TlsRefusal,
  type ClientCertificate,
} from "./tls-client";

export const MTLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;

export interface MtlsProbeRequest {
  host: string;
  port: number;
  serverName: string;
  path: string;
  identity: LoadedIdentity;
}

export interface MtlsProbeOptions {
  limiter: HostLimiter;
  timeoutMs: number;
  localAddress?: string | undefined;
  signal?: AbortSignal;
  now?: Date;
}

export async function probeMtls(
  request: MtlsProbeRequest,
  options: MtlsProbeOptions,
): Promise<MtlsEvidence> {
  const throwaway = throwawayClient(options.now);
  const clients: {
    client: ClientAttempt["client"];
    certificate?: ClientCertificate;
  }[] = [
    { client: "anonymous" },
    { client: "untrusted", certificate: throwaway.certificate },
    ...("certificate" in request.identity
      ? [
          {
            client: "identity" as const,
            certificate: request.identity.certificate,
          },
        ]
      : []),
  ];
  const attempts: ClientAttempt[] = [];
  // One attempt at a time: some servers handle one connection at a time, and this is gentler anyway.
  for (const version of MTLS_VERSIONS) {
    for (const { client, certificate } of clients) {
      if (options.signal?.aborted === true) break;
      attempts.push(
        await attempt(request, version, client, certificate, options),
      );
    }
  }
  return {
    schema: MTLS_EVIDENCE_SCHEMA,
    host: request.host,
    port: request.port,
    serverName: request.serverName,
    path: request.path,
    untrustedSubject: throwaway.subject,
    identitySubject:
      "subject" in request.identity ? request.identity.subject : "",
    identityProblem:
      "problem" in request.identity ? request.identity.problem : "",
    identityExtendedKeyUsage:
      "extendedKeyUsage" in request.identity
        ? request.identity.extendedKeyUsage
        : null,
    attempts,
  };
}

async function attempt(
  request: MtlsProbeRequest,
  version: ClientAttempt["version"],
  client: ClientAttempt["client"],
  certificate: ClientCertificate | undefined,
  options: MtlsProbeOptions,
): Promise<ClientAttempt> {
  const started = performance.now();
  const result = (
    fields: Omit<ClientAttempt, "client" | "version" | "durationMs">,
  ): ClientAttempt => ({
    client,
    version,
    durationMs: Math.round(performance.now() - started),
    ...fields,
  });
  const base = {
    refusedAt: "" as const,
    alert: "",
    httpStatus: null,
    certificateRequested: null,
  };
  try {
    return await withConnection(
      { host: request.host, port: request.port },
      {
        limiter: options.limiter,
        timeoutMs: options.timeoutMs,
        localAddress: options.localAddress,
        signal: options.signal,
      },
      async (socket) => {
        const tap = new HandshakeTap(socket);
        let tlsSocket;
        try {
          tlsSocket = await openTls(tap, {
            servername: request.serverName,
            minVersion: version,
            maxVersion: version,
            timeoutMs: options.timeoutMs,
            ...(certificate !== undefined && { certificate }),
            signal: options.signal,
          });
        } catch (error) {
          const refusal = classifyTlsError(error);
          const requested = tap.certificateRequested();
          if (refusal.kind === "version") {
            return result({
              ...base,
              result: "unsupported",
              alert: refusal.alert,
              certificateRequested: requested,
              detail: `The server does not speak ${label(version)}.`,
            });
          }
          if (refusal.kind === "timeout" || refusal.kind === "other") {
            return result({
              ...base,
              result: "error",
              alert: refusal.alert,
              certificateRequested: requested,
              detail: refusal.message,
            });
          }
          return result({
            ...base,
            result: "refused",
            refusedAt: "handshake",
            alert: refusal.alert,
            certificateRequested: requested,
            detail: `Refused at the ${label(version)} handshake: ${refusal.message}`,
          });
        }
        const requested = tap.certificateRequested();
        try {
          const answer = await httpGet(tlsSocket, {
            hostHeader: hostHeaderFor(
              "https",
              request.serverName,
              request.port,
            ),
            path: request.path,
            timeoutMs: options.timeoutMs,
            signal: options.signal,
          });
          const refusedByHttp =
            answer.status >= 400 &&
            answer.status <= 499 &&
            answer.status !== 404;
          return result({
            ...base,
            result: refusedByHttp ? "refused" : "accepted",
            refusedAt: refusedByHttp ? "http" : "",
            httpStatus: answer.status,
            certificateRequested: requested,
            detail: refusedByHttp
              ? `The request was refused at the HTTP layer with ${answer.status}.`
              : `The request was served over ${label(version)} (HTTP ${answer.status}).`,
          });
        } catch (error) {
          if (!(error instanceof HttpExchangeError)) throw error;
          if (error.kind === "timeout" || error.kind === "protocol") {
            return result({
              ...base,
              result: "error",
              certificateRequested: requested,
              detail: error.message,
            });
          }
          // The handshake completed but the first read failed: TLS 1.3's certificate_required (116), or a close.
          const refusal = classifyTlsError(
            Object.assign(new Error(error.message), { code: error.code }),
          );
          return result({
            ...base,
            result: "refused",
            refusedAt: "first-read",
            alert: refusal.alert,
            certificateRequested: requested,
            detail: `Refused on the first read after the ${label(version)} handshake: ${refusal.message}`,
          });
        } finally {
          tlsSocket.destroy();
        }
      },
    );
  } catch (error) {
    if (error instanceof ConnectError)
      return result({ ...base, result: "error", detail: error.message });
    if (error instanceof TlsRefusal)
      return result({ ...base, result: "error", detail: error.message });
    throw error;
  }
}

const label = (version: ClientAttempt["version"]): string =>
  version === "TLSv1.2" ? "TLS 1.2" : "TLS 1.3";

/**
 * Passes bytes between the TLS client and the socket, reading the server's plaintext TLS 1.2 flight on the way
 * in to see whether it sent a CertificateRequest (TLS 1.3 encrypts it, so there the answer stays unknown).
 */
export class HandshakeTap extends Duplex {
  private inbound = Buffer.alloc(0);
  private requested: boolean | null = null;
  private sawServerHelloDone = false;
  private stopped = false;

  constructor(private readonly inner: Socket) {
    super();
    inner.on("data", (chunk: Buffer) => {
      this.observe(chunk);
      if (!this.push(chunk)) inner.pause();
    });
    inner.on("end", () => this.push(null));
    inner.on("error", (error) => this.destroy(error));
    inner.on("close", () => this.destroy());
  }

  certificateRequested(): boolean | null {
    return this.sawServerHelloDone ? this.requested === true : this.requested;
  }

  override _read(): void {
    this.inner.resume();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    this.inner.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.inner.end();
    callback();
  }

  override _destroy(
    error: Error | null,
    callback: (error?: Error | null) => void,
  ): void {
    this.inner.destroy();
    callback(error);
  }

  /** Walks TLS records (type, version, length) and, inside handshake records, messages (type, 3-byte length). */
  private observe(chunk: Buffer): void {
    if (this.stopped) return;
    this.inbound = Buffer.concat([this.inbound, chunk]);
    if (this.inbound.length > 64 * 1024) {
      this.stopped = true;
      return;
    }
    let handshake = Buffer.alloc(0);
    for (let offset = 0; offset + 5 <= this.inbound.length;) {
      const type = this.inbound[offset];
      const length = this.inbound.readUInt16BE(offset + 3);
      if (offset + 5 + length > this.inbound.length) break;
      if (type === 20) {
        this.stopped = true; // ChangeCipherSpec: what follows is encrypted
        break;
      }
      if (type === 22)
        handshake = Buffer.concat([
          handshake,
          this.inbound.subarray(offset + 5, offset + 5 + length),
        ]);
      offset += 5 + length;
    }
    for (let offset = 0; offset + 4 <= handshake.length;) {
      const messageType = handshake[offset];
      const length = handshake.readUIntBE(offset + 1, 3);
      if (
        messageType === 2 &&
        offset + 6 <= handshake.length &&
        handshake.readUInt16BE(offset + 4) !== 0x0303
      ) {
        this.stopped = true; // not a TLS 1.2 ServerHello
        break;
      }
      if (messageType === 13) this.requested = true;
      if (messageType === 14) this.sawServerHelloDone = true;
      offset += 4 + length;
    }
  }
}

export const mtlsFamily: FamilyProbe = async (target, context) => {
  const started = new Date();
  const endpoint: Endpoint = target.endpoint;
  const evidence = await probeMtls(
    {
      host: endpoint.host,
      port: endpoint.port ?? 443,
      serverName:
        endpoint.serverName === "" ? endpoint.host : endpoint.serverName,
      path: endpoint.paths[0] ?? "/",
      identity: await loadClientIdentity(endpoint, context),
    },
    {
      limiter: context.limiter,
      timeoutMs: context.plan.policy.timeoutMs,
      localAddress: context.localAddress,
      signal: context.signal,
      now: context.now(),
    },
  );
  return {
    evidence: [evidenceDraft("mtls", target.address, started, evidence)],
    outcomes: judgeMtls(
      target.checks.map((c) => c.id),
      evidence,
    ),
  };
};
