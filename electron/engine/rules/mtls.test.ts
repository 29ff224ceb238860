import { describe, expect, it } from "vitest";
import {
  MTLS_EVIDENCE_SCHEMA,
  type ClientAttempt,
  type MtlsEvidence,
} from "../../../shared/evidence/web";
import {
  judgeMtls,
  NEEDS_POST_HANDSHAKE_AUTH,
  PER_PATH_TLS12_ONLY,
} from "./mtls";
import { NEEDS_SERVER_NAME } from "./server-name";

const attempt = (
  client: ClientAttempt["client"],
  version: ClientAttempt["version"],
  result: ClientAttempt["result"],
): ClientAttempt => ({
  client,
  version,
  result,
  refusedAt: result === "refused" ? "handshake" : "",
  alert: "",
  httpStatus: result === "accepted" ? 200 : null,
  certificateRequested: true,
  durationMs: 5,
  detail: "",
});

const evidence = (usages: string[] | null): MtlsEvidence => ({
  schema: MTLS_EVIDENCE_SCHEMA,
  host: "127.0.0.1",
  port: 443,
  serverName: "mes.plant.local",
  path: "/",
  untrustedSubject: "CN=throwaway",
  identitySubject: "CN=perimeter-proxy",
  identityProblem: "",
  identityExtendedKeyUsage: usages,
  attempts: (["TLSv1.2", "TLSv1.3"] as const).flatMap((version) => [
    attempt("anonymous", version, "refused"),
    attempt("untrusted", version, "refused"),
    attempt("identity", version, "accepted"),
  ]),
});

const CHECKS = [
  "PER-MES.mtls.anonymous-refused",
  "PER-MES.mtls.untrusted-refused",
  "PER-MES.mtls.identity-accepted",
];

describe("PER-MES.mtls.identity-accepted and the identity's purpose", () => {
  it("passes an identity with clientAuth, or with no extended key usage", () => {
    for (const usages of [["1.3.6.1.5.5.7.3.2"], null])
      expect(judgeMtls(CHECKS, evidence(usages))[2]?.verdict).toBe("pass");
  });

  it("warns when the identity that was served lacks clientAuth (DESIGN §3 client identity)", () => {
    const outcome = judgeMtls(CHECKS, evidence(["1.3.6.1.5.5.7.3.1"]))[2];
    expect(outcome?.verdict).toBe("warn");
    expect(outcome?.message).toMatch(
      /is served .* but its certificate is not made for TLS clients: its extended key usage is serverAuth, without clientAuth/,
    );
  });
});

/** One attempt as the probe records it, every field given. */
const seen = (
  client: ClientAttempt["client"],
  version: ClientAttempt["version"],
  fields: Partial<ClientAttempt>,
): ClientAttempt => ({
  client,
  version,
  result: "refused",
  refusedAt: "",
  alert: "",
  httpStatus: null,
  certificateRequested: false,
  renegotiationRequested: null,
  serverHelloSeen: true,
  authenticate: "",
  durationMs: 5,
  detail: "",
  ...fields,
});
const withAttempts = (
  attempts: ClientAttempt[],
  serverName = "mes.plant.local",
): MtlsEvidence => ({
  ...evidence(["1.3.6.1.5.5.7.3.2"]),
  serverName,
  attempts,
});
const served = { result: "accepted", httpStatus: 200 } as const;
const renegotiated = { renegotiationRequested: true } as const;
// IIS over TLS 1.3 without a way to ask: Windows Server 2022 resets after the request.
const reset13 = { refusedAt: "first-read", alert: "ECONNRESET" } as const;

