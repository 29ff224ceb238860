import { describe, expect, it } from "vitest";
import {
  judgedAtWords,
  timeStampWords,
  validationDataWords,
  type VerifiedTimes,
} from "./verify-words";

const stamp = {
  time: "2026-03-02T15:00:04.000Z",
  tsa: "CN=Plant TSA, O=Plant",
  policy: "1.2.3.4.1",
  status: "checked" as const,
};
const stamped: VerifiedTimes = {
  checks: [{ id: "time-stamp", outcome: "pass" }],
  timeStamp: stamp,
  judgedAt: { time: stamp.time, by: "time-stamp" },
  validationData: {
    certificates: [{ subject: "CN=Ana" }, { subject: "CN=Plant CA" }],
    crls: [{ issuer: "CN=Plant CA" }],
    ignored: [],
  },
};
/** PAdES B-B, a document without a /DSS. */
const claimed: VerifiedTimes = {
  checks: [{ id: "time-stamp", outcome: "pass" }],
  timeStamp: null,
  judgedAt: { time: "2026-03-02T15:00:00.000Z", by: "signing-time" },
  validationData: null,
};
const cli = { caGiven: true, addCa: "give its CA with --ca" };

describe("what verify found about time, in words", () => {
  it("says a checked time-stamp and the time the signer was judged at", () => {
    expect(timeStampWords(stamped, cli)).toBe(
      "2026-03-02 15:00:04 UTC by CN=Plant TSA, O=Plant (policy 1.2.3.4.1): checked, its time-stamping authority chains to a CA given",
    );
    expect(judgedAtWords(stamped)).toBe(
      "2026-03-02 15:00:04 UTC, the time-stamp's time",
    );
    expect(validationDataWords(stamped)).toBe(
      "2 certificates (CN=Ana; CN=Plant CA) and 1 CRL (CN=Plant CA)",
    );
  });

  it("never says a time-stamp is checked when its authority chains to none of the CAs, or none was given", () => {
    const unchecked = {
      ...stamped,
      timeStamp: { ...stamp, status: "not-checked" as const },
    };
    expect(timeStampWords(unchecked, cli)).toBe(
      "2026-03-02 15:00:04 UTC by CN=Plant TSA, O=Plant (policy 1.2.3.4.1): NOT checked, its time-stamping authority chains to none of the CAs given (give its CA with --ca to check it)",
    );
    expect(
      timeStampWords(unchecked, {
        caGiven: false,
        addCa: "add its CA above",
      }),
    ).toMatch(
      /: NOT checked, no CA was given \(add its CA above to check it\)$/,
    );
    expect(
      timeStampWords(
        { ...stamped, timeStamp: { ...stamp, status: "invalid" } },
        cli,
      ),
    ).toMatch(/: NOT valid, see the time-stamp check$/);
  });

  it("says the laptop's clock when there is no time-stamp, and a token that failed", () => {
    expect(timeStampWords(claimed, cli)).toBe(
      "none: only the signer's laptop clock says when it was signed",
    );
    expect(judgedAtWords(claimed)).toBe(
      "2026-03-02 15:00 UTC, the signing time by the signer's laptop clock",
    );
    expect(validationDataWords(claimed)).toBe(
      "nothing: the document has no /DSS",
    );
    expect(
      timeStampWords(
        { ...claimed, checks: [{ id: "time-stamp", outcome: "fail" }] },
        cli,
      ),
    ).toBe("NOT valid: see the time-stamp check");
    expect(judgedAtWords({ ...claimed, judgedAt: null })).toBeNull();
  });
});
