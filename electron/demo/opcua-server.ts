// The practice plant's OPC UA server: a real node-opcua-server on a loopback address, in the good configuration
// (SignAndEncrypt with Basic256Sha256 only, no anonymous access) or a broken one (security mode None, anonymous
// access, the deprecated Basic128Rsa15), with its application certificate from the practice PKI and its own PKI
// folders in a folder the caller gives — never the library's default in the home folder.
import { once } from "node:events";
import { mkdir, writeFile } from "node:fs/promises";
import { Server as NetServer, isIPv6, type Socket } from "node:net";
import { join } from "node:path";
import type * as CertificateManagerModule from "node-opcua-certificate-manager";
import type * as ClientModule from "node-opcua-client";
import type * as ServerModule from "node-opcua-server";
import type { OPCUAServer } from "node-opcua-server";

export type OpcuaPracticeMode = "None" | "Sign" | "SignAndEncrypt";
export type OpcuaPracticePolicy =
  | "Basic128Rsa15"
  | "Basic256"
  | "Basic256Sha256"
  | "Aes128_Sha256_RsaOaep"
  | "Aes256_Sha256_RsaPss";

/** What the server offers in GetEndpoints. */
export interface OpcuaSecurity {
  /** Security modes; "None" adds the endpoint without any security. */
  modes: readonly OpcuaPracticeMode[];
  /** Policies of the Sign and SignAndEncrypt endpoints (and of the user tokens on a None endpoint). */
  policies: readonly OpcuaPracticePolicy[];
  /** The Anonymous user token on every endpoint. */
  anonymous: boolean;
  /** A user-name token on the None endpoint whose password travels in clear. */
  userNameInClear: boolean;
}

export const OPCUA_SECURITY = {
  /** What the vendor's guideline asks for. */
  good: {
    modes: ["SignAndEncrypt"],
    policies: ["Basic256Sha256"],
    anonymous: false,
    userNameInClear: false,
  },
  /** No security at all beside a deprecated policy, and anyone may connect. */
  broken: {
    modes: ["None", "SignAndEncrypt"],
    policies: ["Basic128Rsa15"],
    anonymous: true,
    userNameInClear: false,
  },
  /** Encrypted endpoints, and beside them a None endpoint that takes a user name and password in clear. */
  "user-name-in-clear": {
    modes: ["None", "SignAndEncrypt"],
    policies: ["Basic256Sha256"],
    anonymous: false,
    userNameInClear: true,
  },
} as const satisfies Record<string, OpcuaSecurity>;

export interface OpcuaServerOptions {
  /** The loopback address to listen on, e.g. 127.0.4.10. */
  address: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** The name in the endpoint URLs the server advertises; the address when absent. */
  hostname?: string;
  /** The /PATH of opc.tcp://HOST:PORT/PATH; "" for none. */
  path?: string;
  security: OpcuaSecurity;
  /** The application certificate, then its issuers (PEM), and its private key (PKCS#8 PEM). */
  certificatePem: string;
  privateKeyPem: string;
  /** The server's own PKI (trusted, rejected and issuer folders, the certificate files); created if missing. */
  pkiFolder: string;
  applicationName?: string;
  /** Connections from other sources are reset at once, as a firewall in front of the server would refuse them. */
  allowSource?: (address: string) => boolean;
}

export interface RunningOpcuaServer {
  port: number;
  /** opc.tcp://HOST:PORT/PATH */
  url: string;
  close(): Promise<void>;
}

const POLICY_PREFIX = "http://opcfoundation.org/UA/SecurityPolicy#";

type ServerModules = [
  typeof ServerModule,
  typeof ClientModule,
  typeof CertificateManagerModule,
];
let modules: Promise<ServerModules> | undefined;

/**
 * node-opcua is loaded on first use (about a second of work the CLI should not pay for other commands). Its
 * logging is set to errors only before it loads: on Node 20 it prints a notice about RSA PKCS#1 v1.5 at load
 * and notes about this machine's host name at start, which are not the engineer's business.
 */
function loadModules(): Promise<ServerModules> {
  process.env.NODEOPCUA_LOG_LEVEL ??= "3";
  modules ??= Promise.all([
    import("node-opcua-server"),
    import("node-opcua-client"),
    import("node-opcua-certificate-manager"),
  ]);
  return modules;
}

/** The listening socket of each of node-opcua's endpoints, which has no source filter of its own. */
function listeningSockets(server: OPCUAServer): NetServer[] {
  return server.endpoints.map((endpoint) => {
    const listening = (endpoint as unknown as { _server?: unknown })._server;
    if (!(listening instanceof NetServer)) {
      throw new Error(
        "This node-opcua-server has no listening socket where the practice firewall expects it.",
      );
    }
    return listening;
  });
}

