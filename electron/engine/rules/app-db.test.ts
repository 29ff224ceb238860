import { beforeAll, describe, expect, it } from "vitest";
import {
  MSSQL_EVIDENCE_SCHEMA,
  MssqlEvidence,
  type CredentialedStep,
  type PreloginAnswer,
  type TdsTls,
} from "../../../shared/evidence/mssql";
import type { CheckOutcome } from "../../../shared/verdicts/outcome";
import {
  sqlCertificates,
  SQL_NAME,
  type SqlCertificates,
} from "../../../test/support/tds";
import { certificateInfoFromPem, splitPemCertificates } from "../x509";
import { APP_DB_CHECKS, judgeAppDb, type AppDbContext } from "./app-db";

const now = new Date("2026-06-01T12:00:00Z");
let certs: SqlCertificates;
beforeAll(() => {
  certs = sqlCertificates(now);
});

const answer = (
  encryption: PreloginAnswer["encryption"],
  byte: number,
): PreloginAnswer => ({
  encryptionByte: byte,
  encryption,
  clientCertificate: false,
  version: {
    major: 16,
    minor: 0,
    build: 1000,
    subbuild: 0,
    text: "16.0.1000",
    product: "SQL Server 2022",
  },
  options: [0, 1, 2, 3, 4],
});
const REQ = answer("required", 3);
const OFF = answer("off", 0);
const NOT_SUP = answer("not-supported", 2);

function tls(
  pem: string,
  protocol = "TLSv1.2",
  alpn: string | null = null,
): TdsTls {
  return {
    completed: true,
    protocol,
    cipher: {
      name: "ECDHE-RSA-AES128-GCM-SHA256",
      standardName: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      version: protocol,
    },
    alpn,
    chain: splitPemCertificates(pem).map((p) => certificateInfoFromPem(p)),
    error: null,
  };
}

function signedIn(overrides: Partial<CredentialedStep> = {}): CredentialedStep {
  return {
    login: "probe",
    mode: "tds7-encrypt",
    connected: true,
    error: null,
    clientTls: {
      protocol: "TLSv1.2",
      cipher: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    },
    session: {
      source: "dm_exec_connections",
      encryptOption: "TRUE",
      authScheme: "SQL",
      protocolVersion: 0x74000004,
      netTransport: "TCP",
    },
    integratedSecurityOnly: 0,
    productVersion: "16.0.1000.6",
    registry: [
      { key: "…SuperSocketNetLib", name: "ForceEncryption", value: "1" },
    ],
    appLogin: "mes_app",
    appSessions: [
      {
        sessionId: 60,
        login: "mes_app",
        hostName: "mes01",
        programName: "MES",
        encryptOption: "TRUE",
        authScheme: "SQL",
        netTransport: "TCP",
      },
    ],
    permissionsMissing: [],
    queryErrors: [],
    ...overrides,
  };
}

/** A forced server with the good certificate and a working login, changed by `change`. */
function evidence(
  change: (e: MssqlEvidence) => void = () => undefined,
): MssqlEvidence {
  const e: MssqlEvidence = {
    schema: MSSQL_EVIDENCE_SCHEMA,
    target: {
      host: "127.0.0.1",
      port: 1433,
      portSource: "explicit",
      instance: null,
      serverName: SQL_NAME,
      localAddress: null,
    },
    unreachable: null,
    browser: null,
    prelogin: {
      sent: "off",
      outcome: "answered",
      answer: REQ,
      tls: tls(certs.good.cert),
      error: null,
    },
    tds8: {
      outcome: "tls-failed",
      tls: null,
      answer: null,
      error: { kind: "tls", code: "ECONNRESET", message: "no TDS 8.0" },
    },
    tds8Skipped: "",
    credentialed: signedIn(),
    credentialsSkipped: "",
  };
  change(e);
  // Every fixture is evidence the schema accepts.
  return MssqlEvidence.parse(e);
}

const context = (overrides: Partial<AppDbContext> = {}): AppDbContext => ({
  anchorsPem: [certs.anchorPem],
  publicRoots: false,
  headroomDays: 30,
  minimumTlsVersion: "TLSv1.2",
  credentialsGiven: true,
  now,
  ...overrides,
});

