// The few OPC UA binary messages GetEndpoints needs (OPC 10000-6 §7.1 UA Connection Protocol, §6.7 UA Secure
// Conversation, OPC 10000-4 §5.4.4 GetEndpoints, §5.5.2 OpenSecureChannel): Hello, OpenSecureChannel with
// SecurityPolicy None, GetEndpoints and CloseSecureChannel out; Acknowledge, Error, the OpenSecureChannel and
// GetEndpoints responses and ServiceFault in. No session, no certificate, no credential: the discovery channel.
import type {
  OpcuaAcknowledge,
  OpcuaApplication,
  OpcuaSecurityMode,
  OpcuaUserTokenType,
} from "../../../shared/evidence/opcua";
import { OpcuaDecodeError, UaReader, UaWriter } from "./binary";
import { SECURITY_POLICY_NONE } from "./security-policies";

/** Encoding ids (namespace 0) of the DefaultBinary encodings (OPC 10000-6, NodeIds.csv). */
export const EncodingId = {
  ServiceFault: 397,
  GetEndpointsRequest: 428,
  GetEndpointsResponse: 431,
  OpenSecureChannelRequest: 446,
  OpenSecureChannelResponse: 449,
  CloseSecureChannelRequest: 452,
} as const;

export const MESSAGE_TYPES = [
  "HEL",
  "ACK",
  "ERR",
  "RHE",
  "OPN",
  "MSG",
  "CLO",
] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];
export type ChunkType = "F" | "C" | "A";

export const HEADER_SIZE = 8;
/** Acknowledge: header and five UInt32 (OPC 10000-6 §7.1.2.4). */
export const ACKNOWLEDGE_SIZE = 28;
/** The longest EndpointUrl a Hello may carry (OPC 10000-6 §7.1.2.3). */
export const MAX_ENDPOINT_URL_BYTES = 4096;

export interface ChunkHeader {
  messageType: MessageType;
  chunkType: ChunkType;
  /** The whole chunk, header included. */
  size: number;
}

/** The 8-byte header of a chunk, or an OpcuaDecodeError saying why these bytes are not one. */
export function parseChunkHeader(bytes: Buffer): ChunkHeader {
  const type = bytes.subarray(0, 3).toString("latin1");
  const chunk = bytes.subarray(3, 4).toString("latin1");
  if (!(MESSAGE_TYPES as readonly string[]).includes(type)) {
    throw new OpcuaDecodeError(
      "malformed",
      `the message type "${printable(bytes.subarray(0, 3))}" is not an OPC UA message type`,
    );
  }
  if (chunk !== "F" && chunk !== "C" && chunk !== "A") {
    throw new OpcuaDecodeError(
      "malformed",
      `the chunk type "${printable(bytes.subarray(3, 4))}" is not F, C or A`,
    );
  }
  const size = bytes.readUInt32LE(4);
  if (size < HEADER_SIZE) {
    throw new OpcuaDecodeError(
      "malformed",
      `the message size ${size} is smaller than its own header`,
    );
  }
  return { messageType: type as MessageType, chunkType: chunk, size };
}

