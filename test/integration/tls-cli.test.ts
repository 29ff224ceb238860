// `cellcert probe tls` end to end, in-process, against practice TLS servers on loopback: the table, the
// --json document, and the exit codes of DESIGN §2.
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeReport } from "../../electron/cli/probe-report";
import { runCli } from "../../electron/cli/program";
import {
  createCrl,
  createPracticePki,
  daysFrom,
} from "../../electron/demo/pki";
import {
  startTlsServer,
  type RunningServer,
} from "../../electron/demo/tls-servers";
import { TlsEvidence } from "../../shared/evidence/tls";
import { captureIo } from "../support/cli";

const NAME = "mes01.plant.local";
const dir = mkdtempSync(join(tmpdir(), "cellcert-probe-tls-"));
const pki = createPracticePki({ name: "CLI TLS" });
const other = createPracticePki({ name: "Other" });
const caFile = join(dir, "plant-ca.pem");
const otherCaFile = join(dir, "other-ca.pem");
const notPemFile = join(dir, "notes.txt");
writeFileSync(caFile, pki.root.pem);
writeFileSync(otherCaFile, other.root.pem);
writeFileSync(notPemFile, "not a certificate");

const revokedLeaf = pki.issueLeaf({
  commonName: NAME,
  ipAddresses: ["127.0.0.1", "::1"],
});
const crl = createCrl(pki.intermediate, {
  revoked: [
    {
      certificate: revokedLeaf,
      revokedAt: new Date(),
      reason: "keyCompromise",
    },
  ],
});
const crlDerFile = join(dir, "issuing.crl");
const crlPemFile = join(dir, "issuing-crl.pem");
writeFileSync(crlDerFile, crl.der);
writeFileSync(crlPemFile, crl.pem);

const running: RunningServer[] = [];
let good: RunningServer;
let revoked: RunningServer;
let expired: RunningServer;

beforeAll(async () => {
  good = await startTlsServer({
    chain: pki.chainOf(
      pki.issueLeaf({ commonName: NAME, ipAddresses: ["127.0.0.1", "::1"] }),
    ),
  });
  expired = await startTlsServer({
    chain: pki.chainOf(
      pki.issueLeaf({
        commonName: NAME,
        notBefore: daysFrom(new Date(), -400),
        notAfter: daysFrom(new Date(), -2),
      }),
    ),
  });
  revoked = await startTlsServer({ chain: pki.chainOf(revokedLeaf) });
  running.push(good, expired, revoked);
});

afterAll(async () => {
  await Promise.all(running.map((s) => s.close()));
});

async function cli(...argv: string[]) {
  const io = captureIo({ cwd: dir });
  const code = await runCli(["probe", "tls", ...argv], io);
  return { code, out: io.out.join("\n"), err: io.err.join("\n") };
}

describe("cellcert probe tls --crl", () => {
  it("fails cert.chain for a leaf the CRL revokes (DER or PEM), naming serial, date and reason", async () => {
    for (const file of [crlDerFile, crlPemFile]) {
      const { code, out } = await cli(
        `127.0.0.1:${revoked.port}`,
        "--servername",
        NAME,
        "--ca",
        caFile,
        "--crl",
        file,
        "--json",
      );
      expect(code).toBe(1);
      const report = JSON.parse(out) as ProbeReport;
      const chain = report.checks.find((c) => c.checkId === "cert.chain");
      expect(chain?.verdict).toBe("fail");
      expect(chain?.message).toMatch(
        /\(serial [0-9A-F]+\) was revoked on \d{4}-\d\d-\d\d \(reason: keyCompromise\)/,
      );
    }
    // The same CRL does not touch a server it does not list.
    const { code } = await cli(
      `127.0.0.1:${good.port}`,
      "--servername",
      NAME,
      "--ca",
      caFile,
      "--crl",
      crlPemFile,
    );
    expect(code).toBe(0);
  });

  it("refuses a file that is not a CRL with a sentence naming it, exit 2", async () => {
    const { code, err } = await cli(
      `127.0.0.1:${good.port}`,
      "--ca",
      caFile,
      "--crl",
      caFile,
    );
    expect(code).toBe(2);
    expect(err).toMatch(
      /--crl .*plant-ca\.pem: The CRL file plant-ca\.pem could not be read: it holds a certificate, not a CRL/,
    );
  });
});