async function judged(
  e: MssqlEvidence,
  c: AppDbContext = context(),
): Promise<Record<string, CheckOutcome>> {
  const outcomes = await judgeAppDb(e, c);
  expect(outcomes.map((o) => o.checkId)).toEqual([...APP_DB_CHECKS]);
  return Object.fromEntries(
    outcomes.map((o) => [o.checkId.replace("APP-DB.", ""), o]),
  );
}

const verdicts = (r: Record<string, CheckOutcome>): Record<string, string> =>
  Object.fromEntries(Object.entries(r).map(([k, o]) => [k, o.verdict]));

describe("APP-DB rules", () => {
  it("passes a forced server with a good certificate and a working SQL login", async () => {
    const r = await judged(evidence());
    expect(verdicts(r)).toEqual({
      "tds.encryption": "pass",
      "tds.cert": "pass",
      "tds.protocol": "pass",
      "sql.auth": "pass",
      "sql.mixed-mode": "pass",
      "sql.app-sessions": "pass",
    });
    expect(r["tds.encryption"]?.measured).toMatch(
      /REQ \(0x03\).*ForceEncryption = 1/,
    );
    expect(r["tds.protocol"]?.measured).toMatch(/TLS 1\.2 inside PRELOGIN/);
    expect(r["sql.auth"]?.measured).toMatch(
      /encrypt_option TRUE, auth_scheme SQL, protocol_version 0x74000004/,
    );
  });

  it("passes ON to a client asking OFF as forced, and notes TDS 8.0 supported but not enforced", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = { ...e.prelogin!, answer: answer("on", 1) };
        e.tds8 = {
          outcome: "works",
          tls: tls(certs.good.cert, "TLSv1.3", "tds/8.0"),
          answer: NOT_SUP,
          error: null,
        };
      }),
    );
    expect(r["tds.encryption"]?.verdict).toBe("pass");
    expect(r["tds.encryption"]?.measured).toMatch(
      /TDS 8\.0 strict supported, not enforced/,
    );
    expect(r["tds.protocol"]?.measured).toMatch(
      /TLS 1\.2 .*; TLS 1\.3 inside TDS 8\.0/,
    );
  });

  it("fails encryption available but not forced, once, and leaves the rest not-tested naming it", async () => {
    const r = await judged(
      evidence((e) => (e.prelogin = { ...e.prelogin!, answer: OFF })),
    );
    expect(r["tds.encryption"]?.verdict).toBe("fail");
    expect(r["tds.encryption"]?.message).toMatch(/Force Encryption = Yes/);
    for (const id of [
      "tds.cert",
      "tds.protocol",
      "sql.auth",
      "sql.mixed-mode",
      "sql.app-sessions",
    ]) {
      expect(r[id]).toMatchObject({
        verdict: "not-tested",
        reason: "prerequisite failed",
        message: expect.stringMatching(
          /^Not judged: APP-DB\.tds\.encryption failed/,
        ) as unknown,
      });
    }
  });

  it("fails strict supported but not enforced when PRELOGIN answers OFF, pointing at Force Strict Encryption", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = { ...e.prelogin!, answer: OFF };
        e.tds8 = {
          outcome: "works",
          tls: tls(certs.good.cert, "TLSv1.3", "tds/8.0"),
          answer: NOT_SUP,
          error: null,
        };
      }),
    );
    expect(r["tds.encryption"]?.verdict).toBe("fail");
    expect(r["tds.encryption"]?.message).toMatch(
      /Force Strict Encryption since TDS 8\.0 already works/,
    );
  });

  it("fails a server without any certificate (NOT_SUP)", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = { ...e.prelogin!, answer: NOT_SUP, tls: null };
        e.credentialed = null;
        e.credentialsSkipped =
          "The server offers no encryption: the SQL login would travel in clear, so it was not attempted.";
      }),
    );
    expect(r["tds.encryption"]).toMatchObject({
      verdict: "fail",
      measured: expect.stringMatching(/NOT_SUP/) as unknown,
    });
    expect(r["tds.encryption"]?.message).toMatch(/password included/);
  });

  it("passes strict enforced: cleartext PRELOGIN refused, TDS 8.0 works; the cert and TLS 1.3 judged from TDS 8.0", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = {
          sent: "off",
          outcome: "refused",
          answer: null,
          tls: null,
          error: {
            kind: "closed",
            code: "EOF",
            message: "closed the connection without answering the PRELOGIN.",
          },
        };
        e.tds8 = {
          outcome: "works",
          tls: tls(certs.good.cert, "TLSv1.3", "tds/8.0"),
          answer: NOT_SUP,
          error: null,
        };
        e.credentialed = signedIn({ mode: "tds8-strict", clientTls: null });
      }),
    );
    expect(verdicts(r)).toMatchObject({
      "tds.encryption": "pass",
      "tds.cert": "pass",
      "tds.protocol": "pass",
      "sql.auth": "pass",
    });
    expect(r["tds.encryption"]?.message).toMatch(
      /enforces TDS 8\.0 strict encryption/,
    );
    expect(r["tds.protocol"]?.message).toMatch(/TLS 1\.3/);
  });

  it("leaves strict enforcement not-tested when the cleartext PRELOGIN was only met with silence", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = {
          sent: "off",
          outcome: "no-answer",
          answer: null,
          tls: null,
          error: { kind: "timeout", code: "ETIMEDOUT", message: "silent" },
        };
        e.tds8 = {
          outcome: "works",
          tls: tls(certs.good.cert, "TLSv1.3", "tds/8.0"),
          answer: NOT_SUP,
          error: null,
        };
      }),
    );
    expect(r["tds.encryption"]).toMatchObject({
      verdict: "not-tested",
      reason: "strict enforcement not proven",
    });
    expect(r["tds.cert"]?.verdict).toBe("pass");
  });

  it("fails an endpoint that does not answer as SQL Server, and an ENCRYPTION value MS-TDS does not define", async () => {
    const notSql = await judged(
      evidence((e) => {
        e.prelogin = {
          sent: "off",
          outcome: "not-tds",
          answer: null,
          tls: null,
          error: {
            kind: "protocol",
            code: "wrong-type",
            message: "answered with packet type 0x01",
          },
        };
        e.credentialed = null;
      }),
      context({ credentialsGiven: false }),
    );
    expect(notSql["tds.encryption"]).toMatchObject({ verdict: "fail" });
    expect(notSql["tds.encryption"]?.message).toMatch(
      /does not answer as a SQL Server: answered with packet type 0x01/,
    );
    const odd = await judged(
      evidence(
        (e) =>
          (e.prelogin = {
            ...e.prelogin!,
            answer: answer("unknown", 7),
            tls: null,
          }),
      ),
    );
    expect(odd["tds.encryption"]?.message).toMatch(
      /ENCRYPTION 0x07, a value MS-TDS does not define/,
    );
  });

  it("leaves everything not-tested when the server is unreachable, or SQL Browser gave no port", async () => {
    const gone = await judged(
      evidence((e) => {
        e.unreachable = {
          kind: "refused",
          code: "ECONNREFUSED",
          message: "Nothing is listening on 127.0.0.1:1433.",
        };
        e.prelogin = null;
        e.tds8 = null;
        e.credentialed = null;
      }),
    );
    expect(
      Object.values(gone).every(
        (o) => o.verdict === "not-tested" && o.reason === "unreachable",
      ),
    ).toBe(true);
    const browser = await judged(
      evidence((e) => {
        e.unreachable = {
          kind: "browser",
          code: "ETIMEDOUT",
          message: "SQL Browser did not answer.",
        };
        e.prelogin = null;
      }),
    );
    expect(browser["tds.encryption"]?.reason).toBe("instance port unknown");
  });

  it("fails the self-signed fallback by name, and leaves the sql.* checks not-tested behind it", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = { ...e.prelogin!, tls: tls(certs.fallback.cert) };
        e.credentialed = signedIn({
          registry: [
            { key: "…SuperSocketNetLib", name: "Certificate", value: "" },
          ],
        });
      }),
    );
    expect(r["tds.cert"]?.verdict).toBe("fail");
    expect(r["tds.cert"]?.message).toMatch(
      /^SQL Server is using its self-signed fallback certificate: no certificate is configured/,
    );
    expect(r["tds.cert"]?.measured).toMatch(
      /CN=SSL_Self_Signed_Fallback .*registry Certificate = ""/,
    );
    expect(r["tds.protocol"]?.verdict).toBe("pass");
    expect(r["sql.auth"]).toMatchObject({
      verdict: "not-tested",
      reason: "prerequisite failed",
      message: expect.stringMatching(
        /^Not judged: APP-DB\.tds\.cert failed/,
      ) as unknown,
    });
  });

  it("fails expired and wrong-name certificates through the certificate rules", async () => {
    const expired = await judged(
      evidence(
        (e) => (e.prelogin = { ...e.prelogin!, tls: tls(certs.expired.cert) }),
      ),
    );
    expect(expired["tds.cert"]).toMatchObject({
      verdict: "fail",
      message: expect.stringMatching(/expired/) as unknown,
    });
    const wrong = await judged(
      evidence(
        (e) =>
          (e.prelogin = { ...e.prelogin!, tls: tls(certs.wrongName.cert) }),
      ),
    );
    expect(wrong["tds.cert"]).toMatchObject({
      verdict: "fail",
      message: expect.stringMatching(
        /not valid for the name sql01\.plant\.test/,
      ) as unknown,
    });
  });

  it("fails the protocol when no TLS 1.2+ session could be set up inside PRELOGIN, and says so once", async () => {
    const r = await judged(
      evidence((e) => {
        e.prelogin = {
          ...e.prelogin!,
          tls: {
            completed: false,
            protocol: null,
            cipher: null,
            alpn: null,
            chain: [],
            error: {
              kind: "tls",
              code: "ERR_SSL_UNSUPPORTED_PROTOCOL",
              message: "The TLS handshake failed on the protocol version.",
            },
          },
        };
        e.credentialed = null;
      }),
      context({ credentialsGiven: false }),
    );
    expect(r["tds.protocol"]?.verdict).toBe("fail");
    expect(r["tds.protocol"]?.message).toMatch(/No TLS 1\.2 or newer session/);
    expect(r["tds.cert"]).toMatchObject({
      verdict: "not-tested",
      reason: "no certificate",
    });
  });

  it("holds TLS 1.2 against a policy that asks for TLS 1.3", async () => {
    const r = await judged(
      evidence(),
      context({ minimumTlsVersion: "TLSv1.3" }),
    );
    expect(r["tds.protocol"]?.verdict).toBe("fail");
    expect(r["tds.protocol"]?.message).toMatch(
      /below TLS 1\.3 \(the plan's policy\)/,
    );
  });

  it("leaves the sql.* checks not-tested without credentials (no failure: exit 0)", async () => {
    const r = await judged(
      evidence((e) => (e.credentialed = null)),
      context({ credentialsGiven: false }),
    );
    for (const id of ["sql.auth", "sql.mixed-mode", "sql.app-sessions"]) {
      expect(r[id]).toMatchObject({
        verdict: "not-tested",
        reason: "no credentials",
      });
    }
    expect(Object.values(r).some((o) => o.verdict === "fail")).toBe(false);
  });

  it("treats a refused login as not-tested, except where it proves Windows-only authentication", async () => {
    const refused = await judged(
      evidence((e) => {
        e.credentialed = signedIn({
          connected: false,
          session: null,
          error: {
            kind: "login",
            code: "18456",
            message:
              "SQL Server refused the login \"probe\": Login failed for user 'probe'.",
          },
        });
      }),
    );
    expect(refused["sql.auth"]).toMatchObject({
      verdict: "not-tested",
      reason: "login refused",
    });
    expect(refused["sql.mixed-mode"]).toMatchObject({
      verdict: "not-tested",
      reason: "login refused",
    });
    const windowsOnly = await judged(
      evidence((e) => {
        e.credentialed = signedIn({
          connected: false,
          session: null,
          error: {
            kind: "login",
            code: "18456",
            message:
              "Login failed for user 'probe'. Reason: An attempt to login using SQL authentication failed. Server is configured for Windows authentication only.",
          },
        });
      }),
    );
    expect(windowsOnly["sql.mixed-mode"]?.verdict).toBe("fail");
    expect(
      (
        await judged(
          evidence(
            (e) => (e.credentialed = signedIn({ integratedSecurityOnly: 1 })),
          ),
        )
      )["sql.mixed-mode"]?.verdict,
    ).toBe("fail");
  });

  it("fails SQL authentication when the client refuses the certificate as the MES application would", async () => {
    const r = await judged(
      evidence((e) => {
        e.credentialed = signedIn({
          connected: false,
          session: null,
          error: {
            kind: "tls",
            code: "ERR_TLS_CERT_ALTNAME_INVALID",
            message: "The SQL client refused the server's certificate.",
          },
        });
      }),
    );
    expect(r["sql.auth"]?.verdict).toBe("fail");
  });

  it("passes SQL authentication without VIEW SERVER STATE on CONNECTIONPROPERTY and the client's own TLS, saying so", async () => {
    const r = await judged(
      evidence((e) => {
        e.credentialed = signedIn({
          session: {
            source: "connectionproperty",
            encryptOption: null,
            authScheme: "SQL",
            protocolVersion: null,
            netTransport: "TCP",
          },
          registry: null,
          appSessions: null,
          permissionsMissing: [
            {
              query: "session",
              permission: "VIEW SERVER STATE",
              number: 300,
              message:
                "VIEW SERVER STATE permission was denied on object 'server', database 'master'.",
            },
            {
              query: "app-sessions",
              permission: "VIEW SERVER STATE",
              number: 300,
              message:
                "VIEW SERVER STATE permission was denied on object 'server', database 'master'.",
            },
          ],
        });
      }),
    );
    expect(r["sql.auth"]?.verdict).toBe("pass");
    expect(r["sql.auth"]?.measured).toMatch(
      /encrypt_option not readable without VIEW SERVER STATE/,
    );
    expect(r["sql.app-sessions"]).toMatchObject({
      verdict: "not-tested",
      reason: "no permission: VIEW SERVER STATE",
    });
    expect(r["sql.app-sessions"]?.message).toMatch(
      /VIEW SERVER STATE permission was denied on object 'server', database 'master'\./,
    );
    expect(r["sql.app-sessions"]?.message).toMatch(
      /GRANT VIEW SERVER STATE TO \[probe\]/,
    );
  });

  it("judges the MES application's sessions: unencrypted fails, none or no login named is not-tested", async () => {
    const bad = await judged(
      evidence((e) => {
        e.credentialed = signedIn({
          appSessions: [
            {
              sessionId: 61,
              login: "mes_app",
              hostName: "mes02",
              programName: "MES",
              encryptOption: "FALSE",
              authScheme: "SQL",
              netTransport: "TCP",
            },
            {
              sessionId: 62,
              login: "mes_app",
              hostName: "mes01",
              programName: "MES",
              encryptOption: "TRUE",
              authScheme: "SQL",
              netTransport: "TCP",
            },
          ],
        });
      }),
    );
    expect(bad["sql.app-sessions"]?.verdict).toBe("fail");
    expect(bad["sql.app-sessions"]?.message).toMatch(
      /1 of 2 sessions .* mes02/,
    );
    expect(
      (
        await judged(
          evidence((e) => (e.credentialed = signedIn({ appSessions: [] }))),
        )
      )["sql.app-sessions"]?.reason,
    ).toBe("no sessions");
    expect(
      (
        await judged(
          evidence(
            (e) =>
              (e.credentialed = signedIn({
                appLogin: null,
                appSessions: null,
              })),
          ),
        )
      )["sql.app-sessions"]?.reason,
    ).toBe("no application login");
  });

  it("says why the login was not attempted", async () => {
    const r = await judged(
      evidence((e) => {
        e.credentialed = null;
        e.credentialsSkipped =
          "No TLS session could be set up with the server, so the SQL login was not attempted.";
      }),
    );
    expect(r["sql.auth"]).toMatchObject({
      verdict: "not-tested",
      reason: "login not attempted",
    });
  });
});
