// IIS and HTTP.sys as they really behave, against loopback servers: client certificates asked for per path after
// the request (our practice server, and Apache httpd per-<Location> — started here as a child process), servers
// that need a server name (our HTTP.sys-like reset, and nginx's ssl_reject_handshake — alert 112), HSTS on every
// path whatever their order, headers far past Node's 16 KiB, and `probe http --servername`.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../electron/cli/program";
import type { ProbeReport } from "../../electron/cli/probe-report";
import type { RunReport } from "../../electron/cli/run-summary";
import { startPracticePlant } from "../../electron/demo/practice-plant";
import {
  PRACTICE_PASSPHRASE,
  PRACTICE_PASSPHRASE_VARIABLE,
} from "../../electron/engine/practice/protocol";
import {
  createPracticePki,
  issueCertificate,
  pemBundle,
  type PracticeCertificate,
} from "../../electron/demo/pki";
import { MOZILLA_INTERMEDIATE_CIPHERS } from "../../electron/demo/tls-servers";
import {
  startWebServer,
  type RunningWebServer,
  type WebServerOptions,
} from "../../electron/demo/web-servers";
import { HostLimiter } from "../../electron/engine/net";
import { probeWeb } from "../../electron/engine/protocols/http/probe";
import { probeMtls } from "../../electron/engine/protocols/http/mtls";
import {
  judgeHsts,
  judgeHttpsPaths,
  judgePlainHttp,
} from "../../electron/engine/rules/http";
import {
  judgeMtls,
  NEEDS_POST_HANDSHAKE_AUTH,
  PER_PATH_TLS12_ONLY,
} from "../../electron/engine/rules/mtls";
import { NEEDS_SERVER_NAME } from "../../electron/engine/rules/server-name";
import { judgeTlsProfile } from "../../electron/engine/rules/tls-profile";
import { probeTls } from "../../electron/engine/protocols/tls";
import { parseCertificate } from "../../electron/engine/x509";
import { captureIo } from "../support/cli";
import {
  startApachePerPath,
  startNginxNameOnly,
  type WebDaemon,
} from "../support/web-daemons";

const HOST = "127.0.0.1";
const NAME = "mes01.plant.local";
const dir = mkdtempSync(join(tmpdir(), "cellcert-iis-"));
const pki = createPracticePki({ name: "IIS Test" });
const leaf = pki.issueLeaf({
  commonName: NAME,
  dnsNames: [NAME],
  ipAddresses: [HOST],
});
const rootFile = join(dir, "root.pem");
writeFileSync(rootFile, pki.root.pem);
const serverTls = {
  key: leaf.key.privateKeyPem,
  cert: pemBundle(pki.chainOf(leaf)),
  ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
};
const clientCa = createPracticePki({ name: "IIS Clients" });
const clientCaPems = [clientCa.root.pem, clientCa.intermediate.pem];
const clientLeaf = issueCertificate(clientCa.intermediate, {
  commonName: "perimeter-proxy",
  extendedKeyUsage: ["clientAuth"],
});
const identityOf = (cert: PracticeCertificate) => ({
  certificate: {
    key: cert.key.privateKeyPem,
    certificatePems: [cert.pem, clientCa.intermediate.pem],
  },
  subject: `CN=${cert.commonName}`,
  extendedKeyUsage: parseCertificate(cert.der).extendedKeyUsage,
});
const identity = identityOf(clientLeaf);
const options = () => ({ limiter: new HostLimiter(), timeoutMs: 3000 });
const MTLS_CHECKS = [
  "PER-MES.mtls.anonymous-refused",
  "PER-MES.mtls.untrusted-refused",
  "PER-MES.mtls.identity-accepted",
];

const servers: RunningWebServer[] = [];
const daemons: WebDaemon[] = [];
afterAll(async () => {
  await Promise.all([
    ...servers.map((s) => s.close()),
    ...daemons.map((d) => d.stop()),
  ]);
});
async function serve(server: WebServerOptions): Promise<RunningWebServer> {
  const running = await startWebServer(server);
  servers.push(running);
  return running;
}

async function mtls(port: number, path = "/") {
  const evidence = await probeMtls(
    { host: HOST, port, serverName: NAME, path, identity },
    options(),
  );
  const outcomes = judgeMtls(MTLS_CHECKS, evidence);
  return { evidence, outcomes, verdicts: outcomes.map((o) => o.verdict) };
}

