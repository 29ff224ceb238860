// The client-certificate, HTTPS, plain-HTTP and TCP probes against real servers on 127.0.0.1, each server
// with one known behaviour, and the verdict each check must give.
import { parseCertificate } from "../../electron/engine/x509";
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createPracticePki,
  issueCertificate,
  pemBundle,
  type PracticeCertificate,
} from "../../electron/demo/pki";
import {
  startWebServer,
  type ClientCertificateMode,
  type RunningWebServer,
  type WebServerOptions,
} from "../../electron/demo/web-servers";
import { HostLimiter } from "../../electron/engine/net";
import { probeWeb } from "../../electron/engine/protocols/http/probe";
import { probeMtls } from "../../electron/engine/protocols/http/mtls";
import { judgeTcpChecks } from "../../electron/engine/families/tcp";
import { probePorts } from "../../electron/engine/protocols/tcp/ports";
import {
  judgeHsts,
  judgeHttpsPaths,
  judgePlainHttp,
} from "../../electron/engine/rules/http";
import { judgeMtls } from "../../electron/engine/rules/mtls";
import { TEMPLATE } from "../support/plan-arbitrary";
import { startFilteredPort, type FilteredPort } from "../support/filtered-port";

const HOST = "127.0.0.1";
const pki = createPracticePki({ name: "Web Probe Test" });
const leaf = pki.issueLeaf({
  commonName: "127.0.0.1",
  ipAddresses: ["127.0.0.1"],
  dnsNames: ["localhost"],
});
const serverTls = {
  key: leaf.key.privateKeyPem,
  cert: pemBundle(pki.chainOf(leaf)),
};
const clientCa = createPracticePki({ name: "Plant Client" });
const clientLeaf = issueCertificate(clientCa.intermediate, {
  commonName: "perimeter-proxy",
  extendedKeyUsage: ["clientAuth"],
});
const otherCa = createPracticePki({ name: "Other Client" });
const otherLeaf = issueCertificate(otherCa.intermediate, {
  commonName: "stranger",
  extendedKeyUsage: ["clientAuth"],
});

const identityOf = (cert: PracticeCertificate, ca: typeof clientCa) => ({
  certificate: {
    key: cert.key.privateKeyPem,
    certificatePems: [cert.pem, ca.intermediate.pem],
  },
  subject: `CN=${cert.commonName}`,
  extendedKeyUsage: parseCertificate(cert.der).extendedKeyUsage,
});
const identity = identityOf(clientLeaf, clientCa);
const limiter = () => new HostLimiter();
const options = () => ({ limiter: limiter(), timeoutMs: 3000 });
const servers: RunningWebServer[] = [];
async function serve(server: WebServerOptions): Promise<RunningWebServer> {
  const running = await startWebServer(server);
  servers.push(running);
  return running;
}
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

const site = { "/": { status: 200, body: "<h1>MES</h1>" } };
const mtlsServer = (mode: ClientCertificateMode) =>
  serve({
    address: HOST,
    tls: {
      ...serverTls,
      clientCertificates: {
        mode,
        ca: [clientCa.root.pem, clientCa.intermediate.pem],
      },
    },
    routes: site,
  });

async function mtlsVerdicts(
  port: number,
  who = identity as Parameters<typeof probeMtls>[0]["identity"],
) {
  const evidence = await probeMtls(
    { host: HOST, port, serverName: "127.0.0.1", path: "/", identity: who },
    options(),
  );
  const outcomes = judgeMtls(
    [
      "PER-MES.mtls.anonymous-refused",
      "PER-MES.mtls.untrusted-refused",
      "PER-MES.mtls.identity-accepted",
    ],
    evidence,
  );
  return { evidence, outcomes, verdicts: outcomes.map((o) => o.verdict) };
}

