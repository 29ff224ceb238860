// `verify` of time-stamped certificates (PAdES B-T) and of their /DSS, with tokens from Cellcert's practice TSA
// code at the times each case names (OpenSSL's TSA is test/integration/timestamp.test.ts's): whom the token's
// TSA chains to, a token of another signature, a TSA certificate without timeStamping, an engineer certificate
// expired by now but valid at the time-stamp, a time-stamp after it expired, a revocation after signing.
import { beforeAll, describe, expect, it } from "vitest";
import {
  IDENTITY_MADE,
  SIGNING_TIME,
  testPki,
  type TestPki,
} from "../../../test/support/certificate-identities";
import {
  UNICODE_NAMES,
  fixturePlan,
} from "../../../test/support/certificate-plans";
import {
  crlIssuedBy,
  preparedForTimeStamp,
  signedWithToken,
  timeStampToken,
} from "../../../test/support/time-stamped";
import { PRACTICE_TSA_POLICY } from "../../demo/practice-tsa";
import {
  createCommissioningCa,
  createEngineerIdentity,
  createTimeStampingIdentity,
  type CreatedIdentity,
} from "../identity/create";
import { signPreparedPdf } from "./sign";
import {
  verifyCertificate,
  type VerifyOptions,
  type VerifyResult,
} from "./verify";

/** Four seconds after the laptop's clock signed. */
const STAMPED = new Date(SIGNING_TIME.getTime() + 4000);
/** Years later, when a customer's auditor checks the certificate. */
const YEARS_LATER = new Date("2031-01-01T00:00:00Z");

let pki: TestPki;
let tsa: CreatedIdentity;
let otherTsaCa: CreatedIdentity;
let otherTsa: CreatedIdentity;
let notTsa: CreatedIdentity;
/** An engineer certificate valid 90 days from 2026-01-01: expired since 2026-04-01. */
let shortLived: CreatedIdentity;
let prepared: Uint8Array;
let preparedShortLived: Uint8Array;
/** Signed by the engineer, time-stamped by the TSA under the engineer's own commissioning CA. */
let stamped: Uint8Array;

beforeAll(async () => {
  pki = await testPki();
  const company = UNICODE_NAMES.company;
  [tsa, otherTsaCa, notTsa, shortLived] = await Promise.all([
    createTimeStampingIdentity({
      name: "Plant TSA",
      company,
      issuer: pki.ca,
      now: IDENTITY_MADE,
    }),
    createCommissioningCa({
      company: "Plant Time Services",
      now: IDENTITY_MADE,
    }),
    createEngineerIdentity({
      name: "Not a TSA",
      company,
      issuer: pki.ca,
      now: IDENTITY_MADE,
    }),
    createEngineerIdentity({
      name: UNICODE_NAMES.engineer,
      company,
      issuer: pki.ca,
      now: IDENTITY_MADE,
      validityDays: 90,
    }),
  ]);
  otherTsa = await createTimeStampingIdentity({
    name: "Time Services TSA",
    company: "Plant Time Services",
    issuer: otherTsaCa,
    now: IDENTITY_MADE,
  });
  const plan = await fixturePlan("good");
  [prepared, preparedShortLived] = await Promise.all([
    preparedForTimeStamp(plan, pki.engineer, SIGNING_TIME),
    preparedForTimeStamp(plan, shortLived, SIGNING_TIME),
  ]);
  stamped = await signedWithToken(prepared, pki.engineer, (value) =>
    timeStampToken(value, tsa, STAMPED),
  );
}, 120_000);

const check = (result: VerifyResult, id: string) =>
  result.checks.find((c) => c.id === id);
const failed = (result: VerifyResult): string[] =>
  result.checks.filter((c) => c.outcome === "fail").map((c) => c.id);
const withCa = (...cas: CreatedIdentity[]): VerifyOptions => ({
  caPems: cas.map((ca) => ca.certificatePem),
});

