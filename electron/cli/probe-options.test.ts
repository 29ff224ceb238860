import { describe, expect, it } from "vitest";
import { parseHostPort, parseServerName, secretFromEnv } from "./probe-options";

describe("a secret from the environment", () => {
  it("reads the variable named; one not set, or set but empty, is a sentence that says which", () => {
    const env = { P12_PASS: "s3cret", EMPTY: "" };
    expect(secretFromEnv(env, "P12_PASS", "passphrase")).toBe("s3cret");
    expect(() => secretFromEnv(env, "MISSING", "passphrase")).toThrow(
      "The passphrase is read from the environment variable MISSING, which is not set.",
    );
    expect(() => secretFromEnv(env, "EMPTY", "passphrase")).toThrow(
      "The passphrase is read from the environment variable EMPTY, which is set but empty; Cellcert takes no empty secret",
    );
  });
});

describe("HOST:PORT on the command line", () => {
  it("reads a name, an IPv4 and a bracketed IPv6 address with their ports", () => {
    expect(parseHostPort("mes01.plant.local:443")).toEqual({
      host: "mes01.plant.local",
      port: 443,
    });
    expect(parseHostPort("10.20.0.5:8443")).toEqual({
      host: "10.20.0.5",
      port: 8443,
    });
    expect(parseHostPort("[fd00::5]:443")).toEqual({
      host: "fd00::5",
      port: 443,
    });
  });

  it.each([
    [
      "127.0.0.1",
      '"127.0.0.1" has no port; give HOST:PORT, e.g. 127.0.0.1:443.',
    ],
    [
      "https://mes01.plant.local:443",
      '"https://mes01.plant.local:443" is a URL; give the endpoint as HOST:PORT, e.g. mes01.plant.local:443.',
    ],
    [
      "fd00::5",
      '"fd00::5" needs brackets: an IPv6 address goes in brackets before its port, e.g. [fd00::5]:443.',
    ],
    [
      "a b:1",
      '"a b:1" is not HOST:PORT (an IPv6 address goes in brackets: [fd00::5]:443).',
    ],
  ])("says what is wrong with %s", (text, sentence) => {
    expect(() => parseHostPort(text)).toThrow(sentence);
  });

  it("takes a DNS name or an IP address as the server name, nothing else", () => {
    expect(parseServerName("mes01.plant.local")).toBe("mes01.plant.local");
    expect(parseServerName("10.20.0.5")).toBe("10.20.0.5");
    expect(() => parseServerName("bad name!")).toThrow(
      '"bad name!" is not a server name',
    );
  });
});