function printable(bytes: Buffer): string {
  return [...bytes]
    .map((b) =>
      b >= 0x20 && b < 0x7f
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, "0")}`,
    )
    .join("");
}

function withHeader(type: MessageType, chunk: ChunkType, body: Buffer): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.write(type, 0, "latin1");
  header.write(chunk, 3, "latin1");
  header.writeUInt32LE(HEADER_SIZE + body.length, 4);
  return Buffer.concat([header, body]);
}

// ---- what the probe sends ---------------------------------------------------------------------------------------

export interface HelloOptions {
  receiveBufferSize: number;
  sendBufferSize: number;
  /** 0: no limit. */
  maxMessageSize: number;
  /** 0: no limit. */
  maxChunkCount: number;
  endpointUrl: string;
}

export function encodeHello(options: HelloOptions): Buffer {
  return withHeader(
    "HEL",
    "F",
    new UaWriter()
      .uint32(0)
      .uint32(options.receiveBufferSize)
      .uint32(options.sendBufferSize)
      .uint32(options.maxMessageSize)
      .uint32(options.maxChunkCount)
      .string(options.endpointUrl)
      .toBuffer(),
  );
}

interface RequestHeaderOptions {
  requestHandle: number;
  /** Laptop time, ms since 1970. */
  now: number;
  timeoutHintMs: number;
}

function requestHeader(writer: UaWriter, options: RequestHeaderOptions): void {
  writer
    .numericNodeId(0) // authenticationToken: null, there is no session
    .dateTime(options.now)
    .uint32(options.requestHandle)
    .uint32(0) // returnDiagnostics: none
    .string(null) // auditEntryId
    .uint32(options.timeoutHintMs)
    .numericNodeId(0) // additionalHeader: a null ExtensionObject
    .uint8(0x00);
}

/**
 * OpenSecureChannel (Issue) with SecurityPolicy None and mode None, as the spec has clients ask on the discovery
 * channel: no sender certificate, no receiver thumbprint, a null nonce (OPC 10000-4 §5.5.2: "the nonces are
 * ignored and should be set to null").
 */
export function encodeOpenSecureChannel(
  options: RequestHeaderOptions & {
    sequenceNumber: number;
    requestId: number;
    requestedLifetimeMs: number;
  },
): Buffer {
  const writer = new UaWriter()
    .uint32(0) // SecureChannelId: 0 until the server assigns one
    .string(SECURITY_POLICY_NONE)
    .byteString(null) // SenderCertificate
    .byteString(null) // ReceiverCertificateThumbprint
    .uint32(options.sequenceNumber)
    .uint32(options.requestId)
    .numericNodeId(EncodingId.OpenSecureChannelRequest);
  requestHeader(writer, options);
  writer
    .uint32(0) // clientProtocolVersion
    .uint32(0) // requestType: Issue
    .uint32(1) // securityMode: None
    .byteString(null) // clientNonce
    .uint32(options.requestedLifetimeMs);
  return withHeader("OPN", "F", writer.toBuffer());
}

interface SymmetricOptions extends RequestHeaderOptions {
  channelId: number;
  tokenId: number;
  sequenceNumber: number;
  requestId: number;
}

function symmetricWriter(options: SymmetricOptions, encodingId: number) {
  const writer = new UaWriter()
    .uint32(options.channelId)
    .uint32(options.tokenId)
    .uint32(options.sequenceNumber)
    .uint32(options.requestId)
    .numericNodeId(encodingId);
  requestHeader(writer, options);
  return writer;
}

/** GetEndpoints for the URL the probe connected to, every locale and every transport profile. */
export function encodeGetEndpoints(
  options: SymmetricOptions & { endpointUrl: string },
): Buffer {
  const writer = symmetricWriter(options, EncodingId.GetEndpointsRequest)
    .string(options.endpointUrl)
    .int32(-1) // localeIds: null
    .int32(-1); // profileUris: null, all of them
  return withHeader("MSG", "F", writer.toBuffer());
}

/** CloseSecureChannel: the polite goodbye; the server answers by closing the connection. */
export function encodeCloseSecureChannel(options: SymmetricOptions): Buffer {
  return withHeader(
    "CLO",
    "F",
    symmetricWriter(options, EncodingId.CloseSecureChannelRequest).toBuffer(),
  );
}

// ---- what the server answers ----------------------------------------------------------------------------------

export function parseAcknowledge(chunk: Buffer): OpcuaAcknowledge {
  if (chunk.length < ACKNOWLEDGE_SIZE) {
    throw new OpcuaDecodeError(
      "truncated",
      `the Acknowledge is ${chunk.length} bytes long instead of ${ACKNOWLEDGE_SIZE}`,
    );
  }
  const reader = new UaReader(chunk.subarray(HEADER_SIZE));
  return {
    protocolVersion: reader.uint32(),
    receiveBufferSize: reader.uint32(),
    sendBufferSize: reader.uint32(),
    maxMessageSize: reader.uint32(),
    maxChunkCount: reader.uint32(),
  };
}

export interface OpcuaErrorMessage {
  statusCode: number;
  reason: string;
}

/** The body of an ERR message, or of an aborted ('A') chunk after its sequence header. */
export function parseErrorBody(reader: UaReader): OpcuaErrorMessage {
  const statusCode = reader.uint32("the error's status code");
  let reason = "";
  try {
    reason = reader.string("the error's reason");
  } catch (error) {
    // The status code is what matters; a server that sends it without a well-formed reason still said it.
    if (!(error instanceof OpcuaDecodeError)) throw error;
  }
  return { statusCode, reason: reason.slice(0, 500) };
}

export function parseErrorMessage(chunk: Buffer): OpcuaErrorMessage {
  return parseErrorBody(new UaReader(chunk.subarray(HEADER_SIZE)));
}

export interface SecureChunk {
  channelId: number;
  /** The TokenId of a symmetric chunk; null for an OPN chunk (asymmetric header). */
  tokenId: number | null;
  securityPolicyUri: string | null;
  sequenceNumber: number;
  requestId: number;
  body: Buffer;
}

/** Splits an OPN, MSG or CLO chunk (security None: nothing signed or encrypted) into its headers and body. */
export function parseSecureChunk(
  chunk: Buffer,
  type: MessageType,
): SecureChunk {
  const reader = new UaReader(chunk.subarray(HEADER_SIZE));
  const channelId = reader.uint32("the SecureChannelId");
  let tokenId: number | null = null;
  let securityPolicyUri: string | null = null;
  if (type === "OPN") {
    securityPolicyUri = reader.string("the SecurityPolicyUri");
    reader.byteString("the SenderCertificate");
    reader.byteString("the ReceiverCertificateThumbprint");
  } else {
    tokenId = reader.uint32("the TokenId");
  }
  const sequenceNumber = reader.uint32("the SequenceNumber");
  const requestId = reader.uint32("the RequestId");
  return {
    channelId,
    tokenId,
    securityPolicyUri,
    sequenceNumber,
    requestId,
    body: reader.bytesOf(reader.remaining, "the body"),
  };
}

interface ResponseHeader {
  /** The server's clock when it answered, ms since 1970; null when it sent none. */
  timestamp: number | null;
  requestHandle: number;
  serviceResult: number;
}

function readResponseHeader(reader: UaReader): ResponseHeader {
  const timestamp = reader.dateTime("the response's timestamp");
  const requestHandle = reader.uint32("the response's requestHandle");
  const serviceResult = reader.uint32("the response's serviceResult");
  reader.skipDiagnosticInfo();
  reader.stringArray("the response's stringTable");
  reader.skipExtensionObject("the response's additionalHeader");
  return { timestamp, requestHandle, serviceResult };
}

/** A service response: its type's encoding id and the reader positioned after its ResponseHeader. */
export type ServiceResponse =
  | { kind: "fault"; header: ResponseHeader }
  | {
      kind: "response";
      encodingId: number;
      header: ResponseHeader;
      reader: UaReader;
    };

export function readServiceResponse(body: Buffer): ServiceResponse {
  const reader = new UaReader(body);
  const type = reader.expandedNodeId("the response's type");
  if (type.namespace !== 0 || type.numeric === null) {
    throw new OpcuaDecodeError(
      "malformed",
      `the response's type ${type.text || `ns=${type.namespace}`} is not a standard OPC UA response`,
    );
  }
  const header = readResponseHeader(reader);
  if (type.numeric === EncodingId.ServiceFault)
    return { kind: "fault", header };
  return { kind: "response", encodingId: type.numeric, header, reader };
}

