// An independent RFC 3161 time-stamping authority for the tests: OpenSSL's `openssl ts -reply` behind a few lines
// of Node HTTP on 127.0.0.1, with its own CA and TSA certificate made by OpenSSL (extended key usage
// timeStamping, critical). Each path is a way a TSA behaves: /good, /reject (OpenSSL refuses SHA-256 there),
// /wrong-imprint and /wrong-nonce (the query is altered before OpenSSL answers it), /garbage, /http-500,
// /redirect (to /good), /hang.
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  TAG,
  child,
  isUniversal,
  readDer,
} from "../../electron/engine/signing/der";
import {
  readTimeStampReply,
  signatureImprint,
  timeStampRequest,
} from "../../electron/engine/signing/timestamp-token";
import { requireTools, tool, toolEnvironment } from "./certificate-tools";

const run = promisify(execFile);

export type OpensslTsaPath =
  | "good"
  | "reject"
  | "wrong-imprint"
  | "wrong-nonce"
  | "garbage"
  | "http-500"
  | "redirect"
  | "hang";

export interface OpensslTsa {
  /** http://127.0.0.1:PORT/<path> */
  url(path: OpensslTsaPath): string;
  /** The TSA's CA certificate (PEM file), for `openssl ts -verify -CAfile`. */
  caFile: string;
  /** Requests per path, to show what was (not) contacted. */
  requests: Map<string, number>;
  /** A TSA certificate whose timeStamping usage is NOT critical, with its key (PEM), made by the same CA. */
  nonCriticalCertificatePem: string;
  nonCriticalKeyPem: string;
  folder: string;
  close(): Promise<void>;
}

