// nginx, Apache httpd and OpenSSL's s_server started by a test or a benchmark as child processes on a loopback
// port, each with its own config and temp folder (never the system's services, never another address), stopped by
// their process id. When the program is not installed, `start…` says so and the caller reports itself skipped
// with that reason.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { splitPemCertificates } from "../../electron/engine/x509/certificate-info";

export interface WebDaemon {
  port: number;
  /** Where its config, logs and files are. */
  dir: string;
  stop(): Promise<void>;
}

export type Started = { daemon: WebDaemon } | { skipped: string };

const APACHE = "/usr/sbin/apache2";
const APACHE_MODULES = "/usr/lib/apache2/modules";
const NGINX = "/usr/sbin/nginx";
const OPENSSL = "/usr/bin/openssl";

function installed(program: string, apt: string): string | null {
  if (existsSync(program)) return null;
  const found = spawnSync("which", [program.split("/").pop() ?? program], {
    encoding: "utf8",
  });
  return found.status === 0
    ? null
    : `${program} is not installed (apt-get install -y ${apt})`;
}

/** A free loopback port (the daemon binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port =
        typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Waits until the port accepts connections, or the child exits, or 10 s pass. */
async function listening(
  port: number,
  child: ChildProcess,
  log: () => string,
): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`the server exited (${child.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => {
        socket.destroy();
        resolve(true);
      });
      socket.once("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline)
      throw new Error(`the server did not listen on ${port}: ${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function stopper(child: ChildProcess): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.pid === undefined) {
        resolve();
        return;
      }
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
}

function spawned(
  program: string,
  args: string[],
): {
  child: ChildProcess;
  log: () => string;
} {
  const child = spawn(program, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, log: () => output.slice(-2000) };
}

export interface TlsFiles {
  /** The server's chain, leaf first, PEM. */
  certificate: string;
  key: string;
}

/**
 * Apache httpd configured the way IIS treats "Require client certificates" on a virtual directory: the site's
 * handshake asks for nothing; `<Location path>` has `SSLVerifyClient require`, so after reading the request
 * Apache renegotiates over TLS 1.2 and answers 403 over TLS 1.3 (AH10158, no post-handshake authentication).
 */