export interface OpenSecureChannelAnswer {
  channelId: number;
  tokenId: number;
  revisedLifetimeMs: number;
}

export function readOpenSecureChannelResponse(
  reader: UaReader,
): OpenSecureChannelAnswer {
  reader.uint32("the serverProtocolVersion");
  const channelId = reader.uint32("the security token's channelId");
  const tokenId = reader.uint32("the security token's tokenId");
  reader.dateTime("the security token's createdAt");
  const revisedLifetimeMs = reader.uint32("the security token's lifetime");
  reader.byteString("the serverNonce");
  return { channelId, tokenId, revisedLifetimeMs };
}

/** An EndpointDescription before its certificate is read as X.509. */
export interface RawEndpoint {
  endpointUrl: string;
  server: OpcuaApplication;
  serverCertificate: Buffer;
  securityModeValue: number;
  securityMode: OpcuaSecurityMode;
  securityPolicyUri: string;
  userIdentityTokens: {
    policyId: string;
    tokenType: OpcuaUserTokenType;
    tokenTypeValue: number;
    issuedTokenType: string;
    issuerEndpointUrl: string;
    securityPolicyUri: string;
  }[];
  transportProfileUri: string;
  securityLevel: number;
}

const SECURITY_MODES: Record<number, OpcuaSecurityMode> = {
  0: "invalid",
  1: "none",
  2: "sign",
  3: "sign-and-encrypt",
};
const TOKEN_TYPES: Record<number, OpcuaUserTokenType> = {
  0: "anonymous",
  1: "user-name",
  2: "certificate",
  3: "issued-token",
};
const APPLICATION_TYPES: Record<number, OpcuaApplication["applicationType"]> = {
  0: "server",
  1: "client",
  2: "client-and-server",
  3: "discovery-server",
};

