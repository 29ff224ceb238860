import { describe, expect, it } from "vitest";
import { notTested, outcome, type CheckOutcome } from "./outcome";
import {
  applyPrerequisites,
  PREREQUISITE_FAILED,
  prerequisiteFailed,
} from "./prerequisites";

const pass = (id: string): CheckOutcome => outcome(id, "pass", `${id} passed`);
const fail = (id: string): CheckOutcome => outcome(id, "fail", `${id} failed`);

/** Each row: the outcomes in catalog order, the checks that failed for want of their subject, what is kept. */
const rows: [
  name: string,
  outcomes: CheckOutcome[],
  absent: string[],
  expected: (string | [string, string])[],
][] = [
  [
    "a hard prerequisite that failed blocks its dependents, naming it",
    [
      fail("APP-DB.tds.encryption"),
      fail("APP-DB.tds.cert"),
      pass("APP-DB.sql.auth"),
    ],
    [],
    [
      "fail",
      ["not-tested", "APP-DB.tds.encryption"],
      ["not-tested", "APP-DB.tds.encryption"],
    ],
  ],
  [
    "a prerequisite that passed blocks nothing",
    [
      pass("APP-DB.tds.encryption"),
      fail("APP-DB.tds.cert"),
      pass("APP-DB.tds.protocol"),
    ],
    [],
    ["pass", "fail", "pass"],
  ],
  [
    "a measured failure of a presence prerequisite blocks nothing (TLS 1.0 accepted)",
    [
      fail("PER-MES.tls.protocol"),
      pass("PER-MES.tls.suites"),
      pass("PER-MES.cert.chain"),
    ],
    [],
    ["fail", "pass", "pass"],
  ],
  [
    "a presence prerequisite that failed for want of its subject blocks (no TLS)",
    [
      fail("PER-MES.tls.protocol"),
      pass("PER-MES.tls.suites"),
      pass("PER-MES.cert.chain"),
      pass("PER-MES.cert.name"),
    ],
    ["PER-MES.tls.protocol"],
    [
      "fail",
      ["not-tested", "PER-MES.tls.protocol"],
      ["not-tested", "PER-MES.tls.protocol"],
      ["not-tested", "PER-MES.tls.protocol"],
    ],
  ],
  [
    "a chain too large to read blocks the other certificate aspects, not the suites",
    [
      pass("IIS-BIND.tls.protocol"),
      pass("IIS-BIND.tls.suites"),
      fail("IIS-BIND.cert.chain"),
      pass("IIS-BIND.cert.validity"),
    ],
    ["IIS-BIND.cert.chain"],
    ["pass", "pass", "fail", ["not-tested", "IIS-BIND.cert.chain"]],
  ],
  [
    "a check not judged for a failed prerequisite passes the failed one on",
    [
      fail("ENT-PER.reach"),
      fail("ENT-PER.tls.protocol"),
      pass("ENT-PER.cert.chain"),
    ],
    ["ENT-PER.tls.protocol"],
    ["fail", ["not-tested", "ENT-PER.reach"], ["not-tested", "ENT-PER.reach"]],
  ],
  [
    "a check with no prerequisite is kept as judged",
    [fail("MES-PCS.opcua.mode"), fail("MES-PCS.opcua.anonymous")],
    [],
    ["fail", "fail"],
  ],
];

describe("prerequisites (DESIGN §2: one fault, one failing check)", () => {
  it.each(rows)("%s", (_name, outcomes, absent, expected) => {
    const applied = applyPrerequisites(outcomes, { absent });
    expect(
      applied.map((o) =>
        o.reason === PREREQUISITE_FAILED
          ? [o.verdict, /Not judged: (\S+) failed/.exec(o.message)?.[1]]
          : o.verdict,
      ),
    ).toEqual(expected);
  });

  it("reads what was decided before on the endpoint, and adds to it", () => {
    const before = new Map([
      ["APP-EXT.secure-protocol", fail("APP-EXT.secure-protocol")],
    ]);
    const [protocol] = applyPrerequisites([pass("APP-EXT.tls.protocol")], {
      before,
    });
    expect(protocol).toEqual(
      prerequisiteFailed("APP-EXT.tls.protocol", "APP-EXT.secure-protocol"),
    );
    expect(before.get("APP-EXT.tls.protocol")).toEqual(protocol);
  });

  it("says it in one sentence, with one reason", () => {
    expect(prerequisiteFailed("APP-DB.sql.auth", "APP-DB.tds.cert")).toEqual(
      notTested(
        "APP-DB.sql.auth",
        "prerequisite failed",
        "Not judged: APP-DB.tds.cert failed on this endpoint, and this check builds on it.",
      ),
    );
  });
});
