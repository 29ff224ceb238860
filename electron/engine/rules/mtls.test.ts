import { describe, expect, it } from "vitest";
import {
  MTLS_EVIDENCE_SCHEMA,
  type ClientAttempt,
  type MtlsEvidence,
} from "../../../shared/evidence/web";
import { judgeMtls } from "./mtls";

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