export async function startOpensslTsa(): Promise<OpensslTsa> {
  requireTools("openssl");
  const folder = mkdtempSync(join(tmpdir(), "cellcert-openssl-tsa-"));
  const path = (name: string): string => join(folder, name);
  const openssl = (...args: string[]): void => {
    const done = tool("openssl", args);
    if (done.status !== 0)
      throw new Error(`openssl ${args.join(" ")} failed:\n${done.output}`);
  };
  writeFileSync(
    path("ext.cnf"),
    [
      "[tsa]",
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = critical, timeStamping",
      "subjectKeyIdentifier = hash",
      "authorityKeyIdentifier = keyid",
      "[tsa_noncritical]",
      "basicConstraints = critical, CA:FALSE",
      "keyUsage = critical, digitalSignature",
      "extendedKeyUsage = timeStamping",
      "",
    ].join("\n"),
  );
  openssl(
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    path("ca.key"),
    "-out",
    path("ca.pem"),
    "-subj",
    "/O=Independent Test TSA/CN=Independent Test TSA Root",
    "-days",
    "30",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  for (const [name, section] of [
    ["tsa", "tsa"],
    ["tsa-noncritical", "tsa_noncritical"],
  ] as const) {
    openssl(
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      path(`${name}.key`),
      "-out",
      path(`${name}.csr`),
      "-subj",
      `/O=Independent Test TSA/CN=OpenSSL ${name}`,
    );
    openssl(
      "x509",
      "-req",
      "-in",
      path(`${name}.csr`),
      "-CA",
      path("ca.pem"),
      "-CAkey",
      path("ca.key"),
      "-set_serial",
      `0x${randomBytes(8).toString("hex")}`,
      "-days",
      "30",
      "-extfile",
      path("ext.cnf"),
      "-extensions",
      section,
      "-out",
      path(`${name}.pem`),
    );
  }
  writeFileSync(path("serial"), "01\n");
  const section = (name: string, digests: string): string =>
    [
      `[${name}]`,
      `dir = ${folder}`,
      "serial = $dir/serial",
      "crypto_device = builtin",
      "signer_cert = $dir/tsa.pem",
      "certs = $dir/ca.pem",
      "signer_key = $dir/tsa.key",
      "signer_digest = sha256",
      "default_policy = 1.2.3.4.1",
      `digests = ${digests}`,
      "accuracy = secs:1",
      "ordering = no",
      "tsa_name = yes",
      "ess_cert_id_chain = no",
      "",
    ].join("\n");
  writeFileSync(
    path("ts.cnf"),
    [
      "[tsa]",
      "default_tsa = good",
      section("good", "sha256, sha384, sha512"),
      // OpenSSL answers "rejection, badAlg" to a SHA-256 imprint here.
      section("reject", "sha512"),
    ].join("\n"),
  );

  let answered = 0;
  const requests = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const name = (request.url ?? "/").slice(1);
    requests.set(name, (requests.get(name) ?? 0) + 1);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const mode = (request.url ?? "/").slice(1) as OpensslTsaPath;
      if (mode === "hang") return; // holds the connection, answers nothing
      if (mode === "redirect") {
        response.writeHead(302, { Location: "/good" }).end();
        return;
      }
      if (mode === "http-500") {
        response.writeHead(500, { "Content-Type": "text/plain" }).end("down");
        return;
      }
      if (mode === "garbage") {
        response
          .writeHead(200, { "Content-Type": "application/timestamp-reply" })
          .end(randomBytes(200));
        return;
      }
      const query = Buffer.concat(chunks);
      if (mode === "wrong-imprint" || mode === "wrong-nonce")
        alterQuery(query, mode);
      const id = `${process.pid}-${answered++}`;
      writeFileSync(path(`q${id}.tsq`), query);
      run(
        "openssl",
        [
          "ts",
          "-reply",
          "-config",
          path("ts.cnf"),
          "-section",
          mode === "reject" ? "reject" : "good",
          "-queryfile",
          path(`q${id}.tsq`),
          "-out",
          path(`r${id}.tsr`),
        ],
        { env: toolEnvironment() },
      ).then(
        () => {
          const reply = readFileSync(path(`r${id}.tsr`));
          response
            .writeHead(200, {
              "Content-Type": "application/timestamp-reply",
              "Content-Length": reply.length,
            })
            .end(reply);
        },
        (error: unknown) => {
          response.writeHead(500).end(String(error));
        },
      );
    });
  });
  await new Promise<void>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve()),
  );
  const { port } = server.address() as AddressInfo;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}`,
    caFile: path("ca.pem"),
    requests,
    nonCriticalCertificatePem: readFileSync(
      path("tsa-noncritical.pem"),
      "utf8",
    ),
    nonCriticalKeyPem: readFileSync(path("tsa-noncritical.key"), "utf8"),
    folder,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The token a TSA answers for `signatureValue` (SHA-256 imprint, a nonce, certReq), taken as it comes: nothing
 * in it is checked, so a test can put a token Cellcert would refuse at signing into a document.
 */
export async function askForToken(
  url: string,
  signatureValue: Uint8Array,
): Promise<Uint8Array> {
  const query = timeStampRequest(
    signatureImprint(signatureValue),
    Buffer.from("5a17c0ffee5a17c0", "hex"),
  );
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/timestamp-query" },
    body: query,
  });
  const reply = readTimeStampReply(
    new Uint8Array(await response.arrayBuffer()),
  );
  if (!reply.granted) throw new Error(`${url} refused: ${reply.refusal}`);
  return reply.token;
}

/** Flips the last byte of the query's hashed message, or of its nonce, in place. */
function alterQuery(
  query: Buffer,
  what: "wrong-imprint" | "wrong-nonce",
): void {
  const request = readDer(query);
  const node =
    what === "wrong-imprint"
      ? child(child(request, 1), 1)
      : request.children.find(
          (element, index) => index > 1 && isUniversal(element, TAG.integer),
        );
  if (node === undefined) throw new Error(`The query has no ${what} part.`);
  query[node.end - 1] = (query[node.end - 1] ?? 0) ^ 0x01;
}
