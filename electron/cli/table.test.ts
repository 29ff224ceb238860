import { describe, expect, it } from "vitest";
import { wrap } from "./table";

describe("wrapping a table cell", () => {
  it("wraps at spaces", () => {
    expect(wrap("the denied port is reachable", 12)).toEqual([
      "the denied",
      "port is",
      "reachable",
    ]);
  });

  it("cuts a long fingerprint between its bytes, never inside one", () => {
    const fingerprint =
      "9F:9D:6C:36:A4:C2:25:D9:ED:9C:33:54:0E:56:DF:33:60:7E:75:8D:BA:BE:0B:57";
    const lines = wrap(fingerprint, 20);
    expect(lines.join("")).toBe(fingerprint);
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/:$/);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(20);
  });

  it("cuts at the width a word with nothing to break at", () => {
    expect(wrap("x".repeat(25), 10)).toEqual([
      "x".repeat(10),
      "x".repeat(10),
      "x".repeat(5),
    ]);
  });
});
