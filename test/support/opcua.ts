// OPC UA for the tests: practice servers (node-opcua-server) with certificates from a practice PKI, the reference
// client's view of a server (node-opcua-client, its PKI in a temporary folder), and the answers hostile servers
// send — an Acknowledge, an Error, secure-channel responses, GetEndpoints answers in chunks — written with the
// engine's own encoder.
import { X509Certificate } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  OPCUA_SECURITY,
  startOpcuaServer,
  type OpcuaSecurity,
  type RunningOpcuaServer,
} from "../../electron/demo/opcua-server";
import {
  createPracticePki,
  type CertificateRequest,
  type PracticePki,
} from "../../electron/demo/pki";
import { UaWriter } from "../../electron/engine/protocols/opcua/binary";
import {
  EncodingId,
  HEADER_SIZE,
} from "../../electron/engine/protocols/opcua/messages";

/** Where the practice OPC UA servers listen (the process-control cell) and the MES vantage probes from. */
export const OPCUA_SERVER_ADDRESS = "127.0.4.10";
export const MES_ADDRESS = "127.0.3.10";

export interface OpcuaCertificates {
  pki: PracticePki;
  /** The practice root CA, PEM: the plan's trust anchor. */
  anchorPem: string;
  /** Leaf for OPCUA_SERVER_ADDRESS then the intermediate, and the leaf's key. */
  certificatePem: string;
  privateKeyPem: string;
  leafFingerprint: string;
}

export function opcuaCertificates(
  request: Partial<CertificateRequest> = {},
  pkiName = "Cellcert Practice",
): OpcuaCertificates {
  const pki = createPracticePki({ name: pkiName });
  const leaf = pki.issueLeaf({
    commonName: "pcs-opcua.practice",
    dnsNames: ["pcs-opcua.practice"],
    ipAddresses: [OPCUA_SERVER_ADDRESS],
    ...request,
  });
  return {
    pki,
    anchorPem: pki.root.pem,
    certificatePem: leaf.pem + pki.intermediate.pem,
    privateKeyPem: leaf.key.privateKeyPem,
    leafFingerprint: new X509Certificate(leaf.der).fingerprint256,
  };
}

/** Practice servers started by a test file, each with its own PKI folder, all closed by `stopAll`. */
export function opcuaServers(): {
  start(
    security: OpcuaSecurity | keyof typeof OPCUA_SECURITY,
    certificates: OpcuaCertificates,
    extra?: { path?: string; allowSource?: (address: string) => boolean },
  ): Promise<RunningOpcuaServer>;
  stopAll(): Promise<void>;
} {
  const running: RunningOpcuaServer[] = [];
  const folders: string[] = [];
  return {
    async start(security, certificates, extra = {}) {
      const pkiFolder = await mkdtemp(join(tmpdir(), "cellcert-opcua-pki-"));
      folders.push(pkiFolder);
      const server = await startOpcuaServer({
        address: OPCUA_SERVER_ADDRESS,
        security:
          typeof security === "string" ? OPCUA_SECURITY[security] : security,
        certificatePem: certificates.certificatePem,
        privateKeyPem: certificates.privateKeyPem,
        pkiFolder,
        ...extra,
      });
      running.push(server);
      return server;
    },
    async stopAll() {
      await Promise.all(running.splice(0).map((s) => s.close()));
      await Promise.all(
        folders.splice(0).map((f) => rm(f, { recursive: true, force: true })),
      );
    },
  };
}

export interface ReferenceEndpoint {
  securityMode: string;
  securityPolicyUri: string;
  tokens: { tokenType: number; securityPolicyUri: string }[];
  certificateBytes: number;
}

/** What node-opcua-client's GetEndpoints reads from a server, with its PKI in a temporary folder. */
export async function referenceEndpoints(
  url: string,
): Promise<ReferenceEndpoint[]> {
  process.env.NODEOPCUA_LOG_LEVEL ??= "3";
  const { OPCUAClient, MessageSecurityMode } =
    await import("node-opcua-client");
  const { OPCUACertificateManager } =
    await import("node-opcua-certificate-manager");
  const folder = await mkdtemp(join(tmpdir(), "cellcert-opcua-client-"));
  const clientCertificateManager = new OPCUACertificateManager({
    rootFolder: folder,
  });
  const client = OPCUAClient.create({
    endpointMustExist: false,
    connectionStrategy: { maxRetry: 0, initialDelay: 10, maxDelay: 10 },
    clientCertificateManager,
  });
  try {
    await client.connect(url);
    const endpoints = await client.getEndpoints();
    return endpoints.map((e) => ({
      securityMode: MessageSecurityMode[e.securityMode],
      securityPolicyUri: e.securityPolicyUri ?? "",
      tokens: (e.userIdentityTokens ?? []).map((t) => ({
        tokenType: t.tokenType,
        securityPolicyUri: t.securityPolicyUri ?? "",
      })),
      certificateBytes: e.serverCertificate.length,
    }));
  } finally {
    await client.disconnect();
    await clientCertificateManager.dispose();
    await rm(folder, { recursive: true, force: true });
  }
}

// ---- answers for hostile servers ---------------------------------------------------------------------------

function frame(type: string, chunk: "F" | "C" | "A", body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(type, 0, "latin1");
  header.write(chunk, 3, "latin1");
  header.writeUInt32LE(HEADER_SIZE + body.length, 4);
  return Buffer.concat([header, body]);
}