export async function startApachePerPath(options: {
  tls: TlsFiles;
  /** The client CAs, PEM. */
  clientCa: string;
  /** The virtual directory that requires the certificate, e.g. "/Opcenter". */
  path: string;
}): Promise<Started> {
  const missing = installed(APACHE, "apache2");
  if (missing !== null) return { skipped: missing };
  const dir = mkdtempSync(join(tmpdir(), "cellcert-apache-"));
  // Apache's workers run as nobody when started by root: they must read the documents.
  chmodSync(dir, 0o755);
  const port = await freePort();
  mkdirSync(join(dir, "htdocs"), { recursive: true });
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "server.pem"), options.tls.certificate);
  writeFileSync(join(dir, "server.key"), options.tls.key, { mode: 0o600 });
  writeFileSync(join(dir, "client-ca.pem"), options.clientCa);
  writeFileSync(join(dir, "htdocs", options.path.replace(/^\//, "")), "MES\n");
  const root = process.getuid?.() === 0;
  writeFileSync(
    join(dir, "httpd.conf"),
    [
      `ServerRoot "${dir}"`,
      `ServerName 127.0.0.1`,
      `Listen 127.0.0.1:${port}`,
      `PidFile ${join(dir, "httpd.pid")}`,
      `DefaultRuntimeDir ${dir}`,
      `LoadModule mpm_event_module ${APACHE_MODULES}/mod_mpm_event.so`,
      `LoadModule authz_core_module ${APACHE_MODULES}/mod_authz_core.so`,
      `LoadModule ssl_module ${APACHE_MODULES}/mod_ssl.so`,
      ...(root ? ["User nobody", "Group nogroup"] : []),
      `ErrorLog ${join(dir, "logs", "error.log")}`,
      `LogLevel warn ssl:info`,
      `DocumentRoot ${join(dir, "htdocs")}`,
      `<Directory ${join(dir, "htdocs")}>`,
      `  Require all granted`,
      `</Directory>`,
      `SSLSessionCache none`,
      `<VirtualHost 127.0.0.1:${port}>`,
      `  SSLEngine on`,
      `  SSLProtocol -all +TLSv1.2 +TLSv1.3`,
      `  SSLCertificateFile ${join(dir, "server.pem")}`,
      `  SSLCertificateKeyFile ${join(dir, "server.key")}`,
      `  SSLCACertificateFile ${join(dir, "client-ca.pem")}`,
      `  <Location ${options.path}>`,
      `    SSLVerifyClient require`,
      `    SSLVerifyDepth 3`,
      `  </Location>`,
      `</VirtualHost>`,
      "",
    ].join("\n"),
  );
  const { child, log } = spawned(APACHE, [
    "-f",
    join(dir, "httpd.conf"),
    "-DFOREGROUND",
  ]);
  try {
    await listening(port, child, log);
  } catch (error) {
    await stopper(child)();
    throw error;
  }
  return { daemon: { port, dir, stop: stopper(child) } };
}

/**
 * nginx serving `serverName` only: its default server has `ssl_reject_handshake on`, so a ClientHello without
 * that name gets alert 112 (unrecognized_name) before any ServerHello.
 */
export async function startNginxNameOnly(options: {
  tls: TlsFiles;
  serverName: string;
  /** Sent on every answer when set. */
  hsts?: string;
}): Promise<Started> {
  const missing = installed(NGINX, "nginx");
  if (missing !== null) return { skipped: missing };
  const dir = mkdtempSync(join(tmpdir(), "cellcert-nginx-"));
  const port = await freePort();
  mkdirSync(join(dir, "logs"));
  writeFileSync(join(dir, "server.pem"), options.tls.certificate);
  writeFileSync(join(dir, "server.key"), options.tls.key, { mode: 0o600 });
  const listen = `listen 127.0.0.1:${port} ssl`;
  writeFileSync(
    join(dir, "nginx.conf"),
    [
      `worker_processes 1;`,
      `pid ${join(dir, "nginx.pid")};`,
      `error_log ${join(dir, "logs", "error.log")} warn;`,
      `events { worker_connections 64; }`,
      `http {`,
      `  access_log off;`,
      `  client_body_temp_path ${join(dir, "body")};`,
      `  proxy_temp_path ${join(dir, "proxy")};`,
      `  fastcgi_temp_path ${join(dir, "fastcgi")};`,
      `  uwsgi_temp_path ${join(dir, "uwsgi")};`,
      `  scgi_temp_path ${join(dir, "scgi")};`,
      `  ssl_protocols TLSv1.2 TLSv1.3;`,
      `  ssl_ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305;`,
      `  server { ${listen} default_server; ssl_reject_handshake on; }`,
      `  server {`,
      `    ${listen};`,
      `    server_name ${options.serverName};`,
      `    ssl_certificate ${join(dir, "server.pem")};`,
      `    ssl_certificate_key ${join(dir, "server.key")};`,
      ...(options.hsts === undefined
        ? []
        : [
            `    add_header Strict-Transport-Security "${options.hsts}" always;`,
          ]),
      `    location / { return 200 "MES\\n"; }`,
      `  }`,
      `}`,
      "",
    ].join("\n"),
  );
  const { child, log } = spawned(NGINX, [
    "-p",
    dir,
    "-c",
    join(dir, "nginx.conf"),
    "-g",
    "daemon off;",
  ]);
  try {
    await listening(port, child, log);
  } catch (error) {
    await stopper(child)();
    throw error;
  }
  return { daemon: { port, dir, stop: stopper(child) } };
}

/** TLS 1.3's three suites, which s_server takes apart from the cipher list of the older versions. */
const TLS13_SUITES =
  "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/**
 * OpenSSL's `s_server` as a legacy endpoint: TLS 1.0 to 1.3, every cipher suite OpenSSL has (`ALL` at security
 * level 0), legacy renegotiation, and a status page for any HTTP GET (`-www`). It serves one connection at a
 * time, as small embedded stacks do. Its stop also removes its folder (the chain and the key).
 */
export async function startOpensslLegacyServer(options: {
  tls: TlsFiles;
}): Promise<Started> {
  const missing = installed(OPENSSL, "openssl");
  if (missing !== null) return { skipped: missing };
  const dir = mkdtempSync(join(tmpdir(), "cellcert-s-server-"));
  const port = await freePort();
  // s_server reads one certificate from -cert, and the rest of the chain it sends from -cert_chain.
  const [leaf = "", ...rest] = splitPemCertificates(options.tls.certificate);
  writeFileSync(join(dir, "server.pem"), leaf);
  writeFileSync(join(dir, "chain.pem"), rest.join(""));
  writeFileSync(join(dir, "server.key"), options.tls.key, { mode: 0o600 });
  const { child, log } = spawned(OPENSSL, [
    "s_server",
    "-accept",
    `127.0.0.1:${port}`,
    "-cert",
    join(dir, "server.pem"),
    ...(rest.length > 0 ? ["-cert_chain", join(dir, "chain.pem")] : []),
    "-key",
    join(dir, "server.key"),
    "-cipher",
    "ALL:@SECLEVEL=0",
    "-ciphersuites",
    TLS13_SUITES,
    "-legacy_renegotiation",
    "-www",
    "-quiet",
  ]);
  const stop = async (): Promise<void> => {
    await stopper(child)();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await listening(port, child, log);
  } catch (error) {
    await stop();
    throw error;
  }
  return { daemon: { port, dir, stop } };
}
