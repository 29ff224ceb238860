import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CONTENT_SECURITY_POLICY,
  cspMetaProblem,
  META_CONTENT_SECURITY_POLICY,
  withoutCspMeta,
} from "./renderer-files";

const indexHtml = readFileSync("renderer/index.html", "utf8");

describe("the renderer's Content Security Policy", () => {
  it("is said by index.html's meta tag as the header says it, less what only a header may carry", () => {
    expect(cspMetaProblem(indexHtml)).toBeNull();
    expect(`${META_CONTENT_SECURITY_POLICY}; frame-ancestors 'none'`).toBe(
      CONTENT_SECURITY_POLICY,
    );
    expect(META_CONTENT_SECURITY_POLICY).not.toMatch(
      /frame-ancestors|unsafe|\*/,
    );
  });

  it("refuses a page whose meta tag differs from it, is missing or is doubled, saying what it should read", () => {
    const loosened = indexHtml.replace("script-src 'self'", "script-src *");
    expect(cspMetaProblem(loosened)).toMatch(
      /^index\.html's Content-Security-Policy meta tag differs from the policy in electron\/engine\/renderer-files\.ts\. It should read: <meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self';/,
    );
    expect(cspMetaProblem(withoutCspMeta(indexHtml))).toMatch(
      /^index\.html has 0 Content-Security-Policy meta tags, not one\./,
    );
    const tag = /<meta\s+http-equiv[^>]*>/.exec(indexHtml)![0];
    expect(cspMetaProblem(indexHtml.replace(tag, tag + tag))).toMatch(
      /^index\.html has 2 Content-Security-Policy meta tags/,
    );
  });
});