/**
 * node-opcua-server does not pass its allowUnsecurePassword option on to its endpoints, so the token is added to
 * the endpoint descriptions GetEndpoints lists: on a None endpoint with no policy of its own (the channel's None
 * applies), on a Sign endpoint with the None policy named.
 */
function offerUserNameInClear(
  server: OPCUAServer,
  client: ServerModules[1],
): void {
  const {
    MessageSecurityMode,
    SecurityPolicy,
    UserTokenPolicy,
    UserTokenType,
  } = client;
  for (const endpoint of server.endpoints) {
    for (const description of endpoint.endpointDescriptions()) {
      if (description.securityMode === MessageSecurityMode.SignAndEncrypt)
        continue;
      description.userIdentityTokens = [
        ...(description.userIdentityTokens ?? []),
        new UserTokenPolicy({
          policyId: "username_in_clear",
          tokenType: UserTokenType.UserName,
          securityPolicyUri:
            description.securityMode === MessageSecurityMode.None
              ? null
              : SecurityPolicy.None,
        }),
      ];
    }
  }
}

export async function startOpcuaServer(
  options: OpcuaServerOptions,
): Promise<RunningOpcuaServer> {
  const [{ OPCUAServer }, client, pki] = await loadModules();
  const { MessageSecurityMode, SecurityPolicy } = client;
  await mkdir(options.pkiFolder, { recursive: true });
  const certificateFile = join(
    options.pkiFolder,
    "application-certificate.pem",
  );
  const privateKeyFile = join(options.pkiFolder, "application-key.pem");
  await writeFile(certificateFile, options.certificatePem);
  await writeFile(privateKeyFile, options.privateKeyPem, { mode: 0o600 });

  const managers = {
    serverCertificateManager: new pki.OPCUACertificateManager({
      rootFolder: join(options.pkiFolder, "application"),
      automaticallyAcceptUnknownCertificate: false,
    }),
    userCertificateManager: new pki.OPCUACertificateManager({
      rootFolder: join(options.pkiFolder, "users"),
      automaticallyAcceptUnknownCertificate: false,
    }),
  };
  const policyOf = (name: OpcuaPracticePolicy) => {
    const uri = Object.values(SecurityPolicy).find(
      (value: string) => value === `${POLICY_PREFIX}${name}`,
    );
    if (uri === undefined)
      throw new Error(`node-opcua does not know the policy ${name}.`);
    return uri;
  };
  const hostname = options.hostname ?? options.address;
  const path = options.path ?? "";
  const server = new OPCUAServer({
    host: options.address,
    hostname,
    port: options.port ?? 0,
    resourcePath: path,
    securityModes: options.security.modes.map(
      (mode) => MessageSecurityMode[mode],
    ),
    securityPolicies: options.security.policies.map(policyOf),
    allowAnonymous: options.security.anonymous,
    certificateFile,
    privateKeyFile,
    ...managers,
    serverInfo: {
      applicationUri: `urn:cellcert:practice:${hostname}`,
      productUri: "urn:cellcert:practice-opcua-server",
      applicationName: {
        text: options.applicationName ?? "Cellcert practice OPC UA server",
      },
    },
    buildInfo: {
      productName: "Cellcert practice OPC UA server",
      manufacturerName: "Cellcert (PRACTICE)",
    },
    isAuditing: false,
    maxConnectionsPerEndpoint: 8,
  });
  try {
    await server.initialize();
    if (options.security.userNameInClear) {
      offerUserNameInClear(server, client);
    }
    if (options.allowSource !== undefined) {
      const allow = options.allowSource;
      for (const listening of listeningSockets(server)) {
        listening.prependListener("connection", (socket: Socket) => {
          if (!allow(socket.remoteAddress ?? "")) socket.resetAndDestroy();
        });
      }
    }
    await server.start();
  } catch (error) {
    await server.shutdown(0).catch(() => undefined);
    await Promise.all(
      Object.values(managers).map((m) => m.dispose().catch(() => undefined)),
    );
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(
      `The practice OPC UA server could not start on ${options.address}:${options.port ?? 0} (${reason}). Check that the address is a loopback address of this machine and the port is free.`,
      { cause: error },
    );
  }
  const port = server.endpoints[0]?.port ?? 0;
  const host = isIPv6(hostname) ? `[${hostname}]` : hostname;
  let closing: Promise<void> | undefined;
  return {
    port,
    url: `opc.tcp://${host}:${port}${path}`,
    close: () => {
      closing ??= (async () => {
        const sockets = listeningSockets(server);
        await server.shutdown(0);
        await Promise.all(
          sockets
            .filter((s) => s.listening)
            .map((s) => once(s, "close").then(() => undefined)),
        );
        await Promise.all(Object.values(managers).map((m) => m.dispose()));
      })();
      return closing;
    },
  };
}