/** The smallest encoded EndpointDescription: 7 strings and a ByteString, 2 arrays and 2 enums (4 bytes each),
 * the name's encoding mask and the security level. */
const MIN_ENDPOINT_BYTES = 4 * 8 + 4 * 2 + 4 * 2 + 1 + 1;
const MIN_TOKEN_POLICY_BYTES = 4 * 5;

function readApplication(reader: UaReader): OpcuaApplication {
  const applicationUri = reader.string("the server's applicationUri");
  const productUri = reader.string("the server's productUri");
  const applicationName = reader.localizedText("the server's applicationName");
  const typeValue = reader.int32("the server's applicationType");
  reader.string("the server's gatewayServerUri");
  reader.string("the server's discoveryProfileUri");
  reader.stringArray("the server's discoveryUrls");
  return {
    applicationUri,
    productUri,
    applicationName,
    applicationType: APPLICATION_TYPES[typeValue] ?? "unknown",
  };
}

function readEndpoint(reader: UaReader): RawEndpoint {
  const endpointUrl = reader.string("an endpoint's URL");
  const server = readApplication(reader);
  const serverCertificate =
    reader.byteString("an endpoint's serverCertificate") ?? Buffer.alloc(0);
  const securityModeValue = reader.int32("an endpoint's securityMode");
  const securityPolicyUri = reader.string("an endpoint's securityPolicyUri");
  const userIdentityTokens = reader.array(
    "an endpoint's userIdentityTokens",
    MIN_TOKEN_POLICY_BYTES,
    () => {
      const policyId = reader.string("a user token policy's id");
      const tokenTypeValue = reader.int32("a user token policy's type");
      return {
        policyId,
        tokenTypeValue,
        tokenType: TOKEN_TYPES[tokenTypeValue] ?? "unknown",
        issuedTokenType: reader.string("a user token policy's issuedTokenType"),
        issuerEndpointUrl: reader.string(
          "a user token policy's issuerEndpointUrl",
        ),
        securityPolicyUri: reader.string(
          "a user token policy's securityPolicyUri",
        ),
      };
    },
  );
  const transportProfileUri = reader.string(
    "an endpoint's transportProfileUri",
  );
  const securityLevel = reader.uint8("an endpoint's securityLevel");
  return {
    endpointUrl,
    server,
    serverCertificate,
    securityModeValue,
    securityMode: SECURITY_MODES[securityModeValue] ?? "unknown",
    securityPolicyUri,
    userIdentityTokens,
    transportProfileUri,
    securityLevel,
  };
}

/** The Endpoints array of a GetEndpointsResponse (the reader positioned after the ResponseHeader). */
export function readGetEndpointsResponse(reader: UaReader): RawEndpoint[] {
  return reader.array("the endpoints", MIN_ENDPOINT_BYTES, () =>
    readEndpoint(reader),
  );
}

/**
 * The certificates of a ServerCertificate field: one DER certificate, or several one after the other (OPC
 * 10000-6 §6.2.6 allows the chain there). Each must be a DER SEQUENCE with a definite length.
 */
export function splitDerCertificates(bytes: Buffer): Buffer[] {
  const certificates: Buffer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes[offset] !== 0x30 || offset + 2 > bytes.length) {
      throw new OpcuaDecodeError(
        "malformed",
        `the ServerCertificate is not DER: byte ${offset} does not start a certificate`,
      );
    }
    const first = bytes[offset + 1] ?? 0;
    let length: number;
    let headerLength: number;
    if (first < 0x80) {
      length = first;
      headerLength = 2;
    } else {
      const count = first & 0x7f;
      if (count === 0 || count > 4 || offset + 2 + count > bytes.length) {
        throw new OpcuaDecodeError(
          "malformed",
          `the ServerCertificate is not DER: a certificate at byte ${offset} has an unreadable length`,
        );
      }
      length = 0;
      for (let i = 0; i < count; i++)
        length = length * 256 + (bytes[offset + 2 + i] ?? 0);
      headerLength = 2 + count;
    }
    const end = offset + headerLength + length;
    if (end > bytes.length) {
      throw new OpcuaDecodeError(
        "truncated",
        `the ServerCertificate ends inside a certificate (byte ${offset}, ${length} bytes)`,
      );
    }
    certificates.push(bytes.subarray(offset, end));
    offset = end;
  }
  return certificates;
}
