import { describe, expect, it } from "vitest";
import { secretFromEnv } from "./probe-options";

describe("a secret from the environment", () => {
  it("reads the variable named, an empty value included; a variable that is not set is a sentence", () => {
    const env = { P12_PASS: "s3cret", EMPTY: "" };
    expect(secretFromEnv(env, "P12_PASS", "passphrase")).toBe("s3cret");
    // A PKCS#12 file exported without a passphrase opens with "".
    expect(secretFromEnv(env, "EMPTY", "passphrase")).toBe("");
    expect(() => secretFromEnv(env, "MISSING", "passphrase")).toThrow(
      "The passphrase is read from the environment variable MISSING, which is not set.",
    );
  });
});
