// The web and TCP probe commands end to end, in-process, against loopback servers: output and exit codes.
import { writeFileSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../electron/cli/program";
import type { ProbeReport } from "../../electron/cli/probe-report";
import {
  createPracticePki,
  issueCertificate,
  pemBundle,
} from "../../electron/demo/pki";
import {
  startWebServer,
  type RunningWebServer,
} from "../../electron/demo/web-servers";
import { writePkcs12 } from "../../electron/engine/identity";
import { captureIo } from "../support/cli";

const HOST = "127.0.0.1";
const dir = mkdtempSync(join(tmpdir(), "cellcert-probe-cli-"));
const pki = createPracticePki({ name: "CLI Probe" });
const leaf = pki.issueLeaf({
  commonName: "127.0.0.1",
  ipAddresses: ["127.0.0.1"],
});
const caFile = join(dir, "plant-ca.pem");
writeFileSync(caFile, pki.root.pem);
const clients = createPracticePki({ name: "CLI Clients" });
const client = issueCertificate(clients.intermediate, {
  commonName: "perimeter-proxy",
  extendedKeyUsage: ["clientAuth"],
});
const p12 = join(dir, "perimeter.p12");
writeFileSync(
  p12,
  writePkcs12(
    {
      privateKey: client.key.privateKey,
      certificatePem: client.pem,
      chainPems: [clients.intermediate.pem],
    },
    "Practice-Passphrase-1",
  ),
);
const env = { P12_PASS: "Practice-Passphrase-1" };

const servers: RunningWebServer[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));
async function server(options: Parameters<typeof startWebServer>[0]) {
  const started = await startWebServer(options);
  servers.push(started);
  return started;
}
// Mozilla "intermediate": forward secrecy and AEAD only, so the server profile passes.
const tls = {
  key: leaf.key.privateKeyPem,
  cert: pemBundle(pki.chainOf(leaf)),
  ciphers:
    "ECDHE-RSA-AES128-GCM-SHA256:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-RSA-CHACHA20-POLY1305",
};

