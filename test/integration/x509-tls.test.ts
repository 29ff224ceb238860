// A lean set of the chain table's rows over real TLS on loopback: a Node TLS server sends each row's chain exactly
// as listed (order, duplicates, extras) and staples the row's OCSP response; the TLS probe must record what was
// sent, byte for byte, and cert.chain must reach the row's verdict and path. Several rows are held against
// openssl s_client -verify_return_error as well, a client Cellcert did not write.
import { spawn } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createServer, type Server, type TlsOptions } from "node:tls";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pemBundle } from "../../electron/demo/pki";
import { HostLimiter } from "../../electron/engine/net";
import { judgeTlsProfileWithPath } from "../../electron/engine/rules/tls-profile";
import { probeTls } from "../../electron/engine/protocols/tls";
import { commonName } from "../../shared/evidence/distinguished-name";
import { requireTools } from "../support/certificate-tools";
import { chainTable, type ChainRow } from "../support/x509-chains";

const now = new Date();
const rows = chainTable(now).filter((row) => row.tls === true);
const servers: Server[] = [];
let dir = "";

async function serve(
  row: ChainRow,
  extra: Partial<TlsOptions> = {},
): Promise<number> {
  const leaf = row.sent[0];
  if (leaf === undefined) throw new Error("a TLS row needs a leaf");
  const server = createServer({
    key: leaf.key.privateKeyPem,
    cert: pemBundle(row.sent),
    ciphers: "DEFAULT:@SECLEVEL=0",
    ...extra,
  });
  server.on("secureConnection", (socket) =>
    socket.end("HTTP/1.1 200 OK\r\n\r\n"),
  );
  server.on("tlsClientError", () => undefined);
  if (row.ocsp !== undefined) {
    const staple = row.ocsp;
    server.on(
      "OCSPRequest",
      (
        _certificate,
        _issuer,
        callback: (error: Error | null, response: Buffer) => void,
      ) => callback(null, staple),
    );
  }
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string")
    throw new Error("no port");
  return address.port;
}

async function probeRow(row: ChainRow, port: number) {
  const serverName = row.serverName ?? "mes01.plant.local";
  const evidence = await probeTls(
    { host: "127.0.0.1", port, serverName },
    {
      endpointKind: "tls",
      policy: { timeoutMs: 3000, maxConnectionsPerHost: 2, maxConnections: 16 },
      limiter: new HostLimiter(),
      protocols: ["TLSv1.2", "TLSv1.3"],
    },
  );
  const judged = await judgeTlsProfileWithPath("PER-MES", evidence, {
    anchorsPem: row.anchors.map((c) => c.pem),
    crls: row.crls ?? [],
    publicRoots: false,
    policy: { requireRevocation: row.requireRevocation ?? false },
    serverName,
    now,
  });
  return { evidence, judged };
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cellcert-x509-"));
});

afterAll(async () => {
  await Promise.all(
    servers.map(
      (s) => new Promise<void>((resolve) => s.close(() => resolve())),
    ),
  );
  rmSync(dir, { recursive: true, force: true });
});

describe("the chain table over TLS on loopback", () => {
  it.each(rows.map((row) => [row.name, row] as const))(
    "%s",
    async (_name, row) => {
      const port = await serve(row);
      const { evidence, judged } = await probeRow(row, port);
      // Exactly what was sent, in its order, duplicates and extras included.
      expect(evidence.chainSource).toBe("handshake");
      expect(evidence.chain.map((c) => c.fingerprintSha256)).toEqual(
        row.sent.map((c) => c.der).map((der) => fingerprint(der)),
      );
      if (row.ocsp !== undefined)
        expect(evidence.ocspStaple).toBe(row.ocsp.toString("base64"));
      else expect(evidence.ocspStaple ?? null).toBeNull();
      const path = judged.path;
      expect(path?.status).toBe(row.expect.status);
      if (row.expect.path !== undefined)
        expect(path?.certificates.map((l) => commonName(l.subject))).toEqual(
          row.expect.path,
        );
      if (row.expect.problem !== undefined)
        expect(path?.problem).toMatch(row.expect.problem);
      const chain = judged.outcomes.find(
        (o) => o.checkId === "PER-MES.cert.chain",
      );
      expect(chain?.verdict).toBe(
        row.expect.status === "valid" ? "pass" : "fail",
      );
      if (row.expect.extras !== undefined && row.expect.extras.length > 0)
        expect(chain?.message).toMatch(/harmless, but/);
    },
  );

  it("records the chain exactly as sent over TLS 1.2 too, from the handshake's clear records", async () => {
    const row = rows.find(
      (r) => r.name === "a duplicate intermediate is noted",
    );
    if (row === undefined) throw new Error("row missing");
    const port = await serve(row, { maxVersion: "TLSv1.2" });
    const { evidence } = await probeRow(row, port);
    expect(evidence.handshake?.protocol).toBe("TLSv1.2");
    expect(evidence.chainSource).toBe("handshake");
    expect(evidence.chain.map((c) => c.fingerprintSha256)).toEqual(
      row.sent.map((c) => fingerprint(c.der)),
    );
  });

  it("reads a staple over TLS 1.2 as well", async () => {
    const row = rows.find((r) => r.name === "a stapled OCSP response: revoked");
    if (row?.ocsp === undefined) throw new Error("row missing");
    const port = await serve(row, { maxVersion: "TLSv1.2" });
    const { evidence, judged } = await probeRow(row, port);
    expect(evidence.ocspStaple).toBe(row.ocsp.toString("base64"));
    expect(judged.path?.status).toBe("revoked");
  });
});