describe("the signature's time-stamp", () => {
  it("checks a token whose TSA chains to the given CA, and judges the signer at its time", async () => {
    const result = await verifyCertificate(stamped, withCa(pki.ca));
    expect(result.status).toBe("valid");
    expect(failed(result)).toEqual([]);
    expect(check(result, "time-stamp")?.outcome).toBe("pass");
    expect(check(result, "time-stamp")?.message).toMatch(
      /^Time-stamped 2026-03-02 15:00:04 UTC by CN=Plant TSA, O=Muñoz Automatización S\.L\. \(policy 1\.3\.6\.1\.4\.1\.32473\.1\.3161, serial [0-9A-F]{32}\), which chains to the trusted CA CN=Muñoz Automatización S\.L\. Commissioning CA, O=Muñoz Automatización S\.L\., C=ES: the signer is judged at the time-stamp's time\. Its imprint is the signature value's, and its signature, ESS signing-certificate and timeStamping usage hold\. The signer's laptop clock said 2026-03-02 15:00:00 UTC \(\/M\), 4 seconds before\.$/,
    );
    expect(result.timeStamp).toMatchObject({
      time: "2026-03-02T15:00:04.000Z",
      tsa: "CN=Plant TSA, O=Muñoz Automatización S.L.",
      tsaIssuer:
        "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
      policy: PRACTICE_TSA_POLICY,
      status: "checked",
    });
    expect(result.judgedAt).toEqual({
      time: "2026-03-02T15:00:04.000Z",
      by: "time-stamp",
    });
    // /M stays what the laptop's clock said.
    expect(result.signingTime).toBe("2026-03-02T15:00:00.000Z");
    expect(check(result, "certificate-validity")?.message).toBe(
      "The signer's certificate was valid at the time-stamp's time 2026-03-02 15:00 UTC (2025-12-31 to 2028-12-31).",
    );
  });

  it("says 'time-stamp not checked' for a TSA under none of the given CAs, judges the signer at /M, and the answer stays the same", async () => {
    const document = await signedWithToken(prepared, pki.engineer, (value) =>
      timeStampToken(value, otherTsa, STAMPED),
    );
    const result = await verifyCertificate(document, withCa(pki.ca));
    expect(result.status).toBe("valid");
    expect(check(result, "time-stamp")).toMatchObject({
      outcome: "skipped",
      message: expect.stringMatching(
        /^Time-stamp NOT checked: Time-stamped 2026-03-02 15:00:04 UTC by CN=Time Services TSA, O=Plant Time Services \(policy [\d.]+, serial [0-9A-F]+\), but the time-stamping authority chains to none of the given CAs \(.*CN=Plant Time Services Commissioning CA.*\), so the signer is judged at the signing time \/M, 2026-03-02 15:00 UTC, which is only the signer's laptop clock\. Give the TSA's CA too to check it\.$/,
      ) as unknown,
    });
    expect(result.timeStamp?.status).toBe("not-checked");
    expect(result.judgedAt).toEqual({
      time: "2026-03-02T15:00:00.000Z",
      by: "signing-time",
    });
    // Given the TSA's CA too, it is checked.
    const both = await verifyCertificate(document, withCa(pki.ca, otherTsaCa));
    expect(both.status).toBe("valid");
    expect(both.timeStamp?.status).toBe("checked");
    expect(both.judgedAt?.by).toBe("time-stamp");
    // Without any CA: intact, neither the signer nor the time-stamp checked.
    const none = await verifyCertificate(document);
    expect(none.status).toBe("signer-not-checked");
    expect(check(none, "time-stamp")?.message).toMatch(
      /^Time-stamp NOT checked: .*, but no CA was given to check the time-stamping authority against, so the signer is judged at the signing time \/M, 2026-03-02 15:00 UTC, which is only the signer's laptop clock; add the time-stamping authority's CA to the CAs given to check it\.$/,
    );
  });

  it("finds a token made over another signature value: invalid, with or without the CA", async () => {
    const document = await signedWithToken(prepared, pki.engineer, () =>
      timeStampToken(Buffer.from("another signature value"), tsa, STAMPED),
    );
    for (const options of [withCa(pki.ca), {}]) {
      const result = await verifyCertificate(document, options);
      expect(result.status).toBe("invalid");
      expect(failed(result)).toEqual(["time-stamp"]);
      expect(check(result, "time-stamp")?.message).toBe(
        "The signature's time-stamp is not of this signature: its message imprint is not the hash of the signature value, so it was made for another signature or changed.",
      );
      expect(result.judgedAt?.by).toBe("signing-time");
    }
  });

  it("finds a token whose TSA certificate lacks timeStamping: invalid, with or without the CA", async () => {
    const document = await signedWithToken(prepared, pki.engineer, (value) =>
      timeStampToken(value, notTsa, STAMPED),
    );
    for (const options of [withCa(pki.ca), {}]) {
      const result = await verifyCertificate(document, options);
      expect(result.status).toBe("invalid");
      expect(failed(result)).toEqual(["time-stamp"]);
      expect(check(result, "time-stamp")?.message).toBe(
        "The signature's time-stamp does not hold: it is a time-stamp signed by CN=Not a TSA, O=Muñoz Automatización S.L., whose certificate does not have the extended key usage timeStamping (it has emailProtection); RFC 3161 requires it of a TSA.",
      );
    }
  });

  it("takes a token that is not one (not even DER) as none, and says so: unsigned, anyone could strip it", async () => {
    const document = await signedWithToken(prepared, pki.engineer, () =>
      // BER's indefinite length, as some signers write it, then anything.
      Buffer.concat([Buffer.from([0x30, 0x80]), Buffer.from("not a token")]),
    );
    const result = await verifyCertificate(document, withCa(pki.ca));
    expect(result.status).toBe("valid");
    expect(check(result, "time-stamp")).toEqual({
      id: "time-stamp",
      outcome: "skipped",
      message:
        "The signature carries a time-stamp token Cellcert cannot read (indefinite length (BER), not DER): it is not taken into account, and the signer is judged at the signing time /M, 2026-03-02 15:00 UTC, which is only the signer's laptop clock.",
    });
    expect(result.timeStamp).toBeNull();
    expect(result.judgedAt?.by).toBe("signing-time");
  });

  it("reads a token without certificates as not checked: nothing to check its signature with", async () => {
    const document = await signedWithToken(prepared, pki.engineer, (value) =>
      timeStampToken(value, tsa, STAMPED, "no-certificate"),
    );
    const result = await verifyCertificate(document, withCa(pki.ca));
    expect(result.status).toBe("valid");
    expect(check(result, "time-stamp")?.message).toMatch(
      /^Time-stamp NOT checked: its token does not carry the time-stamping authority's certificate/,
    );
    expect(result.judgedAt?.by).toBe("signing-time");
  });
});