async function cli(args: string[]) {
  const io = captureIo({ env });
  const code = await runCli(args, io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("cellcert probe mtls / https / http / tcp / firewall", () => {
  it("probe mtls: the server profile and enforcement proven, exit 0; --json is the probe report", async () => {
    const mes = await server({
      address: HOST,
      tls: {
        ...tls,
        clientCertificates: {
          mode: "required",
          ca: [clients.root.pem, clients.intermediate.pem],
        },
      },
      routes: { "/": { status: 200 } },
    });
    const { code, out } = await cli([
      "probe",
      "mtls",
      `${HOST}:${mes.port}`,
      "--client-p12",
      p12,
      "--passphrase-env",
      "P12_PASS",
      "--ca",
      caFile,
      "--json",
    ]);
    const report = JSON.parse(out) as ProbeReport;
    expect(report.checks.map((c) => [c.checkId, c.verdict])).toEqual([
      ["tls.protocol", "pass"],
      ["tls.suites", "pass"],
      ["cert.chain", "pass"],
      ["cert.name", "pass"],
      ["cert.validity", "pass"],
      ["cert.strength", "pass"],
      ["mtls.anonymous-refused", "pass"],
      ["mtls.untrusted-refused", "pass"],
      ["mtls.identity-accepted", "pass"],
    ]);
    expect(code).toBe(0);
  });

  it("probe mtls: a server that only requests certificates fails, exit 1, in a readable table", async () => {
    const mes = await server({
      address: HOST,
      tls: {
        ...tls,
        clientCertificates: { mode: "requested", ca: [clients.root.pem] },
      },
      routes: { "/": { status: 200 } },
    });
    const { code, out } = await cli([
      "probe",
      "mtls",
      `${HOST}:${mes.port}`,
      "--client-p12",
      p12,
      "--passphrase-env",
      "P12_PASS",
      "--ca",
      caFile,
    ]);
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL\s+mtls\.anonymous-refused/);
    expect(out).toContain(
      "asks for a client certificate but does not require one",
    );
  });

  it("probe mtls: a wrong passphrase is a clear error, exit 2", async () => {
    const io = captureIo({ env: { P12_PASS: "wrong" } });
    expect(
      await runCli(
        [
          "probe",
          "mtls",
          `${HOST}:1`,
          "--client-p12",
          p12,
          "--passphrase-env",
          "P12_PASS",
        ],
        io,
      ),
    ).toBe(2);
    expect(io.err.join("\n")).toContain(
      "The passphrase does not open perimeter.p12.",
    );
  });

  it.each(["mtls", "https"])(
    "probe %s: a missing --client-p12 file is a sentence, exit 2, before any connection",
    async (command) => {
      let connections = 0;
      const listener = createServer((socket) => {
        connections++;
        socket.destroy();
      });
      await new Promise<void>((done) => listener.listen(0, HOST, done));
      const address = listener.address();
      const port = typeof address === "object" && address ? address.port : 0;
      try {
        const result = await cli([
          "probe",
          command,
          `${HOST}:${port}`,
          "--client-p12",
          "gone.p12",
          "--passphrase-env",
          "P12_PASS",
        ]);
        expect(result.code).toBe(2);
        expect(result.err).toMatch(
          /^--client-p12 gone\.p12: .*gone\.p12 cannot be read \(ENOENT\); give the path of the client identity's \.p12 file\.$/,
        );
        expect(result.err).not.toContain("    at ");
        expect(connections).toBe(0);
      } finally {
        await new Promise((done) => listener.close(done));
      }
    },
  );

  it("probe https: paths and HSTS; a missing virtual directory fails", async () => {
    const site = await server({
      address: HOST,
      tls,
      hsts: "max-age=31536000",
      routes: { "/": { status: 200 }, "/Opcenter": { status: 200 } },
    });
    const good = await cli([
      "probe",
      "https",
      `${HOST}:${site.port}`,
      "--path",
      "/",
      "--path",
      "/Opcenter",
      "--ca",
      caFile,
    ]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/PASS\s+vdir\.https/);
    const missing = await cli([
      "probe",
      "https",
      `${HOST}:${site.port}`,
      "--path",
      "/Missing",
      "--ca",
      caFile,
    ]);
    expect(missing.code).toBe(1);
    expect(missing.out).toContain("answers 404");
  });

  it("probe https and mtls on a port that does not speak TLS: the profile judged it, so something was judged", async () => {
    const plain = await server({
      address: HOST,
      routes: { "/": { status: 200 } },
    });
    const identity = ["--client-p12", p12, "--passphrase-env", "P12_PASS"];
    for (const command of ["https", "mtls"]) {
      const result = await cli([
        "probe",
        command,
        `${HOST}:${plain.port}`,
        ...(command === "mtls" ? identity : []),
        "--ca",
        caFile,
        "--json",
      ]);
      const report = JSON.parse(result.out) as ProbeReport;
      expect(
        [result.code, report.unjudged, report.checks[0]?.verdict],
        command,
      ).toEqual([1, null, "fail"]);
      // One fault, one failing check: the paths and the client-certificate checks build on TLS being there.
      const beyond = report.checks.filter(
        (c) => c.checkId.startsWith("vdir.") || c.checkId.startsWith("mtls."),
      );
      expect(beyond.length, command).toBeGreaterThan(0);
      for (const check of beyond)
        expect(
          [check.verdict, check.reason, check.message],
          check.checkId,
        ).toEqual([
          "not-tested",
          "prerequisite failed",
          "Not judged: tls.protocol failed on this endpoint, and this check builds on it.",
        ]);
    }
  });

  it("probe http: closed passes (exit 0), content fails (exit 1), an unresolvable name is unjudged (exit 2)", async () => {
    const closed = await freePort();
    expect((await cli(["probe", "http", `${HOST}:${closed}`])).code).toBe(0);
    const content = await server({
      address: HOST,
      routes: { "/": { status: 200, body: "hello" } },
    });
    expect((await cli(["probe", "http", `${HOST}:${content.port}`])).code).toBe(
      1,
    );
    const unknown = await cli(["probe", "http", "nowhere.plant.invalid:80"]);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain("Nothing could be judged");
  });

  it("probe tcp and firewall: closed is a measurement where closed is wanted", async () => {
    const closed = await freePort();
    const open = await server({ address: HOST, routes: {} });
    expect(
      (await cli(["probe", "tcp", `${HOST}:${closed}`, "--expect", "closed"]))
        .code,
    ).toBe(0);
    expect((await cli(["probe", "tcp", `${HOST}:${closed}`])).code).toBe(1);
    expect((await cli(["probe", "tcp", `${HOST}:${open.port}`])).code).toBe(0);
    const firewall = await cli([
      "probe",
      "firewall",
      HOST,
      "--allow",
      String(open.port),
      "--deny",
      String(closed),
      "--json",
    ]);
    expect(firewall.code).toBe(0);
    expect(
      (JSON.parse(firewall.out) as ProbeReport).checks.map((c) => c.verdict),
    ).toEqual(["pass", "pass"]);
    // A one-off probe stands on this laptop, not at the remote site the plan's firewall checks assume.
    for (const check of (JSON.parse(firewall.out) as ProbeReport).checks) {
      expect(check.message).toContain("this laptop");
      expect(check.message).not.toContain("remote site");
    }
    expect((await cli(["probe", "firewall", HOST])).code).toBe(2);
    // A port both allowed and denied is a contradiction, said before anything is sent (as a plan would say it).
    const both = await cli([
      "probe",
      "firewall",
      HOST,
      "--allow",
      String(open.port),
      "--deny",
      String(open.port),
    ]);
    expect([both.code, both.out, both.err]).toEqual([
      2,
      "",
      `Port ${open.port} is given with both --allow and --deny: a port is either allowed or denied; give it once.`,
    ]);
    expect((await cli(["probe", "tcp", "[::1]:99999"])).code).toBe(2);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, HOST, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