const site = { "/": { status: 200, body: "<h1>MES</h1>" } };
const perPath = (
  mode: "per-path" | "per-path-optional",
  extra: { tls13?: "reset" | "500"; minVersion?: "TLSv1.3" } = {},
) =>
  serve({
    address: HOST,
    tls: {
      ...serverTls,
      ...(extra.minVersion !== undefined && { minVersion: extra.minVersion }),
      clientCertificates: {
        mode,
        ca: clientCaPems,
        ...(extra.tls13 !== undefined && { tls13: extra.tls13 }),
      },
    },
    routes: site,
  });

describe("client certificates asked for per path after the request (IIS, Apache per-<Location>)", () => {
  it.each([
    ["resets over TLS 1.3, as Windows Server 2022 does", "reset" as const],
    ["answers 500 over TLS 1.3, as Windows Server 2025 does", "500" as const],
  ])(
    "TLS 1.2 renegotiation proven and TLS 1.3 refused: the identity warns with what to change (%s)",
    async (_, tls13) => {
      const server = await perPath("per-path", { tls13 });
      const { evidence, outcomes, verdicts } = await mtls(server.port);
      expect(verdicts).toEqual(["pass", "pass", "warn"]);
      expect(outcomes[2]?.message).toContain(PER_PATH_TLS12_ONLY);
      expect(outcomes[2]?.message).not.toMatch(/check (it is )?the identity/);
      const byIdentity = evidence.attempts.filter(
        (a) => a.client === "identity",
      );
      expect(
        byIdentity.map((a) => [
          a.version,
          a.result,
          a.certificateRequested,
          a.renegotiationRequested,
        ]),
      ).toEqual([
        ["TLSv1.2", "accepted", false, true],
        ["TLSv1.3", "refused", false, null],
      ]);
      expect(byIdentity[1]?.refusedAt).toBe(
        tls13 === "500" ? "http" : "first-read",
      );
      // Anonymous and untrusted stay judged per version: refused after the renegotiation, and over TLS 1.3.
      expect(outcomes[0]?.measured).toMatch(
        /^TLS 1\.2: refused with HTTP 403 after a renegotiation; TLS 1\.3: refused/,
      );
    },
  );

  it("TLS 1.3 only and refused after the handshake: not-tested, naming TLS 1.3 and post-handshake authentication", async () => {
    const server = await perPath("per-path", { minVersion: "TLSv1.3" });
    const { outcomes } = await mtls(server.port);
    expect(outcomes.map((o) => [o.verdict, o.reason])).toEqual([
      ["not-tested", NEEDS_POST_HANDSHAKE_AUTH],
      ["not-tested", NEEDS_POST_HANDSHAKE_AUTH],
      ["not-tested", NEEDS_POST_HANDSHAKE_AUTH],
    ]);
    const message = outcomes[2]?.message ?? "";
    expect(message).toContain("TLS 1.3");
    expect(message).toContain("post-handshake authentication");
    expect(message).not.toMatch(/check (it is )?the identity/);
  });

  it("asked per path but not required (SslNegotiateCert alone): the anonymous client fails, the identity warns", async () => {
    const server = await perPath("per-path-optional");
    const { outcomes, verdicts } = await mtls(server.port);
    expect(verdicts).toEqual(["fail", "pass", "warn"]);
    expect(outcomes[0]?.message).toContain(
      "serves clients without a certificate over TLS 1.2. It asks for a client certificate but does not require one.",
    );
  });

  it("an identity accepted at TLS and then asked for Windows authentication (401 Negotiate, NTLM) passes with a note", async () => {
    const server = await serve({
      address: HOST,
      tls: {
        ...serverTls,
        clientCertificates: { mode: "required", ca: clientCaPems },
      },
      routes: {
        "/": {
          status: 401,
          headers: { "WWW-Authenticate": ["Negotiate", "NTLM"] },
        },
      },
    });
    const { outcomes, verdicts } = await mtls(server.port);
    expect(verdicts).toEqual(["pass", "pass", "pass"]);
    expect(outcomes[2]?.message).toContain(
      "the server asks for Windows authentication too (401, WWW-Authenticate Negotiate, NTLM)",
    );
  });

  it("Apache httpd with SSLVerifyClient require in a <Location>: the same warning", async (context) => {
    const started = await startApachePerPath({
      tls: { certificate: serverTls.cert, key: serverTls.key },
      clientCa: clientCaPems.join(""),
      path: "/Opcenter",
    });
    if ("skipped" in started) {
      context.skip(started.skipped);
      return;
    }
    daemons.push(started.daemon);
    const { evidence, outcomes, verdicts } = await mtls(
      started.daemon.port,
      "/Opcenter",
    );
    expect(verdicts).toEqual(["pass", "pass", "warn"]);
    expect(outcomes[2]?.message).toContain(PER_PATH_TLS12_ONLY);
    const byIdentity = evidence.attempts.filter((a) => a.client === "identity");
    expect(
      byIdentity.map((a) => [
        a.version,
        a.result,
        a.renegotiationRequested,
        a.httpStatus,
      ]),
    ).toEqual([
      ["TLSv1.2", "accepted", true, 200],
      // AH10158: cannot perform post-handshake authentication.
      ["TLSv1.3", "refused", null, 403],
    ]);
  });
});

