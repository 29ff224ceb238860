import { describe, expect, it } from "vitest";
import { visibleText } from "./visible-text";

describe("visibleText", () => {
  it.each([
    [
      "bidi override and pop",
      "CN=abc\u202Egnp.exe\u202C",
      "CN=abc\\u202Egnp.exe\\u202C",
    ],
    [
      "every embedding and override",
      "\u202A\u202B\u202C\u202D\u202E",
      "\\u202A\\u202B\\u202C\\u202D\\u202E",
    ],
    [
      "isolates",
      "\u2066a\u2067b\u2068c\u2069",
      "\\u2066a\\u2067b\\u2068c\\u2069",
    ],
    [
      "marks and zero-width characters",
      "a\u200Eb\u200Fc\u200Bd\uFEFF",
      "a\\u200Eb\\u200Fc\\u200Bd\\uFEFF",
    ],
    ["the soft hyphen", "mes\u00ADsite", "mes\\u00ADsite"],
    [
      "C0 controls, the terminal's escape among them",
      "\u001b[31mred\u0007\r\n\t",
      "\\u001B[31mred\\u0007\\u000D\\u000A\\u0009",
    ],
    ["DEL and C1 controls", "\u007f\u0085\u009b", "\\u007F\\u0085\\u009B"],
    ["line and paragraph separators", "a\u2028b\u2029c", "a\\u2028b\\u2029c"],
    ["a tag character outside the BMP", "x\u{E0041}y", "x\\uDB40\\uDC41y"],
    ["a lone surrogate", "a\uD800b", "a\\uD800b"],
  ])("escapes %s", (_, text, shown) => {
    expect(visibleText(text)).toBe(shown);
  });

  it("leaves ordinary text alone, whatever its script or symbols", () => {
    const text = "Zürich · 東京 · Москва → mes01 — 20 % ✓ ⚑ “quoted” é";
    expect(visibleText(text)).toBe(text);
  });

  it("keeps the line breaks the caller asks for", () => {
    expect(visibleText("one\ntwo\r\n", { keep: "\n" })).toBe(
      "one\ntwo\\u000D\n",
    );
  });

  it("gives a valid JSON string escape that decodes to the same text", () => {
    const value = { subject: "CN=\u202Eevil\u202C\u0085" };
    const printed = visibleText(JSON.stringify(value, null, 2), { keep: "\n" });
    expect(printed).not.toMatch(/[\u202A-\u202E\u0085]/);
    expect(JSON.parse(printed)).toEqual(value);
  });
});
