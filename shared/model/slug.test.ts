// Slugs and certificate numbers spell people's words in ASCII the same way.
import { describe, expect, it } from "vitest";
import { slugify, toAscii, uniqueSlug } from "./slug";

describe("toAscii", () => {
  it.each([
    ["Łukasz", "Lukasz"],
    ["Győr", "Gyor"],
    ["Ștefan Muñoz", "Stefan Munoz"],
    ["Straße der Ölmühle", "Strasse der Olmuhle"],
    ["Ærø Đakovo", "AEro Dakovo"],
    ["ﬁnal cell²", "final cell2"],
  ])("spells %s as %s", (text, ascii) => {
    expect(toAscii(text)).toBe(ascii);
  });
});

describe("slugify", () => {
  it("makes lower-case ids with single hyphens, or the fallback", () => {
    expect(slugify("Győr body shop", "plan")).toBe("gyor-body-shop");
    expect(slugify("Straße der Ölmühle", "plan")).toBe("strasse-der-olmuhle");
    expect(slugify("  ---  ", "plan")).toBe("plan");
  });

  it("adds -2, -3… until the slug is free", () => {
    expect(uniqueSlug("MES", "cell", new Set(["mes", "mes-2"]))).toBe("mes-3");
  });
});
