import { X509Certificate, randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { timeStampReply } from "../../demo/practice-tsa";
import {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
  type CreatedIdentity,
} from "../identity/create";
import { readSignedData } from "./cms-reader";
import { readDer } from "./der";
import {
  TimeStampTokenError,
  checkTimeStampToken,
  readTimeStampReply,
  signatureImprint,
  timeStampRequest,
  tsaCertificateProblem,
} from "./timestamp-token";

const NOW = new Date("2026-12-01T12:00:00Z");
let tsa: CreatedIdentity;
let engineer: X509Certificate;
/** An engineer whose certificate becomes valid ten days after NOW. */
let laterEngineer: X509Certificate;

beforeAll(async () => {
  const ca = await createCommissioningCa({ company: "Token Test", now: NOW });
  tsa = await createTimeStampingIdentity({
    name: "Token Test TSA",
    company: "Token Test",
    issuer: ca,
    now: NOW,
  });
  engineer = new X509Certificate(
    (await createEngineerIdentity({ name: "Ana", issuer: ca, now: NOW }))
      .certificatePem,
  );
  laterEngineer = new X509Certificate(
    (
      await createEngineerIdentity({
        name: "Ana",
        issuer: ca,
        now: new Date(NOW.getTime() + 10 * 86_400_000),
      })
    ).certificatePem,
  );
});

function ask(signatureValue = randomBytes(384)) {
  const imprint = signatureImprint(signatureValue);
  const nonce = Buffer.from("4a1b2c3d4e5f6071", "hex");
  return { imprint, nonce, query: timeStampRequest(imprint, nonce) };
}

function token(query: Uint8Array, fault?: "no-certificate"): Uint8Array {
  const reply = readTimeStampReply(
    timeStampReply(query, {
      identity: tsa,
      now: () => NOW,
      ...(fault !== undefined && { fault }),
    }),
  );
  if (!reply.granted) throw new Error(reply.refusal);
  return reply.token;
}

describe("time-stamp tokens", () => {
  it("reads a granted token: time, policy, serial and the TSA's certificate", () => {
    const { imprint, nonce, query } = ask();
    const reading = checkTimeStampToken(token(query), {
      imprint,
      nonce,
      now: NOW,
      signerCertificate: engineer,
    });
    expect(reading.genTime.toISOString()).toBe("2026-12-01T12:00:00.000Z");
    expect(reading.policy).toBe("1.3.6.1.4.1.32473.1.3161");
    expect(reading.serialNumber).toMatch(/^[0-9A-F]{32}$/);
    expect(reading.tsaName).toBe("CN=Token Test TSA, O=Token Test");
  });

  it("reads a refusal with its words and failure bits", () => {
    const { query } = ask();
    const reply = readTimeStampReply(
      timeStampReply(query, { identity: tsa, fault: "reject" }),
    );
    expect(reply).toEqual({
      granted: false,
      refusal:
        "rejection: PRACTICE: this time-stamping authority refuses; failInfo badRequest",
    });
    expect(() => readTimeStampReply(Buffer.from("<html>nope</html>"))).toThrow(
      /not a TimeStampResp|ASN\.1/,
    );
  });

  const problem = (
    change: (parts: {
      token: Buffer;
      expected: Parameters<typeof checkTimeStampToken>[1];
    }) => void,
    fault?: "no-certificate",
  ): string => {
    const { imprint, nonce, query } = ask();
    const parts = {
      token: Buffer.from(token(query, fault)),
      expected: { imprint, nonce, now: NOW, signerCertificate: engineer },
    };
    change(parts);
    try {
      checkTimeStampToken(parts.token, parts.expected);
    } catch (error) {
      if (error instanceof TimeStampTokenError) return error.message;
      throw error;
    }
    return "accepted";
  };

  it.each<[string, Parameters<typeof problem>[0], RegExp]>([
    ["as asked", () => undefined, /^accepted$/],
    [
      "another imprint",
      ({ expected }) => {
        expected.imprint = signatureImprint(Buffer.from("other"));
      },
      /^over another hash than the signature's/,
    ],
    [
      "another nonce",
      ({ expected }) => {
        expected.nonce = Buffer.from("01", "hex");
      },
      /^for another request/,
    ],
    [
      "its TSTInfo changed after signing",
      ({ token }) => {
        // One byte of its serial number.
        const content = readSignedData(token).encapsulated?.content;
        if (content === undefined) throw new Error("no TSTInfo");
        const serial = readDer(content).children[3];
        const at = token.indexOf(content) + (serial?.contentStart ?? 0) + 3;
        token[at] = (token[at] ?? 0) ^ 0x01;
      },
      /^whose signed message digest does not match its TSTInfo$/,
    ],
    [
      "a signature of other bytes",
      ({ token }) => {
        const cms = readSignedData(token);
        const at = token.indexOf(cms.signature);
        token[at + 10] = (token[at + 10] ?? 0) ^ 0x01;
      },
      /^whose signature does not verify with the certificate it carries \(CN=Token Test TSA, O=Token Test\)/,
    ],
    [
      "the laptop's clock two days behind",
      ({ expected }) => {
        expected.now = new Date(NOW.getTime() - 2 * 86_400_000);
      },
      /^dated 2026-12-01 12:00 UTC, 2 days ahead of this laptop's clock \(2026-11-29 12:00 UTC\)/,
    ],
    [
      "the engineer's certificate not yet valid then",
      ({ expected }) => {
        expected.signerCertificate = laterEngineer;
      },
      /^dated 2026-12-01 12:00 UTC, when the engineer's certificate was not valid \(2026-12-11 11:55 UTC to /,
    ],
    [
      "bytes after the token",
      (parts) => {
        parts.token = Buffer.concat([parts.token, Buffer.from([0])]);
      },
      /^token Cellcert cannot read \(bytes follow the token\)/,
    ],
  ])("%s", (_name, change, expected) => {
    expect(problem(change)).toMatch(expected);
  });

  it("wants the TSA's certificate in the token", () => {
    expect(problem(() => undefined, "no-certificate")).toMatch(
      /^without the TSA's own certificate, which Cellcert asks for \(certReq\)/,
    );
  });

  it("wants timeStamping alone and critical of a TSA certificate", () => {
    expect(
      tsaCertificateProblem(new X509Certificate(tsa.certificatePem)),
    ).toBeNull();
    expect(tsaCertificateProblem(engineer)).toBe(
      "whose certificate does not have the extended key usage timeStamping (it has emailProtection); RFC 3161 requires it of a TSA",
    );
  });
});
