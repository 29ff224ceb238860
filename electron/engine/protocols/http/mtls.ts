// The client-certificate probe (PER-MES.mtls.*): over TLS 1.2 and TLS 1.3 each, a request without a
// certificate, with a throwaway one from an unknown CA, and with the plan's identity — reading the answer,
// because TLS 1.3 refuses on the first read (alert 116) and IIS or nginx refuse at the HTTP layer. It records how
// the server asks: a CertificateRequest in the handshake, or after the request (TLS 1.2 renegotiation, IIS's
// per-path client certificates).
import {
  MTLS_EVIDENCE_SCHEMA,
  type ClientAttempt,
  type MtlsEvidence,
} from "../../../../shared/evidence/web";
import {
  ConnectError,
  withConnection,
  type HostLimiter,
  type ProbeOptions,
} from "../../net";
import {
  readSentFlight,
  ServerFlightTap,
  watchHandshakeSecret,
} from "../tls/sent-certificates";
import { httpGet, HttpExchangeError } from "./exchange";
import { throwawayClient } from "../tls/throwaway-client";
import { hostHeaderFor } from "../../../../shared/model/net";
import {
  classifyTlsError,
  openTls,
  TlsRefusal,
  type ClientCertificate,
  type LoadedIdentity,
} from "../tls/tls-client";

export const MTLS_VERSIONS = ["TLSv1.2", "TLSv1.3"] as const;

export interface MtlsProbeRequest {
  host: string;
  port: number;
  serverName: string;
  path: string;
  identity: LoadedIdentity;
}

export interface MtlsProbeOptions extends ProbeOptions {
  limiter: HostLimiter;
}

export async function probeMtls(
  request: MtlsProbeRequest,
  options: MtlsProbeOptions,
): Promise<MtlsEvidence> {
  const throwaway = throwawayClient(options.now?.());
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
    renegotiationRequested: null,
    serverHelloSeen: null,
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
        // The tap reads the server's flight (CertificateRequest in clear in TLS 1.2, decrypted in TLS 1.3) and,
        // after the handshake, whether the server asks for a new one (TLS 1.2 renegotiation).
        const tap = new ServerFlightTap(socket);
        let secret: () => Buffer | null = () => null;
        const flight = () => readSentFlight(tap.received(), secret());
        let tlsSocket;
        try {
          tlsSocket = await openTls(tap, {
            servername: request.serverName,
            minVersion: version,
            maxVersion: version,
            timeoutMs: options.timeoutMs,
            ...(certificate !== undefined && { certificate }),
            signal: options.signal,
            watch: (tls) => {
              secret = watchHandshakeSecret(tls);
            },
          });
        } catch (error) {
          const refusal = classifyTlsError(error);
          const seen = flight();
          const observed = {
            ...base,
            alert: refusal.alert,
            certificateRequested: seen.certificateRequested,
            serverHelloSeen: seen.sawServerHello,
          };
          if (refusal.kind === "version") {
            return result({
              ...observed,
              result: "unsupported",
              detail: `The server does not speak ${label(version)}.`,
            });
          }
          if (refusal.kind === "timeout" || refusal.kind === "other") {
            return result({
              ...observed,
              result: "error",
              detail: refusal.message,
            });
          }
          return result({
            ...observed,
            result: "refused",
            refusedAt: "handshake",
            detail: `Refused at the ${label(version)} handshake: ${refusal.message}`,
          });
        }
        const seen = flight();
        tap.release();
        const observed = {
          ...base,
          certificateRequested: seen.certificateRequested,
          serverHelloSeen: true,
        };
        const renegotiation = (): boolean | null =>
          version === "TLSv1.2" ? tap.renegotiationRequested() : null;
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
          // Any 4xx but 404 is a refusal (IIS 403.7, nginx 400/495/496); a 5xx serves nothing either (Windows
          // Server 2025 answers 500 where it cannot ask for the certificate over TLS 1.3).
          const refusedByHttp = answer.status >= 400 && answer.status !== 404;
          const authenticate = answer.headers["www-authenticate"];
          return result({
            ...observed,
            renegotiationRequested: renegotiation(),
            result: refusedByHttp ? "refused" : "accepted",
            refusedAt: refusedByHttp ? "http" : "",
            httpStatus: answer.status,
            authenticate: (authenticate ?? "").slice(0, 500),
            detail: refusedByHttp
              ? `The request was refused at the HTTP layer with ${answer.status}.`
              : `The request was served over ${label(version)} (HTTP ${answer.status}).`,
          });
        } catch (error) {
          if (!(error instanceof HttpExchangeError)) throw error;
          if (error.kind !== "closed") {
            return result({
              ...observed,
              renegotiationRequested: renegotiation(),
              result: "error",
              detail: error.message,
            });
          }
          // The handshake completed but the first read failed: TLS 1.3's certificate_required (116), a failed
          // renegotiation (TLS 1.2), or a reset.
          const refusal = classifyTlsError(
            Object.assign(new Error(error.message), { code: error.code }),
          );
          return result({
            ...observed,
            renegotiationRequested: renegotiation(),
            result: "refused",
            refusedAt: "first-read",
            alert: refusal.alert,
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