describe("the practice plant's MES gateway in the per-path IIS style (a variant for tests)", () => {
  it("warns on the identity over TLS 1.3, proves enforcement over TLS 1.2, and leaves PER-MES passing with a warning", async () => {
    const plant = await startPracticePlant({
      dir: mkdtempSync(join(tmpdir(), "cellcert-iis-plant-")),
      broken: false,
      portBase: 33000,
      gatewayClientCertificates: "per-path",
    });
    try {
      const io = captureIo({
        env: { [PRACTICE_PASSPHRASE_VARIABLE]: PRACTICE_PASSPHRASE },
      });
      const code = await runCli(
        ["run", "--plan", plant.planPath, "--vantage", "perimeter", "--json"],
        io,
      );
      expect(code).toBe(0);
      const report = JSON.parse(io.out.join("\n")) as RunReport;
      const gateway = report.runs[0]?.results.filter(
        (r) => r.endpointId === "mes-gateway" && r.checkId.includes(".mtls."),
      );
      expect(gateway?.map((r) => r.verdict)).toEqual(["pass", "pass", "warn"]);
      expect(gateway?.[2]?.message).toContain(PER_PATH_TLS12_ONLY);
      expect(report.boundaries.find((b) => b.id === "PER-MES")?.verdict).toBe(
        "warn",
      );
    } finally {
      await plant.stop();
    }
  });
});

describe("servers that need a server name (HTTP.sys with SNI bindings only, nginx ssl_reject_handshake)", () => {
  const profile = async (port: number, serverName?: string) => {
    const evidence = await probeTls(
      { host: HOST, port, ...(serverName !== undefined && { serverName }) },
      {
        endpointKind: "https",
        policy: {
          timeoutMs: 2000,
          maxConnectionsPerHost: 2,
          maxConnections: 16,
        },
      },
    );
    return {
      evidence,
      outcomes: await judgeTlsProfile("", evidence, {
        anchorsPem: [pki.root.pem],
        publicRoots: false,
        policy: {},
        now: new Date(),
      }),
    };
  };
  const cli = async (args: string[]) => {
    const io = captureIo();
    const code = await runCli(args, io);
    return {
      code,
      report: JSON.parse(io.out.join("\n")) as ProbeReport,
    };
  };

  let reset: RunningWebServer;
  let nginx: WebDaemon | string;
  beforeAll(async () => {
    reset = await serve({
      address: HOST,
      tls: { ...serverTls, requireServerName: true },
      hsts: "max-age=31536000",
      routes: site,
    });
    const started = await startNginxNameOnly({
      tls: { certificate: serverTls.cert, key: serverTls.key },
      serverName: NAME,
      hsts: "max-age=31536000",
    });
    if ("skipped" in started) nginx = started.skipped;
    else {
      nginx = started.daemon;
      daemons.push(nginx);
    }
  });

  const both = [
    ["our HTTP.sys-like server (a reset)", () => reset.port] as const,
    [
      "nginx (alert 112)",
      () => (typeof nginx === "string" ? nginx : nginx.port),
    ] as const,
  ];

  it.for(both)(
    "%s: without a name all six checks are not-tested with the sentence to set it, exit 2; with it, judged",
    async ([, portOf], context) => {
      const port = portOf();
      if (typeof port === "string") {
        context.skip(port);
        return;
      }
      const without = await profile(port);
      expect(without.evidence.refusedWithoutServerName).toBe(true);
      expect(without.outcomes.map((o) => [o.verdict, o.reason])).toEqual(
        Array.from({ length: 6 }, () => ["not-tested", NEEDS_SERVER_NAME]),
      );
      expect(without.outcomes[0]?.message).toContain("--servername NAME");
      expect(without.outcomes[0]?.message).toContain(
        "the endpoint's server name in the plan",
      );
      const named = await profile(port, NAME);
      expect(named.outcomes.map((o) => o.verdict)).toEqual([
        "pass",
        "pass",
        "pass",
        "pass",
        "pass",
        "pass",
      ]);

      const tls = await cli(["probe", "tls", `${HOST}:${port}`, "--json"]);
      expect(tls.code).toBe(2);
      expect(tls.report.unjudged).toContain("needs a server name");
      const https = await cli([
        "probe",
        "https",
        `${HOST}:${port}`,
        "--ca",
        rootFile,
        "--json",
      ]);
      expect(https.code).toBe(2);
      expect(https.report.checks.map((c) => c.reason)).toEqual(
        Array.from({ length: 8 }, () => NEEDS_SERVER_NAME),
      );
      const withName = await cli([
        "probe",
        "https",
        `${HOST}:${port}`,
        "--servername",
        NAME,
        "--ca",
        rootFile,
        "--json",
      ]);
      expect(withName.code).toBe(0);
      expect(withName.report.checks.map((c) => c.verdict)).toEqual(
        Array.from({ length: 8 }, () => "pass"),
      );
    },
  );

  it("the client-certificate checks say so too", async () => {
    const evidence = await probeMtls(
      { host: HOST, port: reset.port, serverName: HOST, path: "/", identity },
      options(),
    );
    expect(judgeMtls(MTLS_CHECKS, evidence).map((o) => o.reason)).toEqual([
      NEEDS_SERVER_NAME,
      NEEDS_SERVER_NAME,
      NEEDS_SERVER_NAME,
    ]);
  });
});

