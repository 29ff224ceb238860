import { describe, expect, it } from "vitest";
import { isIPv4 as nodeIsIPv4, isIPv6 as nodeIsIPv6 } from "node:net";
import fc from "fast-check";
import {
  addressInNetwork,
  formatHostPort,
  isCidr,
  isDnsName,
  isHost,
  isIPv4,
  isIPv6,
  parseCidr,
} from "./net";

describe("host and network validation", () => {
  it.each([
    ["10.20.0.5", true],
    ["255.255.255.255", true],
    ["256.1.1.1", false],
    ["10.20.0", false],
    ["01.2.3.4", false],
  ])("IPv4 %s → %s", (text, expected) => expect(isIPv4(text)).toBe(expected));

  it.each([
    ["::1", true],
    ["fd00::10", true],
    ["2001:db8:0:0:0:0:2:1", true],
    ["::ffff:127.0.0.1", true],
    ["1::2::3", false],
    ["12345::", false],
    ["fe80::1%eth0", false],
    ["[::1]", false],
  ])("IPv6 %s → %s", (text, expected) => expect(isIPv6(text)).toBe(expected));

  it("agrees with Node's own IPv4 and IPv6 parsers on random text", () => {
    const hexish = fc.string({
      unit: fc.constantFrom(..."0123456789abcdef:.".split("")),
      maxLength: 40,
    });
    fc.assert(
      fc.property(hexish, (text) => {
        expect(isIPv4(text)).toBe(nodeIsIPv4(text));
        expect(isIPv6(text)).toBe(nodeIsIPv6(text));
      }),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["mes01.plant.local", true],
    ["perimeter-gw", true],
    ["-bad.example", false],
    ["bad_name.example", false],
    ["1.2.3", false],
    ["a".repeat(64) + ".example", false],
  ])("DNS name %s → %s", (text, expected) =>
    expect(isDnsName(text)).toBe(expected),
  );

  it("accepts names and literals as hosts, nothing else", () => {
    expect(isHost("sql01.plant.local")).toBe(true);
    expect(isHost("fd00::5")).toBe(true);
    expect(isHost("http://sql01")).toBe(false);
    expect(isHost("")).toBe(false);
  });

  it("writes IPv6 endpoints in brackets", () => {
    expect(formatHostPort("fd00::5", 443)).toBe("[fd00::5]:443");
    expect(formatHostPort("10.0.0.1", 443)).toBe("10.0.0.1:443");
  });

  it("parses networks and tells which addresses lie in them", () => {
    expect(isCidr("10.20.0.0/24")).toBe(true);
    expect(isCidr("10.20.0.0/33")).toBe(false);
    expect(isCidr("fd00::/64")).toBe(true);
    expect(isCidr("10.20.0.0")).toBe(false);
    const lan = parseCidr("10.20.0.0/22");
    if (lan === null) throw new Error("unparsed");
    expect(addressInNetwork("10.20.3.254", lan)).toBe(true);
    expect(addressInNetwork("10.20.4.1", lan)).toBe(false);
    expect(addressInNetwork("fd00::1", lan)).toBe(false);
    const v6 = parseCidr("fd00:1::/32");
    if (v6 === null) throw new Error("unparsed");
    expect(addressInNetwork("fd00:1:ffff::9", v6)).toBe(true);
    expect(addressInNetwork("fd01::9", v6)).toBe(false);
    const all = parseCidr("0.0.0.0/0");
    if (all === null) throw new Error("unparsed");
    expect(addressInNetwork("192.0.2.1", all)).toBe(true);
  });
});
