import { describe, expect, it } from "vitest";
import {
  CIPHER_SUITES,
  suiteByCode,
  suiteByName,
  suiteName,
  weaknessesOf,
} from "./cipher-suites";

describe("the cipher suite registry", () => {
  it("reads each suite's parts from its IANA name", () => {
    expect(suiteByCode(0xc02f)).toMatchObject({
      name: "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      keyExchange: "ECDHE",
      authentication: "RSA",
      cipher: "AES_128_GCM",
      mac: "SHA256",
      forwardSecrecy: true,
      aead: true,
      family: "tls12",
      weaknesses: [],
    });
    expect(suiteByCode(0x1303)).toMatchObject({
      family: "tls13",
      aead: true,
      forwardSecrecy: true,
      weaknesses: [],
    });
    expect(suiteByCode(0xc0ac)).toMatchObject({
      cipher: "AES_128_CCM",
      mac: "AEAD",
      aead: true,
    });
    expect(suiteByName("TLS_DHE_PSK_WITH_AES_128_GCM_SHA256")).toMatchObject({
      keyExchange: "DHE",
      authentication: "PSK",
      forwardSecrecy: true,
    });
  });

  it("classifies by DESIGN §3", () => {
    const weak = (code: number) => suiteByCode(code)?.weaknesses;
    expect(weak(0x0001)).toEqual([
      "null",
      "md5",
      "no-forward-secrecy",
      "no-aead",
    ]);
    expect(weak(0x0003)).toEqual([
      "export",
      "rc4",
      "md5",
      "no-forward-secrecy",
      "no-aead",
    ]);
    expect(weak(0x000a)).toEqual(["3des", "no-forward-secrecy", "no-aead"]);
    expect(weak(0x0009)).toEqual(["des", "no-forward-secrecy", "no-aead"]);
    expect(weak(0x0034)).toEqual(["anonymous", "no-aead"]);
    expect(weak(0xc011)).toEqual(["rc4", "no-aead"]);
    expect(weak(0x009c)).toEqual(["no-forward-secrecy"]);
    expect(weak(0xc013)).toEqual(["no-aead"]);
    expect(weak(0x0062)).toContain("export");
  });

  it("counts the warning weaknesses only for TLS 1.2 suites", () => {
    expect(weaknessesOf(0xc013, "TLSv1.2")).toEqual(["no-aead"]);
    expect(weaknessesOf(0xc013, "TLSv1")).toEqual([]);
    expect(weaknessesOf(0x000a, "TLSv1")).toEqual(["3des"]);
    expect(weaknessesOf(0x010080, "SSLv2")).toEqual(["md5", "rc4"]);
  });

  it("has unique codes and names, and names the unknown", () => {
    expect(new Set(CIPHER_SUITES.map((s) => s.code)).size).toBe(
      CIPHER_SUITES.length,
    );
    expect(new Set(CIPHER_SUITES.map((s) => s.name)).size).toBe(
      CIPHER_SUITES.length,
    );
    expect(suiteName(0xfeed)).toBe("0xFEED (unknown)");
    expect(suiteName(0x0700c0, "SSLv2")).toBe(
      "SSL_CK_DES_192_EDE3_CBC_WITH_MD5",
    );
  });
});
