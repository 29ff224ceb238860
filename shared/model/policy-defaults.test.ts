import { describe, expect, it } from "vitest";
import { Policy } from "./plan";
import { DEFAULT_POLICY } from "./policy-defaults";

describe("the default policy", () => {
  it("is what the plan schema gives a plan that sets nothing, field for field", () => {
    expect(DEFAULT_POLICY).toStrictEqual(Policy.parse({}));
  });

  it("passes the schema as it is", () => {
    expect(Policy.parse(DEFAULT_POLICY)).toStrictEqual(DEFAULT_POLICY);
  });
});