describe("PER-MES.mtls.* and how the server asks for the certificate", () => {
  const perPath = (tls13: Partial<ClientAttempt>) =>
    withAttempts([
      seen("anonymous", "TLSv1.2", {
        ...renegotiated,
        refusedAt: "http",
        httpStatus: 403,
      }),
      seen("untrusted", "TLSv1.2", {
        ...renegotiated,
        refusedAt: "http",
        httpStatus: 403,
      }),
      seen("identity", "TLSv1.2", { ...renegotiated, ...served }),
      seen("anonymous", "TLSv1.3", tls13),
      seen("untrusted", "TLSv1.3", tls13),
      seen("identity", "TLSv1.3", tls13),
    ]);

  it.each([
    ["a reset (Windows Server 2022)", reset13],
    [
      "HTTP 500 (Windows Server 2025)",
      { refusedAt: "http", httpStatus: 500 } as const,
    ],
    [
      "HTTP 403 (Apache, AH10158)",
      { refusedAt: "http", httpStatus: 403 } as const,
    ],
  ])(
    "per path by TLS 1.2 renegotiation, refused over TLS 1.3 with %s: the identity warns, the refusals pass",
    (_, tls13) => {
      const outcomes = judgeMtls(CHECKS, perPath(tls13));
      expect(outcomes.map((o) => o.verdict)).toEqual(["pass", "pass", "warn"]);
      expect(outcomes[2]?.message).toBe(
        `The plan's identity (CN=perimeter-proxy) is ${PER_PATH_TLS12_ONLY}.`,
      );
      expect(outcomes[0]?.message).toContain(
        "The server asks for the certificate per path after the request (TLS 1.2 renegotiation), not in the handshake. Over TLS 1.3 the server refuses every client, the plan's identity too",
      );
    },
  );

  it("TLS 1.3 only, refused after the handshake: not-tested, never 'check the identity'", () => {
    const outcomes = judgeMtls(
      CHECKS,
      withAttempts(
        (["anonymous", "untrusted", "identity"] as const).flatMap((client) => [
          seen(client, "TLSv1.2", {
            result: "unsupported",
            alert: "protocol_version (70)",
            serverHelloSeen: false,
          }),
          seen(client, "TLSv1.3", reset13),
        ]),
      ),
    );
    for (const outcome of outcomes) {
      expect(outcome.verdict).toBe("not-tested");
      expect(outcome.reason).toBe(NEEDS_POST_HANDSHAKE_AUTH);
      expect(outcome.message).toMatch(/speaks only TLS 1\.3/);
      expect(outcome.message).toContain("post-handshake authentication");
      expect(outcome.message).not.toMatch(/check (it is )?the identity/);
    }
  });

  it("a CertificateRequest in the TLS 1.3 handshake and the identity refused: it is the identity to check", () => {
    const outcomes = judgeMtls(
      CHECKS,
      withAttempts(
        (["anonymous", "untrusted", "identity"] as const).map((client) =>
          seen(client, "TLSv1.3", {
            refusedAt: "first-read",
            alert: "unknown_ca (48)",
            certificateRequested: true,
          }),
        ),
      ),
    );
    expect(outcomes[2]?.reason).toBe("identity refused");
    expect(outcomes[2]?.message).toContain(
      "check it is the identity this server trusts",
    );
  });

  it("Windows authentication after the certificate: the identity passes with a note; an anonymous client asked the same fails", () => {
    const negotiate = {
      refusedAt: "http",
      httpStatus: 401,
      authenticate: "Negotiate, NTLM",
    } as const;
    const enforced = judgeMtls(
      CHECKS,
      withAttempts([
        seen("anonymous", "TLSv1.3", {
          refusedAt: "http",
          httpStatus: 403,
          certificateRequested: true,
        }),
        seen("untrusted", "TLSv1.3", {
          refusedAt: "http",
          httpStatus: 403,
          certificateRequested: true,
        }),
        seen("identity", "TLSv1.3", {
          ...negotiate,
          certificateRequested: true,
        }),
      ]),
    );
    expect(enforced.map((o) => o.verdict)).toEqual(["pass", "pass", "pass"]);
    expect(enforced[2]?.message).toContain(
      "the MES client needs Windows credentials as well as its certificate",
    );
    const notRequired = judgeMtls(
      CHECKS,
      withAttempts(
        (["anonymous", "untrusted", "identity"] as const).map((client) =>
          seen(client, "TLSv1.3", negotiate),
        ),
      ),
    );
    expect(notRequired.map((o) => o.verdict)).toEqual(["fail", "fail", "pass"]);
    expect(notRequired[0]?.message).toContain(
      "exactly as it answers the plan's identity",
    );
  });

  it.each([
    ["alert 112", "unrecognized_name (112)"],
    ["alert 40", "handshake_failure (40)"],
    ["a reset", "ECONNRESET"],
  ])(
    "without SNI, every hello refused before a ServerHello with %s: needs a server name; with a name, judged",
    (_, alert) => {
      const attempts = (
        ["anonymous", "untrusted", "identity"] as const
      ).flatMap((client) =>
        (["TLSv1.2", "TLSv1.3"] as const).map((version) =>
          seen(client, version, {
            refusedAt: "handshake",
            alert,
            serverHelloSeen: false,
            certificateRequested: null,
          }),
        ),
      );
      expect(
        judgeMtls(CHECKS, withAttempts(attempts, "10.20.0.5")).map(
          (o) => o.reason,
        ),
      ).toEqual([NEEDS_SERVER_NAME, NEEDS_SERVER_NAME, NEEDS_SERVER_NAME]);
      expect(
        judgeMtls(CHECKS, withAttempts(attempts, "mes.plant.local")).map(
          (o) => o.reason,
        ),
      ).toEqual(["identity refused", "identity refused", "identity refused"]);
    },
  );
});