export function acknowledge(receiveBufferSize = 65_535): Buffer {
  return frame(
    "ACK",
    "F",
    new UaWriter()
      .uint32(0)
      .uint32(receiveBufferSize)
      .uint32(receiveBufferSize)
      .uint32(0)
      .uint32(0)
      .toBuffer(),
  );
}

export function errorMessage(statusCode: number, reason: string): Buffer {
  return frame(
    "ERR",
    "F",
    new UaWriter().uint32(statusCode).string(reason).toBuffer(),
  );
}

function responseHeader(writer: UaWriter, serviceResult = 0): UaWriter {
  return writer
    .dateTime(Date.now())
    .uint32(1)
    .uint32(serviceResult)
    .uint8(0) // no diagnostics
    .int32(-1) // stringTable
    .numericNodeId(0)
    .uint8(0);
}

export const CHANNEL = { channelId: 7, tokenId: 3 } as const;

/** The OPN answer with SecurityPolicy None for request 1. */
export function openResponse(requestId = 1): Buffer {
  const writer = new UaWriter()
    .uint32(CHANNEL.channelId)
    .string("http://opcfoundation.org/UA/SecurityPolicy#None")
    .byteString(null)
    .byteString(null)
    .uint32(1)
    .uint32(requestId)
    .numericNodeId(EncodingId.OpenSecureChannelResponse);
  responseHeader(writer)
    .uint32(0)
    .uint32(CHANNEL.channelId)
    .uint32(CHANNEL.tokenId)
    .dateTime(Date.now())
    .uint32(60_000)
    .byteString(null);
  return frame("OPN", "F", writer.toBuffer());
}

export interface FakeEndpoint {
  url: string;
  /** 1 None, 2 Sign, 3 SignAndEncrypt */
  mode: number;
  policyUri: string;
  certificate: Buffer | null;
  tokens: { policyId: string; type: number; policyUri: string | null }[];
  level?: number;
}

export function encodeEndpoints(endpoints: readonly FakeEndpoint[]): Buffer {
  const writer = new UaWriter().int32(endpoints.length);
  for (const e of endpoints) {
    writer
      .string(e.url)
      .string("urn:hostile")
      .string("urn:hostile:product")
      .uint8(0x02)
      .string("Hostile server")
      .int32(0)
      .string(null)
      .string(null)
      .int32(-1)
      .byteString(e.certificate)
      .int32(e.mode)
      .string(e.policyUri)
      .int32(e.tokens.length);
    for (const t of e.tokens) {
      writer
        .string(t.policyId)
        .int32(t.type)
        .string(null)
        .string(null)
        .string(t.policyUri);
    }
    writer
      .string(
        "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary",
      )
      .uint8(e.level ?? 0);
  }
  return writer.toBuffer();
}

/** A GetEndpoints answer (or a ServiceFault) for request 2, split into chunks of at most `chunkBody` body bytes. */
export function getEndpointsResponse(
  endpoints: readonly FakeEndpoint[] | "fault",
  options: { chunkBody?: number; serviceResult?: number } = {},
): Buffer {
  const body = new UaWriter().numericNodeId(
    endpoints === "fault"
      ? EncodingId.ServiceFault
      : EncodingId.GetEndpointsResponse,
  );
  responseHeader(
    body,
    endpoints === "fault" ? 0x800b0000 : (options.serviceResult ?? 0),
  );
  if (endpoints !== "fault") body.raw(encodeEndpoints(endpoints));
  const bytes = body.toBuffer();
  const size = options.chunkBody ?? bytes.length;
  const chunks: Buffer[] = [];
  for (let offset = 0, seq = 2; offset < bytes.length; offset += size, seq++) {
    const last = offset + size >= bytes.length;
    chunks.push(
      frame(
        "MSG",
        last ? "F" : "C",
        Buffer.concat([
          new UaWriter()
            .uint32(CHANNEL.channelId)
            .uint32(CHANNEL.tokenId)
            .uint32(seq)
            .uint32(2)
            .toBuffer(),
          bytes.subarray(offset, offset + size),
        ]),
      ),
    );
  }
  return Buffer.concat(chunks);
}

/** A TCP server that hands each connection's sockets to `handle`; every socket is destroyed on close. */
export async function hostileServer(
  handle: (socket: Socket) => void,
  address = OPCUA_SERVER_ADDRESS,
): Promise<{
  port: number;
  connections: () => number;
  close(): Promise<void>;
}> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    handle(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, address, () => resolve());
  });
  const info = server.address();
  const port = typeof info === "object" && info !== null ? info.port : 0;
  return {
    port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Calls `answer` with each whole OPC UA message the client sends (type and bytes), on one socket. */
export function onMessages(
  socket: Socket,
  answer: (type: string, message: Buffer) => void,
): void {
  let buffer = Buffer.alloc(0);
  socket.on("data", (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    while (buffer.length >= HEADER_SIZE) {
      const size = buffer.readUInt32LE(4);
      if (size < HEADER_SIZE || buffer.length < size) return;
      const message = buffer.subarray(0, size);
      buffer = buffer.subarray(size);
      answer(message.subarray(0, 3).toString("latin1"), message);
    }
  });
}
