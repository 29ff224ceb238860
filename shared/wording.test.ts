import { describe, expect, it } from "vitest";
import { attestationNote, count, listing, waiverNote } from "./wording";

describe("the wording the certificate and the app share", () => {
  it("counts with the right number", () => {
    expect(count(1, "result")).toBe("1 result");
    expect(count(0, "result")).toBe("0 results");
    expect(count(2, "boundary", "boundaries")).toBe("2 boundaries");
    expect(count(1, "boundary", "boundaries")).toBe("1 boundary");
  });

  it("lists with a final 'and'", () => {
    expect(listing([])).toBe("");
    expect(listing(["a"])).toBe("a");
    expect(listing(["a", "b"])).toBe("a and b");
    expect(listing(["a", "b", "c"])).toBe("a, b and c");
  });

  it("says who waived, who approved and until when", () => {
    const waiver = {
      name: "Dana Field",
      date: "2026-03-01",
      approvedBy: "Kim Keys",
      expires: "2026-06-30",
      justification: "Replaced in May.",
    };
    expect(waiverNote(waiver)).toBe(
      "Waived by Dana Field on 2026-03-01, approved by Kim Keys until 2026-06-30: “Replaced in May.”",
    );
    expect(waiverNote(waiver, true)).toBe(
      "Waived by Dana Field on 2026-03-01, approved by Kim Keys; it expired after 2026-06-30 and waives nothing now: “Replaced in May.”",
    );
    expect(
      waiverNote({ ...waiver, approvedBy: "Dana Field", expires: undefined }),
    ).toBe(
      "Waived by Dana Field on 2026-03-01, with no end date: “Replaced in May.”",
    );
  });

  it("quotes an attestation once, whoever made it, and says when a run contradicted it", () => {
    const attestation = {
      name: "PRACTICE",
      date: "2026-12-01",
      statement: "PRACTICE: pre-attested.",
    };
    expect(attestationNote(attestation)).toBe(
      "Attested by PRACTICE on 2026-12-01: “PRACTICE: pre-attested.”",
    );
    expect(attestationNote({ ...attestation, contradictedByRun: 4 })).toMatch(
      /Run 4 measured a failure since, so it no longer counts\.$/,
    );
  });
});