describe("what was sent, as a property over TLS", () => {
  it("records any shuffle of intermediates, extras and duplicates exactly as the server sent it", async () => {
    const base = rows.find(
      (r) => r.name === "leaf → intermediate → the plan's root",
    );
    if (base === undefined) throw new Error("row missing");
    const pool = [...new Set(rows.flatMap((r) => r.sent.slice(1)))];
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray(pool, { maxLength: 4 }),
        fc.boolean(),
        async (extras, tls12) => {
          const sent = [base.sent[0]!, ...extras, ...base.sent.slice(1)];
          const row = { ...base, sent };
          const port = await serve(row, tls12 ? { maxVersion: "TLSv1.2" } : {});
          const { evidence, judged } = await probeRow(row, port);
          expect(evidence.chain.map((c) => c.fingerprintSha256)).toEqual(
            sent.map((c) => fingerprint(c.der)),
          );
          expect(judged.path?.status).toBe("valid");
        },
      ),
      { numRuns: process.env.CELLCERT_THOROUGH === "1" ? 40 : 4 },
    );
  });
});

describe("the same rows against openssl s_client", () => {
  beforeAll(() => requireTools("openssl"));

  const agreeing = [
    "leaf → intermediate → the plan's root",
    "an extra certificate not on the path is noted, harmless",
    "a server certificate signed with a device certificate's key (CA:FALSE)",
    "pathLenConstraint 0 with one more CA below",
    "a DNS name outside the permitted subtree",
    "a leaf for clients only (ADCS Workstation Authentication)",
    "a leaf revoked by the plan's CRL",
    "RSA-PSS keys and signatures",
    "ECDSA P-384",
    "Ed25519 (TLS 1.3)",
  ];

  it.each(agreeing)("%s", async (name) => {
    const row = rows.find((r) => r.name === name);
    if (row === undefined) throw new Error(`row missing: ${name}`);
    const port = await serve(row);
    const caFile = join(dir, `${port}-ca.pem`);
    writeFileSync(caFile, pemBundle(row.anchors));
    const args = [
      "s_client",
      "-connect",
      `127.0.0.1:${port}`,
      "-servername",
      row.serverName ?? "mes01.plant.local",
      "-CAfile",
      caFile,
      "-verify_return_error",
      "-purpose",
      "sslserver",
      "-brief",
    ];
    if (row.crls !== undefined && row.crls.length > 0) {
      const crlFile = join(dir, `${port}-crl.pem`);
      writeFileSync(
        crlFile,
        row.crls
          .map(
            (der) =>
              `-----BEGIN X509 CRL-----\n${der.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END X509 CRL-----\n`,
          )
          .join(""),
      );
      args.push("-crl_check", "-CRLfile", crlFile);
    }
    // Asynchronously: the server under test runs in this process.
    const run = await new Promise<{ status: number | null; output: string }>(
      (resolve) => {
        const child = spawn("openssl", args, {
          stdio: ["pipe", "pipe", "pipe"],
        });
        let output = "";
        child.stdout.on(
          "data",
          (chunk: Buffer) => (output += chunk.toString()),
        );
        child.stderr.on(
          "data",
          (chunk: Buffer) => (output += chunk.toString()),
        );
        child.on("close", (status) => resolve({ status, output }));
        // s_client may exit (a verification error aborts the handshake) before it reads the "Q": the pipe's
        // EPIPE then says nothing about the chain, and the verdict is read from the output below.
        child.stdin.on("error", () => undefined);
        child.stdin.end("Q\n");
      },
    );
    if (process.env.X509_DEBUG === "1")
      console.log(name, run.status, run.output);
    // With -verify_return_error a failed verification aborts the handshake; the exit status also reflects how
    // the connection ended (the server's close), so the verdict is read from what s_client prints.
    const opensslAccepts =
      /Verification: OK/.test(run.output) && !/verify error/.test(run.output);
    expect({
      name,
      opensslAccepts,
      output: opensslAccepts ? "" : run.output.slice(0, 300),
    }).toMatchObject({
      opensslAccepts: row.expect.status === "valid",
    });
  });
});

function fingerprint(der: Buffer): string {
  return new X509Certificate(der).fingerprint256.toUpperCase();
}
