// The OPC UA status codes (OPC 10000-4 §7.39, OPC 10000-6 §7.1.5) a server may answer the discovery channel
// with, by name and in the words of the spec, so an error in the evidence says what happened.

const STATUS_CODES: Readonly<Record<number, [string, string]>> = {
  0x80010000: ["BadUnexpectedError", "an unexpected error occurred"],
  0x80020000: ["BadInternalError", "an internal error occurred"],
  0x80030000: ["BadOutOfMemory", "not enough memory"],
  0x80040000: [
    "BadResourceUnavailable",
    "an operating system resource is not available",
  ],
  0x80050000: [
    "BadCommunicationError",
    "a low level communication error occurred",
  ],
  0x80060000: ["BadEncodingError", "encoding halted on invalid data"],
  0x80070000: ["BadDecodingError", "decoding halted on invalid data"],
  0x80080000: [
    "BadEncodingLimitsExceeded",
    "the message encoding limits were exceeded",
  ],
  0x800a0000: ["BadTimeout", "the operation timed out"],
  0x800b0000: [
    "BadServiceUnsupported",
    "the server does not support the service",
  ],
  0x800c0000: ["BadShutdown", "the server is shutting down"],
  0x800e0000: ["BadServerHalted", "the server has stopped"],
  0x80100000: ["BadTooManyOperations", "too many operations"],
  0x80120000: ["BadCertificateInvalid", "the certificate is not valid"],
  0x80130000: ["BadSecurityChecksFailed", "security checks failed"],
  0x801f0000: ["BadUserAccessDenied", "access denied"],
  0x80220000: [
    "BadSecureChannelIdInvalid",
    "the secure channel is no longer valid",
  ],
  0x80240000: ["BadNonceInvalid", "the nonce is not valid"],
  0x803d0000: ["BadNotSupported", "the operation is not supported"],
  0x80530000: ["BadRequestTypeInvalid", "the token request type is not valid"],
  0x80540000: [
    "BadSecurityModeRejected",
    "the security mode does not meet the server's requirements",
  ],
  0x80550000: [
    "BadSecurityPolicyRejected",
    "the security policy does not meet the server's requirements",
  ],
  0x80560000: ["BadTooManySessions", "the server has too many sessions"],
  0x807d0000: ["BadTcpServerTooBusy", "the server is too busy"],
  0x807e0000: [
    "BadTcpMessageTypeInvalid",
    "the message type in the header is not valid",
  ],
  0x807f0000: [
    "BadTcpSecureChannelUnknown",
    "the secure channel or token is not in use",
  ],
  0x80800000: ["BadTcpMessageTooLarge", "a message chunk is too large"],
  0x80810000: ["BadTcpNotEnoughResources", "not enough resources"],
  0x80820000: ["BadTcpInternalError", "an internal error occurred"],
  0x80830000: [
    "BadTcpEndpointUrlInvalid",
    "the server does not recognise the endpoint URL",
  ],
  0x80840000: ["BadRequestInterrupted", "the request was interrupted"],
  0x80850000: ["BadRequestTimeout", "the request timed out"],
  0x80860000: ["BadSecureChannelClosed", "the secure channel was closed"],
  0x80ac0000: ["BadConnectionRejected", "the connection was rejected"],
  0x80ad0000: ["BadDisconnect", "the server disconnected"],
  0x80ae0000: ["BadConnectionClosed", "the connection was closed"],
  0x80b70000: [
    "BadMaxConnectionsReached",
    "all available connections are in use",
  ],
  0x80b80000: ["BadRequestTooLarge", "the request is too large"],
  0x80b90000: ["BadResponseTooLarge", "the response is too large"],
  0x80be0000: [
    "BadProtocolVersionUnsupported",
    "the protocol versions are not compatible",
  ],
  0x80e40000: [
    "BadRequestNotAllowed",
    "the request does not meet the server's criteria",
  ],
  0x80e60000: [
    "BadSecurityModeInsufficient",
    "the operation is not permitted over this secure channel",
  ],
};

/** "0x80830000" */
export function statusHex(code: number): string {
  return `0x${(code >>> 0).toString(16).toUpperCase().padStart(8, "0")}`;
}

/** Bit 31 set: Bad; bit 30: Uncertain. Only the top 16 bits name the code (the rest are info bits). */
export function isBad(code: number): boolean {
  return code >>> 0 >= 0x80000000;
}

/** "BadTcpEndpointUrlInvalid", or the hex value for a code this table does not know. */
export function statusName(code: number): string {
  return STATUS_CODES[(code & 0xffff0000) >>> 0]?.[0] ?? statusHex(code);
}

/** "BadTcpEndpointUrlInvalid (0x80830000: the server does not recognise the endpoint URL)" */
export function describeStatus(code: number): string {
  const known = STATUS_CODES[(code & 0xffff0000) >>> 0];
  return known === undefined
    ? statusHex(code)
    : `${known[0]} (${statusHex(code)}: ${known[1]})`;
}
