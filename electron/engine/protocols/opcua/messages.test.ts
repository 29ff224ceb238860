import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  encodeEndpoints,
  getEndpointsResponse,
  type FakeEndpoint,
} from "../../../../test/support/opcua";
import { createPracticePki } from "../../../demo/pki";
import { OpcuaDecodeError, UaReader, UaWriter } from "./binary";
import {
  encodeGetEndpoints,
  encodeHello,
  encodeOpenSecureChannel,
  EncodingId,
  HEADER_SIZE,
  parseChunkHeader,
  parseSecureChunk,
  readGetEndpointsResponse,
  readServiceResponse,
  splitDerCertificates,
} from "./messages";
import {
  effectiveTokenPolicy,
  policyName,
  policyStanding,
} from "../../../../shared/evidence/opcua-policies";
import { describeStatus, isBad, statusName } from "./status-codes";

const P = "http://opcfoundation.org/UA/SecurityPolicy#";

/** Only OpcuaDecodeError may come out of decoding hostile bytes. */
function decodeOrDecodeError(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(OpcuaDecodeError);
  }
}

describe("OPC UA binary messages", () => {
  it("writes the Hello of OPC 10000-6 §7.1.2.3", () => {
    const hello = encodeHello({
      receiveBufferSize: 65535,
      sendBufferSize: 65535,
      maxMessageSize: 4194304,
      maxChunkCount: 0,
      endpointUrl: "opc.tcp://pcs:4840/UA",
    });
    expect(hello.subarray(0, 4).toString("latin1")).toBe("HELF");
    expect(hello.readUInt32LE(4)).toBe(hello.length);
    const reader = new UaReader(hello.subarray(HEADER_SIZE));
    expect([
      reader.uint32(),
      reader.uint32(),
      reader.uint32(),
      reader.uint32(),
      reader.uint32(),
      reader.string(),
    ]).toEqual([0, 65535, 65535, 4194304, 0, "opc.tcp://pcs:4840/UA"]);
    expect(reader.remaining).toBe(0);
  });

  it("opens the secure channel with SecurityPolicy None, no certificate and a null nonce", () => {
    const open = encodeOpenSecureChannel({
      requestHandle: 1,
      now: Date.UTC(2026, 5, 1),
      timeoutHintMs: 5000,
      sequenceNumber: 1,
      requestId: 1,
      requestedLifetimeMs: 60000,
    });
    const chunk = parseSecureChunk(open, "OPN");
    expect(chunk).toMatchObject({
      channelId: 0,
      securityPolicyUri: `${P}None`,
      sequenceNumber: 1,
      requestId: 1,
    });
    const body = new UaReader(chunk.body);
    expect(body.expandedNodeId().numeric).toBe(
      EncodingId.OpenSecureChannelRequest,
    );
    // RequestHeader: null token, timestamp, handle, diagnostics, audit id, timeout hint, no additional header.
    expect(body.expandedNodeId().numeric).toBe(0);
    expect(body.dateTime()).toBe(Date.UTC(2026, 5, 1));
    expect([
      body.uint32(),
      body.uint32(),
      body.byteString(),
      body.uint32(),
    ]).toEqual([1, 0, null, 5000]);
    body.skipExtensionObject();
    // clientProtocolVersion, requestType Issue, securityMode None, clientNonce null, lifetime.
    expect([
      body.uint32(),
      body.uint32(),
      body.uint32(),
      body.byteString(),
      body.uint32(),
    ]).toEqual([0, 0, 1, null, 60000]);
    expect(body.remaining).toBe(0);
  });

  it("asks GetEndpoints for every locale and transport profile", () => {
    const request = encodeGetEndpoints({
      channelId: 5,
      tokenId: 2,
      sequenceNumber: 2,
      requestId: 2,
      requestHandle: 2,
      now: Date.now(),
      timeoutHintMs: 5000,
      endpointUrl: "opc.tcp://pcs:4840",
    });
    expect(parseChunkHeader(request)).toEqual({
      messageType: "MSG",
      chunkType: "F",
      size: request.length,
    });
    const chunk = parseSecureChunk(request, "MSG");
    expect(chunk).toMatchObject({ channelId: 5, tokenId: 2, requestId: 2 });
    const body = new UaReader(chunk.body);
    expect(body.expandedNodeId().numeric).toBe(EncodingId.GetEndpointsRequest);
    body.expandedNodeId();
    body.dateTime();
    body.uint32();
    body.uint32();
    body.string();
    body.uint32();
    body.skipExtensionObject();
    expect([body.string(), body.int32(), body.int32()]).toEqual([
      "opc.tcp://pcs:4840",
      -1,
      -1,
    ]);
  });

  it("refuses headers that are not OPC UA", () => {
    const header = (text: string, size: number): Buffer => {
      const b = Buffer.alloc(8);
      b.write(text, 0, "latin1");
      b.writeUInt32LE(size, 4);
      return b;
    };
    expect(() => parseChunkHeader(header("HTTP", 8))).toThrow(
      /"HTT" is not an OPC UA message type/,
    );
    expect(() => parseChunkHeader(header("MSGX", 8))).toThrow(/not F, C or A/);
    expect(() => parseChunkHeader(header("ACKF", 4))).toThrow(
      /smaller than its own header/,
    );
  });

  const endpointArbitrary: fc.Arbitrary<FakeEndpoint> = fc.record({
    url: fc.string({ maxLength: 40 }),
    mode: fc.integer({ min: 0, max: 4 }),
    policyUri: fc.constantFrom(
      `${P}None`,
      `${P}Basic256Sha256`,
      `${P}Basic128Rsa15`,
      "urn:other",
    ),
    certificate: fc.constant(null),
    tokens: fc.array(
      fc.record({
        policyId: fc.string({ maxLength: 10 }),
        type: fc.integer({ min: 0, max: 5 }),
        policyUri: fc.option(fc.constantFrom(`${P}None`, `${P}Basic256`), {
          nil: null,
        }),
      }),
      { maxLength: 4 },
    ),
    level: fc.integer({ min: 0, max: 255 }),
  });

  it("reads back any list of endpoints, whole or in chunks", () => {
    fc.assert(
      fc.property(
        fc.array(endpointArbitrary, { maxLength: 6 }),
        fc.integer({ min: 20, max: 400 }),
        (endpoints, chunkBody) => {
          const message = getEndpointsResponse(endpoints, { chunkBody });
          const bodies: Buffer[] = [];
          for (let offset = 0; offset < message.length;) {
            const header = parseChunkHeader(message.subarray(offset));
            bodies.push(
              parseSecureChunk(
                message.subarray(offset, offset + header.size),
                "MSG",
              ).body,
            );
            offset += header.size;
          }
          const response = readServiceResponse(Buffer.concat(bodies));
          expect(response.kind).toBe("response");
          if (response.kind !== "response") return;
          expect(response.encodingId).toBe(EncodingId.GetEndpointsResponse);
          const read = readGetEndpointsResponse(response.reader);
          expect(
            read.map((e) => ({
              url: e.endpointUrl,
              mode: e.securityModeValue,
              policyUri: e.securityPolicyUri,
              certificate: null,
              tokens: e.userIdentityTokens.map((t) => ({
                policyId: t.policyId,
                type: t.tokenTypeValue,
                policyUri:
                  t.securityPolicyUri === "" ? null : t.securityPolicyUri,
              })),
              level: e.securityLevel,
            })),
          ).toEqual(endpoints);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("turns any bytes into endpoints or an OpcuaDecodeError, never anything else", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        decodeOrDecodeError(() => {
          const response = readServiceResponse(Buffer.from(bytes));
          if (response.kind === "response")
            readGetEndpointsResponse(response.reader);
        });
        decodeOrDecodeError(() =>
          readGetEndpointsResponse(new UaReader(Buffer.from(bytes))),
        );
        decodeOrDecodeError(() => splitDerCertificates(Buffer.from(bytes)));
      }),
      { numRuns: 500 },
    );
  });

  it("survives any one byte of a real answer changed", () => {
    const real = encodeEndpoints([
      {
        url: "opc.tcp://pcs:4840",
        mode: 3,
        policyUri: `${P}Basic256Sha256`,
        certificate: Buffer.alloc(40, 0x30),
        tokens: [{ policyId: "user", type: 1, policyUri: null }],
      },
    ]);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: real.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        (index, value) => {
          const bytes = Buffer.from(real);
          bytes[index] = value;
          decodeOrDecodeError(() =>
            readGetEndpointsResponse(new UaReader(bytes)),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuses an array claiming more elements than the message holds, before allocating", () => {
    const bomb = new UaWriter().int32(0x7fffffff).toBuffer();
    expect(() => readGetEndpointsResponse(new UaReader(bomb))).toThrow(
      /claims 2147483647 elements/,
    );
    expect(() =>
      readGetEndpointsResponse(
        new UaReader(new UaWriter().int32(-5).toBuffer()),
      ),
    ).toThrow(/negative length/);
  });

  it("refuses DiagnosticInfo nested without end", () => {
    const writer = new UaWriter().numericNodeId(
      EncodingId.GetEndpointsResponse,
    );
    writer.dateTime(Date.now()).uint32(1).uint32(0);
    for (let i = 0; i < 50; i++) writer.uint8(0x40);
    expect(() => readServiceResponse(writer.toBuffer())).toThrow(
      /nested deeper than 8 levels/,
    );
  });

  it("splits a ServerCertificate holding a chain into its certificates", () => {
    const pki = createPracticePki();
    const leaf = pki.issueLeaf({ commonName: "pcs" });
    const parts = splitDerCertificates(
      Buffer.concat([leaf.der, pki.intermediate.der]),
    );
    expect(
      parts.map((p) => p.equals(leaf.der) || p.equals(pki.intermediate.der)),
    ).toEqual([true, true]);
    expect(() => splitDerCertificates(leaf.der.subarray(0, 100))).toThrow(
      /ends inside a certificate/,
    );
    expect(() => splitDerCertificates(Buffer.from("hello"))).toThrow(/not DER/);
  });
});

describe("security policies and status codes", () => {
  it("knows which policies are deprecated, current or None", () => {
    expect(policyStanding(`${P}Basic128Rsa15`)).toBe("deprecated");
    expect(policyStanding(`${P}Basic256`)).toBe("deprecated");
    expect(policyStanding(`${P}Basic256Sha256`)).toBe("current");
    expect(policyStanding(`${P}None`)).toBe("none");
    expect(policyStanding("urn:vendor:policy")).toBe("unknown");
    expect(policyName(`${P}Aes256_Sha256_RsaPss`)).toBe("Aes256_Sha256_RsaPss");
    expect(effectiveTokenPolicy("", `${P}Basic256Sha256`)).toBe(
      `${P}Basic256Sha256`,
    );
    expect(effectiveTokenPolicy(`${P}None`, `${P}Basic256Sha256`)).toBe(
      `${P}None`,
    );
  });

  it("names status codes as node-opcua does", async () => {
    process.env.NODEOPCUA_LOG_LEVEL ??= "3";
    const { StatusCodes } = await import("node-opcua-client");
    for (const code of [
      0x80830000, 0x80550000, 0x807d0000, 0x800b0000, 0x80b70000, 0x80be0000,
    ]) {
      const name = statusName(code);
      expect(
        (
          StatusCodes as unknown as Record<
            string,
            { value: number } | undefined
          >
        )[name]?.value,
        name,
      ).toBe(code);
    }
    expect(isBad(0x80830000)).toBe(true);
    expect(isBad(0)).toBe(false);
    expect(describeStatus(0x80830000)).toMatch(
      /^BadTcpEndpointUrlInvalid \(0x80830000: /,
    );
    expect(statusName(0x8fff0000)).toBe("0x8FFF0000");
  });
});