describe("client certificates (PER-MES.mtls.*)", () => {
  it("required at the TLS layer: refused at the TLS 1.2 handshake and on the TLS 1.3 first read; the identity is served", async () => {
    const server = await mtlsServer("required");
    const { evidence, outcomes, verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["pass", "pass", "pass"]);
    const anonymous = evidence.attempts.filter((a) => a.client === "anonymous");
    expect(anonymous.map((a) => [a.version, a.result, a.refusedAt])).toEqual([
      ["TLSv1.2", "refused", "handshake"],
      ["TLSv1.3", "refused", "first-read"],
    ]);
    expect(anonymous[1]?.alert).toBe("certificate_required (116)");
    expect(anonymous[0]?.certificateRequested).toBe(true);
    expect(outcomes[0]?.measured).toContain(
      "TLS 1.3: refused on the first read (certificate_required (116))",
    );
  });

  it("requested but not required: anonymous clients are served, and the probe says the server only asks", async () => {
    const server = await mtlsServer("requested");
    const { outcomes, verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["fail", "fail", "pass"]);
    expect(outcomes[0]?.message).toContain(
      "serves clients without a certificate over TLS 1.2 and TLS 1.3",
    );
    expect(outcomes[0]?.message).toContain(
      "asks for a client certificate but does not require one",
    );
  });

  it("refused at the HTTP layer as IIS and nginx do (403 anonymous, 400 untrusted): enforcement proven", async () => {
    const server = await mtlsServer("http-refusal");
    const { evidence, verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["pass", "pass", "pass"]);
    const refusals = evidence.attempts
      .filter((a) => a.client !== "identity")
      .map((a) => [a.client, a.refusedAt, a.httpStatus]);
    expect(refusals).toEqual([
      ["anonymous", "http", 403],
      ["untrusted", "http", 400],
      ["anonymous", "http", 403],
      ["untrusted", "http", 400],
    ]);
  });

  it("any certificate accepted: the throwaway certificate from an unknown CA is served", async () => {
    const server = await mtlsServer("any");
    const { outcomes, verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["pass", "fail", "pass"]);
    expect(outcomes[1]?.message).toContain("accepts any certificate");
  });

  it("optional client certificates (nginx `optional`): only the anonymous check fails, one fault one failure", async () => {
    const server = await mtlsServer("optional");
    const { verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["fail", "pass", "pass"]);
  });

  it("the identity refused too: nothing is proven, all three not-tested with that reason", async () => {
    const server = await mtlsServer("required");
    const { outcomes } = await mtlsVerdicts(
      server.port,
      identityOf(otherLeaf, otherCa),
    );
    expect(outcomes.map((o) => [o.verdict, o.reason])).toEqual([
      ["not-tested", "identity refused"],
      ["not-tested", "identity refused"],
      ["not-tested", "identity refused"],
    ]);
    expect(outcomes[2]?.message).toContain(
      "check it is the identity this server trusts",
    );
  });

  it("no identity in the plan: refusals are not proof, but a served anonymous client still fails", async () => {
    const enforced = await mtlsServer("required");
    const none = {
      problem: '"MES gateway" has no client identity in the plan.',
    };
    expect(
      (await mtlsVerdicts(enforced.port, none)).outcomes.map((o) => o.reason),
    ).toEqual([
      "no client identity",
      "no client identity",
      "no client identity",
    ]);
    const open = await mtlsServer("requested");
    expect((await mtlsVerdicts(open.port, none)).verdicts[0]).toBe("fail");
  });

  it("a TLS 1.2-only server: TLS 1.3 is noted as not offered and judged on TLS 1.2", async () => {
    const server = await serve({
      address: HOST,
      tls: {
        ...serverTls,
        maxVersion: "TLSv1.2",
        clientCertificates: {
          mode: "required",
          ca: [clientCa.root.pem, clientCa.intermediate.pem],
        },
      },
      routes: site,
    });
    const { outcomes, verdicts } = await mtlsVerdicts(server.port);
    expect(verdicts).toEqual(["pass", "pass", "pass"]);
    expect(outcomes[0]?.measured).toBe(
      "TLS 1.2: refused at the handshake (handshake_failure (40))",
    );
  });

  it("nothing listening: not-tested as unreachable", async () => {
    const { outcomes } = await mtlsVerdicts(await freePort());
    expect(outcomes.map((o) => o.reason)).toEqual([
      "unreachable",
      "unreachable",
      "unreachable",
    ]);
  });
});

const vdirs = {
  "/": { status: 200, body: "ok" },
  "/Opcenter": { status: 302, location: "/Opcenter/" },
  "/Opcenter/": { status: 200, body: "app" },
  "/api": { status: 401 },
  "/admin": { status: 403 },
  "/broken": { status: 500 },
  "/away": { status: 302, location: "https://localhost:1/elsewhere" },
  "/plain": { status: 302, location: "http://127.0.0.1/" },
  "/loop": { status: 302, location: "/loop" },
  "/huge": {
    status: 200,
    headers: { "X-Padding": "x".repeat(10 * 1024 * 1024) },
  },
};

async function https(
  paths: string[],
  extra: Partial<WebServerOptions> = {},
  allowedHosts: string[] = [],
) {
  const server = await serve({
    address: HOST,
    tls: serverTls,
    routes: vdirs,
    ...extra,
  });
  const evidence = await probeWeb(
    {
      scheme: "https",
      host: HOST,
      port: server.port,
      serverName: "127.0.0.1",
      paths,
      followRedirects: true,
      allowedHosts,
    },
    options(),
  );
  return {
    evidence,
    vdir: judgeHttpsPaths("IIS-BIND.vdir.https", evidence, allowedHosts),
    hsts: judgeHsts("ENT-PER.http.hsts", evidence),
  };
}