describe("years later", () => {
  it("verifies an engineer certificate expired by now but valid at the time-stamp, with the CA alone", async () => {
    const document = await signedWithToken(
      preparedShortLived,
      shortLived,
      (value) => timeStampToken(value, tsa, STAMPED),
    );
    const result = await verifyCertificate(document, {
      ...withCa(pki.ca),
      now: YEARS_LATER,
    });
    expect(result.status).toBe("valid");
    expect(failed(result)).toEqual([]);
    expect(result.signer?.notAfter.slice(0, 10)).toBe("2026-04-01");
    expect(check(result, "certificate-validity")?.message).toBe(
      "The signer's certificate was valid at the time-stamp's time 2026-03-02 15:00 UTC (2025-12-31 to 2026-04-01). It has expired since (on 2026-04-01), which does not matter: the time-stamp proves it signed while the certificate was valid.",
    );
    expect(result.validationData?.certificates.map((c) => c.subject)).toEqual([
      "CN=Łukasz Nowak, O=Muñoz Automatización S.L.",
      "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
    ]);
  });

  it("finds a time-stamp made after the engineer's certificate expired, though /M claims a time inside its validity", async () => {
    const late = new Date("2026-06-01T08:00:00Z");
    const document = await signedWithToken(
      preparedShortLived,
      shortLived,
      (value) => timeStampToken(value, tsa, late),
    );
    const result = await verifyCertificate(document, withCa(pki.ca));
    expect(result.status).toBe("invalid");
    expect(failed(result)).toContain("certificate-validity");
    expect(check(result, "certificate-validity")?.message).toMatch(
      /^The signer's certificate was not valid at the time-stamp's time 2026-06-01 08:00 UTC \(valid .* to 2026-04-01T/,
    );
    // Without the time-stamp only the laptop's clock speaks, and it says 2026-03-02: judged there, and said so.
    const claimed = await verifyCertificate(
      signPreparedPdf(preparedShortLived, shortLived),
      { ...withCa(pki.ca), now: YEARS_LATER },
    );
    expect(claimed.status).toBe("valid");
    expect(check(claimed, "certificate-validity")?.message).toBe(
      "The signer's certificate was valid at the signing time /M, 2026-03-02 15:00 UTC, which is only the signer's laptop clock (2025-12-31 to 2026-04-01). It has expired since (on 2026-04-01): only the signer's laptop clock says it signed before that; a time-stamp would prove it.",
    );
  });

  it("keeps a certificate revoked after its time-stamp valid at that time; without a time-stamp the same CRL makes it invalid", async () => {
    const crl = (revokedAt: Date) =>
      crlIssuedBy(
        pki.ca,
        [
          {
            certificatePem: pki.engineer.certificatePem,
            revokedAt,
            reason: "keyCompromise",
          },
        ],
        {
          thisUpdate: new Date("2026-05-02T00:00:00Z"),
          nextUpdate: new Date("2026-06-01T00:00:00Z"),
        },
      ).pem;
    const after = {
      ...withCa(pki.ca),
      crlPems: [crl(new Date("2026-05-01T00:00:00Z"))],
    };
    const result = await verifyCertificate(stamped, after);
    expect(result.status).toBe("valid");
    expect(check(result, "chain")?.message).toMatch(
      /Not revoked at the time-stamp's time: CRL of CN=Muñoz Automatización S\.L\. Commissioning CA.*; revoked there on 2026-05-01 \(reason: keyCompromise\), after 2026-03-02 15:00 UTC, when it was still good\.$/,
    );
    const unstamped = signPreparedPdf(prepared, pki.engineer);
    const claimed = await verifyCertificate(unstamped, after);
    expect(claimed.status).toBe("invalid");
    expect(failed(claimed)).toEqual(["chain"]);
    expect(check(claimed, "chain")?.message).toMatch(
      /was revoked on 2026-05-01 \(reason: keyCompromise\)/,
    );
    // Revoked before the time-stamp: invalid.
    const before = await verifyCertificate(stamped, {
      ...withCa(pki.ca),
      crlPems: [crl(new Date("2026-03-01T00:00:00Z"))],
    });
    expect(before.status).toBe("invalid");
    expect(failed(before)).toEqual(["chain"]);
  });
});

describe("the /DSS", () => {
  it("shows the plan's CRLs kept in the signed revision and checks the signer's path with them", async () => {
    const good = await fixturePlan("good");
    const revoking = crlIssuedBy(
      pki.ca,
      [
        {
          certificatePem: pki.engineer.certificatePem,
          revokedAt: new Date("2026-02-01T00:00:00Z"),
        },
      ],
      {
        thisUpdate: new Date("2026-02-02T00:00:00Z"),
        nextUpdate: new Date("2026-04-01T00:00:00Z"),
      },
    );
    const plan = {
      ...good,
      crls: [
        {
          id: "commissioning-ca",
          name: "commissioning-ca.crl",
          pem: revoking.pem,
          issuer: "CN=Muñoz Automatización S.L. Commissioning CA",
          thisUpdate: "2026-02-02T00:00:00.000Z",
          nextUpdate: "2026-04-01T00:00:00.000Z",
          entries: 1,
        },
      ],
    };
    const document = signPreparedPdf(
      await preparedForTimeStamp(plan, pki.engineer, SIGNING_TIME),
      pki.engineer,
    );
    // No --crl: the CRL comes from the document itself.
    const result = await verifyCertificate(document, withCa(pki.ca));
    expect(result.validationData?.crls).toEqual([
      {
        issuer:
          "CN=Muñoz Automatización S.L. Commissioning CA, O=Muñoz Automatización S.L., C=ES",
        thisUpdate: "2026-02-02T00:00:00.000Z",
        nextUpdate: "2026-04-01T00:00:00.000Z",
        entries: 1,
      },
    ]);
    expect(check(result, "dss")?.message).toMatch(
      /^The signed revision keeps validation data \(\/DSS\) for verification years later: 2 certificates \(CN=Łukasz Nowak, .*\) and 1 CRL \(of CN=Muñoz Automatización S\.L\. Commissioning CA, .*, 1 revoked, next update 2026-04-01\); the paths are validated with them\.$/,
    );
    expect(result.status).toBe("invalid");
    expect(failed(result)).toEqual(["chain"]);
    expect(check(result, "chain")?.message).toMatch(
      /was revoked on 2026-02-01/,
    );
  });
});