describe("HSTS on every path's final answer (DESIGN §3)", () => {
  const GOOD = "max-age=31536000; includeSubDomains";
  let server: RunningWebServer;
  beforeAll(async () => {
    server = await serve({
      address: HOST,
      tls: serverTls,
      routes: {
        "/good": {
          status: 200,
          headers: { "Strict-Transport-Security": GOOD },
        },
        "/none": { status: 200 },
        // IIS answers the bare folder with a redirect; the page itself carries the header.
        "/Opcenter": { status: 302, location: "/Opcenter/" },
        "/Opcenter/": {
          status: 200,
          headers: { "Strict-Transport-Security": GOOD },
        },
        "/twice": {
          status: 200,
          headers: {
            "Strict-Transport-Security": "max-age=31536000; max-age=31536000",
          },
        },
        "/zero": {
          status: 200,
          headers: { "Strict-Transport-Security": "max-age=0" },
        },
        "/first-valid-counts": {
          status: 200,
          headers: {
            "Strict-Transport-Security": ["max-age=abc", GOOD, "max-age=60"],
          },
        },
        "/no-max-age": {
          status: 200,
          headers: { "Strict-Transport-Security": "includeSubDomains" },
        },
      },
    });
  });
  const hsts = async (paths: string[]) =>
    judgeHsts(
      "ENT-PER.http.hsts",
      await probeWeb(
        {
          scheme: "https",
          host: HOST,
          port: server.port,
          serverName: HOST,
          paths,
          followRedirects: true,
          allowedHosts: [],
        },
        options(),
      ),
    );

  it("judges every path, the worst deciding, whatever their order; the message names the path", async () => {
    const forward = await hsts(["/good", "/none", "/Opcenter"]);
    const backward = await hsts(["/Opcenter", "/none", "/good"]);
    for (const result of [forward, backward]) {
      expect(result.verdict).toBe("warn");
      expect(result.message).toContain(
        `https://${HOST}:${server.port}/none sends no Strict-Transport-Security header`,
      );
      expect(result.message).not.toContain("/good");
    }
    expect(forward.measured).toBe(
      `/good ${GOOD}; /none no header; /Opcenter ${GOOD}`,
    );
  });

  it.each([
    ["/Opcenter", "pass", /HSTS is set for 365 days/],
    ["/first-valid-counts", "pass", /HSTS is set for 365 days/],
    ["/twice", "warn", /browsers ignore as invalid \(max-age is given twice\)/],
    ["/no-max-age", "warn", /invalid \(max-age is missing\)/],
    ["/zero", "warn", /max-age is 0 s \(0 days\), below 180 days/],
  ])("%s: %s", async (path, verdict, message) => {
    const result = await hsts([path]);
    expect(result.verdict).toBe(verdict);
    expect(result.message).toMatch(message);
  });
});