describe("paths over HTTPS (IIS-BIND.vdir.https) and HSTS", () => {
  it("passes 2xx, same-host redirects, 401 and 403", async () => {
    const { vdir, evidence } = await https([
      "/",
      "/Opcenter",
      "/api",
      "/admin",
    ]);
    expect(vdir.verdict).toBe("pass");
    expect(evidence.paths[1]?.hops.map((h) => h.status)).toEqual([302, 200]);
    expect(vdir.measured).toBe(
      "/ 200; /Opcenter 302 → 200; /api 401; /admin 403",
    );
  });

  it.each([
    ["/missing", /answers 404: the virtual directory is missing/],
    ["/broken", /answers 500: the application behind it fails/],
    ["/away", /redirects to another host, localhost/],
    ["/plain", /redirects to plain HTTP/],
    ["/loop", /redirects more than 5 times/],
    ["/huge", /answered 200 with a header larger than 256 KiB/],
  ])("fails %s", async (path, message) => {
    const { vdir, evidence } = await https([path]);
    expect(vdir.verdict).toBe("fail");
    expect(vdir.message).toMatch(message);
    // The sentence names the address as requested, port included.
    expect(vdir.message).toMatch(
      new RegExp(`^https://127\\.0\\.0\\.1:${evidence.port}${path}[: ]`),
    );
    expect(evidence.paths[0]!.hops.length).toBeLessThanOrEqual(6);
  });

  it("follows a redirect to another host when the policy allows it", async () => {
    const server = await serve({
      address: HOST,
      tls: serverTls,
      routes: { "/": { status: 200 } },
    });
    const routes = {
      "/go": { status: 302, location: `https://localhost:${server.port}/` },
    };
    const { vdir } = await https(["/go"], { routes }, ["localhost"]);
    expect(vdir.verdict).toBe("pass");
  });

  it("does not follow a redirect to another port on the same host, and warns", async () => {
    const other = await serve({
      address: HOST,
      tls: serverTls,
      routes: { "/": { status: 200 } },
    });
    const routes = {
      "/go": { status: 302, location: `https://127.0.0.1:${other.port}/` },
    };
    const { vdir, evidence } = await https(["/go"], { routes });
    expect(evidence.paths[0]?.hops.map((h) => h.status)).toEqual([302]);
    expect(vdir.verdict).toBe("warn");
    expect(vdir.message).toContain(
      `redirects to port ${other.port} on the same host`,
    );
  });

  it("judges HSTS: present and long enough passes, absent or short warns", async () => {
    expect(
      (await https(["/"], { hsts: "max-age=31536000; includeSubDomains" }))
        .hsts,
    ).toMatchObject({
      verdict: "pass",
      headroom: "185 days above the minimum",
    });
    expect((await https(["/"])).hsts).toMatchObject({
      verdict: "warn",
      measured: "no header",
    });
    expect(
      (await https(["/"], { hsts: "max-age=86400" })).hsts.message,
    ).toMatch(/max-age is 86400 s \(1 days\), below 180 days/);
  });
});

async function plain(
  routes: WebServerOptions["routes"],
  extra: Partial<WebServerOptions> = {},
) {
  const server = await serve({ address: HOST, routes, ...extra });
  return judgePlainHttp(
    "ENT-PER.http.plain",
    await probeWeb(
      {
        scheme: "http",
        host: HOST,
        port: server.port,
        serverName: "127.0.0.1",
        paths: ["/"],
        followRedirects: false,
        allowedHosts: [],
      },
      options(),
    ),
  );
}