describe("cellcert probe tls", () => {
  it("prints a readable table for a good server and exits 0", async () => {
    const { code, out } = await cli(
      `127.0.0.1:${good.port}`,
      "--servername",
      NAME,
      "--ca",
      caFile,
    );
    expect(code).toBe(0);
    for (const id of [
      "tls.protocol",
      "tls.suites",
      "cert.chain",
      "cert.name",
      "cert.validity",
      "cert.strength",
    ]) {
      expect(out).toMatch(new RegExp(`PASS\\s+${id.replace(".", "\\.")}`));
    }
    expect(out).toContain("Negotiated   TLSv1.3");
    expect(out).toMatch(/SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}/);
  });

  it("prints one cellcert.probe-report/1 document with --json, with profile-level ids and the TLS evidence", async () => {
    const { code, out } = await cli(
      `127.0.0.1:${good.port}`,
      "--servername",
      NAME,
      "--ca",
      otherCaFile,
      "--ca",
      caFile,
      "--json",
    );
    expect(code).toBe(0);
    const report = JSON.parse(out) as ProbeReport;
    expect(report).toMatchObject({
      schema: "cellcert.probe-report/1",
      command: "probe tls",
      target: `127.0.0.1:${good.port}`,
      unjudged: null,
    });
    expect(report.checks.map((c) => [c.checkId, c.verdict])).toEqual([
      ["tls.protocol", "pass"],
      ["tls.suites", "pass"],
      ["cert.chain", "pass"],
      ["cert.name", "pass"],
      ["cert.validity", "pass"],
      ["cert.strength", "pass"],
    ]);
    const evidence = TlsEvidence.parse(report.evidence);
    expect(evidence.schema).toBe("cellcert.tls-evidence/2");
    expect(evidence.chain).toHaveLength(2);
    expect(
      evidence.protocols.find((p) => p.protocol === "TLSv1.3")?.accepted,
    ).toBe(true);
  });

  it("exits 1 when a check fails, naming what to do", async () => {
    const { code, out } = await cli(
      `127.0.0.1:${expired.port}`,
      "--servername",
      NAME,
      "--ca",
      caFile,
    );
    expect(code).toBe(1);
    expect(out).toMatch(/FAIL\s+cert\.validity/);
    expect(out).toMatch(/expired on \d{4}-\d\d-\d\d \(2 days ago\)/);
  });

  it("leaves the chain not-tested without anchors, and still exits 0", async () => {
    const { code, out } = await cli(
      `127.0.0.1:${good.port}`,
      "--servername",
      NAME,
      "--json",
    );
    expect(code).toBe(0);
    const chain = (JSON.parse(out) as ProbeReport).checks.find(
      (c) => c.checkId === "cert.chain",
    );
    expect(chain).toMatchObject({
      verdict: "not-tested",
      reason: "no trust anchors",
    });
  });

  it("probes IPv6 in brackets, checking the IP address against the certificate", async (context) => {
    let v6;
    try {
      v6 = await startTlsServer({
        host: "::1",
        chain: pki.chainOf(
          pki.issueLeaf({ commonName: NAME, ipAddresses: ["::1"] }),
        ),
      });
    } catch (error) {
      context.skip(
        `IPv6 loopback ::1 is not available here (${String(error)})`,
      );
      return;
    }
    running.push(v6);
    const { code, out } = await cli(
      `[::1]:${v6.port}`,
      "--ca",
      caFile,
      "--json",
    );
    const report = JSON.parse(out) as ProbeReport;
    expect(report.target).toBe(`[::1]:${v6.port}`);
    expect(
      report.checks.find((c) => c.checkId === "cert.name")?.message,
    ).toMatch(/names ::1/);
    expect(code).toBe(0);
  });

  it("exits 2 with a sentence when nothing listens", async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, "127.0.0.1", () => {
        const address = probe.address();
        probe.close(() =>
          resolve(
            typeof address === "object" && address !== null ? address.port : 1,
          ),
        );
      });
    });
    const { code, out } = await cli(`127.0.0.1:${port}`);
    expect(code).toBe(2);
    expect(out).toMatch(
      /Nothing could be judged\. Nothing is listening on 127\.0\.0\.1:\d+: the connection was refused/,
    );
  });

  it("treats bad arguments and unreadable --ca files as usage errors: exit 2", async () => {
    for (const argv of [
      ["mes01.plant.local"],
      ["127.0.0.1:99999"],
      ["::1:443"],
      ["[::1]"],
      [],
      [`127.0.0.1:${good.port}`, "--bogus"],
    ]) {
      expect((await cli(...argv)).code, argv.join(" ")).toBe(2);
    }
    const missing = await cli(
      `127.0.0.1:${good.port}`,
      "--ca",
      join(dir, "nowhere.pem"),
    );
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/cannot be read/);
    const notPem = await cli(`127.0.0.1:${good.port}`, "--ca", notPemFile);
    expect(notPem.code).toBe(2);
    expect(notPem.err).toMatch(
      /no -----BEGIN CERTIFICATE----- block in it, and it is not a DER certificate either; give the CA certificate, in PEM or DER/,
    );
  });
});