describe("large headers are read as HTTP, up to a bound", () => {
  const padded = (kib: number) => ({
    status: 200,
    body: "<h1>MES</h1>",
    headers: { "Set-Cookie": `session=${"x".repeat(kib * 1024)}` },
  });
  const routes = {
    "/20k": padded(20),
    "/64k": padded(64),
    "/300k": padded(300),
  };
  let plain: RunningWebServer;
  let tls: RunningWebServer;
  beforeAll(async () => {
    plain = await serve({ address: HOST, routes });
    tls = await serve({ address: HOST, tls: serverTls, routes });
  });
  const request = async (scheme: "http" | "https", path: string) =>
    probeWeb(
      {
        scheme,
        host: HOST,
        port: scheme === "http" ? plain.port : tls.port,
        serverName: HOST,
        paths: [path],
        followRedirects: scheme === "https",
        allowedHosts: [],
      },
      options(),
    );

  it.each(["/20k", "/64k"])(
    "%s: plain HTTP content fails as content, and HTTPS serves it",
    async (path) => {
      expect(
        judgePlainHttp("ENT-PER.http.plain", await request("http", path)),
      ).toMatchObject({
        verdict: "fail",
        message: expect.stringContaining(
          "serves content over plain HTTP (200)",
        ) as string,
      });
      expect(
        judgeHttpsPaths("IIS-BIND.vdir.https", await request("https", path), [])
          .verdict,
      ).toBe("pass");
    },
  );

  it("beyond the bound the verdict says the header is too large, never 'not HTTP'", async () => {
    const overPlain = judgePlainHttp(
      "ENT-PER.http.plain",
      await request("http", "/300k"),
    );
    expect(overPlain.verdict).toBe("fail");
    expect(overPlain.message).toContain("header larger than 256 KiB");
    expect(overPlain.message).not.toContain("not HTTP");
    const overTls = judgeHttpsPaths(
      "IIS-BIND.vdir.https",
      await request("https", "/300k"),
      [],
    );
    expect(overTls.verdict).toBe("fail");
    expect(overTls.message).toContain("header larger than 256 KiB");
  });
});

describe("probe http --servername", () => {
  it("passes a redirect to https on the server name it is given, and fails it by address alone", async () => {
    const server = await serve({
      address: HOST,
      routes: {},
      redirectAllTo: `https://${NAME}`,
    });
    const probe = async (extra: string[]) => {
      const io = captureIo();
      const code = await runCli(
        ["probe", "http", `${HOST}:${server.port}`, ...extra, "--json"],
        io,
      );
      return { code, report: JSON.parse(io.out.join("\n")) as ProbeReport };
    };
    const byAddress = await probe([]);
    expect(byAddress.code).toBe(1);
    expect(byAddress.report.checks[0]?.message).toContain(
      `redirects to another host (${NAME})`,
    );
    const named = await probe(["--servername", NAME]);
    expect(named.code).toBe(0);
    expect(named.report.checks[0]).toMatchObject({
      verdict: "pass",
      measured: "/ 301 → https",
    });
  });
});

describe("text from the network in the terminal", () => {
  it("prints a subject with bidi overrides and an escape sequence as visible escapes, in the table and in --json", async () => {
    // Meant to read "mes01-exe.pdf" on screen: the override reverses what follows it.
    const hostile = pki.issueLeaf({
      commonName: "mes01-\u202Efdp.exe\u202C\u001b[2J",
      dnsNames: [NAME],
      ipAddresses: [HOST],
    });
    const server = await serve({
      address: HOST,
      tls: {
        key: hostile.key.privateKeyPem,
        cert: pemBundle(pki.chainOf(hostile)),
        ciphers: MOZILLA_INTERMEDIATE_CIPHERS,
      },
      routes: site,
    });
    for (const json of [false, true]) {
      const io = captureIo();
      await runCli(
        [
          "probe",
          "tls",
          `${HOST}:${server.port}`,
          "--servername",
          NAME,
          ...(json ? ["--json"] : []),
        ],
        io,
      );
      const out = io.out.join("\n");
      expect(out).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
      expect(out.includes("\u001b")).toBe(false);
      expect(out).toContain("mes01-\\u202Efdp.exe\\u202C");
      if (json) {
        // The JSON stays JSON, and decodes to the subject as the server sent it.
        const report = JSON.parse(out) as ProbeReport & {
          evidence: { chain: { subject: string }[] };
        };
        expect(report.evidence.chain[0]?.subject).toContain(
          "mes01-\u202Efdp.exe\u202C",
        );
      }
    }
  });
});