describe("plain HTTP (ENT-PER.http.plain, IIS-BIND.vdir.plain)", () => {
  it("passes a redirect to https on the same host", async () => {
    expect(
      (await plain({}, { redirectAllTo: "https://127.0.0.1" })).verdict,
    ).toBe("pass");
  });

  it("fails content served, a redirect elsewhere, and a login over plain HTTP; warns on a bare refusal", async () => {
    expect(
      (await plain({ "/": { status: 200, body: "<h1>MES</h1>" } })).message,
    ).toMatch(/serves content over plain HTTP \(200\)/);
    expect(
      (await plain({}, { redirectAllTo: "https://portal.example" })).verdict,
    ).toBe("fail");
    expect(
      (await plain({}, { redirectAllTo: "http://127.0.0.1:8080" })).verdict,
    ).toBe("fail");
    expect((await plain({ "/": { status: 401 } })).message).toMatch(
      /asks for credentials over plain HTTP/,
    );
    expect((await plain({ "/": { status: 403 } })).verdict).toBe("warn");
  });

  it("passes a closed port and a filtered one", async () => {
    const port = await freePort();
    const closed = await probeWeb(
      {
        scheme: "http",
        host: HOST,
        port,
        serverName: HOST,
        paths: ["/"],
        followRedirects: false,
        allowedHosts: [],
      },
      options(),
    );
    expect(judgePlainHttp("ENT-PER.http.plain", closed)).toMatchObject({
      verdict: "pass",
      measured: "/ refused",
    });
    const filtered = await startFilteredPort();
    try {
      const evidence = await probeWeb(
        {
          scheme: "http",
          host: HOST,
          port: filtered.port,
          serverName: HOST,
          paths: ["/"],
          followRedirects: false,
          allowedHosts: [],
        },
        { limiter: limiter(), timeoutMs: 700 },
      );
      expect(judgePlainHttp("ENT-PER.http.plain", evidence)).toMatchObject({
        verdict: "pass",
        measured: "/ filtered",
      });
    } finally {
      await filtered.stop();
    }
  });
});

describe("TCP: segmentation and the remote firewall", () => {
  let open: Server;
  let openPort = 0;
  let filtered: FilteredPort;
  beforeAll(async () => {
    open = createServer((socket) => socket.on("error", () => undefined));
    await new Promise<void>((resolve) => open.listen(0, HOST, resolve));
    openPort = (open.address() as { port: number }).port;
    filtered = await startFilteredPort();
  });
  afterAll(async () => {
    await new Promise((resolve) => open.close(resolve));
    await filtered.stop();
  });

  const endpoint = (ports: {
    port?: number;
    allowed?: number[];
    denied?: number[];
  }) => ({
    ...TEMPLATE.endpoints.find((e) => e.id === "remote-firewall")!,
    host: HOST,
    port: ports.port ?? ports.allowed?.[0] ?? 1,
    allowedPorts: ports.allowed ?? [],
    deniedPorts: ports.denied ?? [],
  });

  it("judges allowed and denied ports, and the VPN proof", async () => {
    const closedPort = await freePort();
    const target = endpoint({
      allowed: [openPort],
      denied: [closedPort, filtered.port],
    });
    const evidence = await probePorts(
      HOST,
      [openPort, closedPort, filtered.port],
      { limiter: limiter(), timeoutMs: 700 },
    );
    expect(evidence.ports.map((p) => p.state)).toEqual([
      "open",
      "refused",
      "filtered",
    ]);
    const outcomes = judgeTcpChecks(
      ["REMOTE.firewall.allowed", "REMOTE.firewall.denied", "REMOTE.vpn"],
      target,
      evidence,
    );
    expect(outcomes.map((o) => o.verdict)).toEqual(["pass", "pass", "fail"]);
    expect(outcomes[2]?.message).toContain(
      "reachable from the remote site without the VPN",
    );
  });

  it("fails segmentation when an inner cell's port answers, and passes when the firewall refuses", async () => {
    const reachable = await probePorts(HOST, [openPort], {
      limiter: limiter(),
      timeoutMs: 700,
    });
    const [segmented] = judgeTcpChecks(
      ["ENT-PER.segmentation"],
      endpoint({ port: openPort }),
      reachable,
    );
    expect(segmented?.verdict).toBe("fail");
    const firewall = await serve({
      address: HOST,
      routes: {},
      allowSource: () => false,
    });
    const blocked = await probePorts(HOST, [firewall.port], {
      limiter: limiter(),
      timeoutMs: 700,
    });
    expect(blocked.ports[0]?.state).toBe("reset");
    expect(
      judgeTcpChecks(
        ["ENT-PER.segmentation"],
        endpoint({ port: firewall.port }),
        blocked,
      )[0]?.verdict,
    ).toBe("pass");
  });

  it("never holds more than the limit of connections to one host", async () => {
    const held = new HostLimiter({ maxConnectionsPerHost: 1 });
    let peak = 0;
    let now = 0;
    const counting = createServer((socket) => {
      now += 1;
      peak = Math.max(peak, now);
      socket.on("close", () => (now -= 1));
    });
    await new Promise<void>((resolve) => counting.listen(0, HOST, resolve));
    const port = (counting.address() as { port: number }).port;
    await probePorts(HOST, [port, port, port, port], {
      limiter: held,
      timeoutMs: 700,
    });
    counting.close();
    expect(peak).toBe(1);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, HOST, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
