import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parsePlanJson, parsePlanText, type PlanParse } from "./parse-plan";
import { PLAN_SCHEMA_VERSION } from "./plan";
import { serializePlan } from "./serialize";

const TEMPLATE_PATH = "resources/templates/reference-plant.cellcert.json";
const templateText = readFileSync(TEMPLATE_PATH, "utf8");
const template = JSON.parse(templateText) as Record<string, unknown> & {
  endpoints: Record<string, unknown>[];
  cells: Record<string, unknown>[];
};

function problems(parse: PlanParse): string[] {
  return parse.ok ? [] : parse.problems.map((p) => `${p.pointer}: ${p.reason}`);
}

function withChange(change: (plan: typeof template) => void): PlanParse {
  const plan = structuredClone(template);
  change(plan);
  return parsePlanJson(plan);
}

describe("the reference template", () => {
  it("is a valid plan with the seven cells, the eight boundaries and the five vantages", () => {
    const parsed = parsePlanText(templateText);
    if (!parsed.ok) throw new Error(problems(parsed).join("\n"));
    expect(parsed.plan.cells.map((c) => c.kind)).toEqual([
      "enterprise",
      "perimeter",
      "mes",
      "process-control",
      "database",
      "external",
      "remote-site",
    ]);
    expect(parsed.plan.boundaries.map((b) => b.id)).toEqual([
      "ENT-PER",
      "PER-MES",
      "IIS-BIND",
      "MES-PCS",
      "MES-CELL",
      "APP-DB",
      "APP-EXT",
      "REMOTE",
    ]);
    expect(parsed.plan.vantages.map((v) => v.id)).toEqual([
      "enterprise",
      "perimeter",
      "mes",
      "remote-site",
      "remote-site-no-vpn",
    ]);
    expect(parsed.plan.endpoints.every((e) => e.placeholder)).toBe(true);
    expect(new Set(parsed.plan.endpoints.map((e) => e.boundary)).size).toBe(8);
  });

  it("is stored exactly as Cellcert writes plans (canonical key order, defaults filled in)", () => {
    expect(serializePlan(template as never)).toBe(templateText);
  });
});

describe("reading plans", () => {
  it("names the field and the reason for wrong types, unknown kinds and ports out of range", () => {
    expect(
      problems(withChange((p) => void (p.endpoints[0]!.port = 70000))),
    ).toEqual(["/endpoints/0/port: a port is 1 to 65535"]);
    expect(
      problems(withChange((p) => void (p.endpoints[1]!.kind = "telnet")))[0],
    ).toMatch(/^\/endpoints\/1\/kind: /);
    expect(problems(withChange((p) => void (p.plant = "Győr")))[0]).toMatch(
      /^\/plant: /,
    );
    expect(
      problems(
        withChange((p) => void (p.cells[2]!.networks = ["10.0.0.0/40"])),
      ),
    ).toEqual([
      "/cells/2/networks/0: a network in CIDR form, like 10.20.0.0/24",
    ]);
    expect(
      problems(
        withChange((p) => void (p.endpoints[0]!.host = "https://perimeter")),
      )[0],
    ).toMatch(/^\/endpoints\/0\/host: /);
  });

  it("refuses duplicate ids and dangling references", () => {
    expect(
      problems(withChange((p) => void (p.endpoints[1]!.id = "perimeter-web"))),
    ).toEqual(['/endpoints/1/id: duplicate endpoint id "perimeter-web"']);
    expect(
      problems(withChange((p) => void (p.endpoints[0]!.cell = "dmz"))),
    ).toEqual(['/endpoints/0/cell: no cell "dmz"']);
    expect(
      problems(
        withChange(
          (p) => void (p.endpoints[0]!.clientIdentityId = "perimeter-client"),
        ),
      ),
    ).toEqual([
      '/endpoints/0/clientIdentityId: no identity "perimeter-client"',
    ]);
    expect(
      problems(
        withChange((p) => {
          p.waivers = [
            {
              checkId: "ENT-PER.no-such-check",
              endpointId: "perimeter-web",
              justification: "x",
              name: "A",
              approvedBy: "B",
              date: "2026-11-25",
            },
          ];
        }),
      ),
    ).toEqual([
      '/waivers/0/checkId: no check "ENT-PER.no-such-check" in the rule catalog',
    ]);
    expect(
      problems(
        withChange((p) => {
          p.attestations = [
            {
              checkId: "ENT-PER.reach",
              endpointId: "perimeter-web",
              statement: "I saw it",
              name: "A",
              date: "2026-11-25",
            },
          ];
        }),
      ),
    ).toEqual([
      '/attestations/0/checkId: "ENT-PER.reach" is proven by a probe and cannot be attested; waive it instead',
    ]);
  });

  it("never takes a secret in place of a secret reference", () => {
    const parse = withChange((p) => {
      p.credentials = [
        {
          id: "mes-app",
          name: "MES application",
          user: "mes_app",
          password: "Sommer2026!",
        },
      ];
    });
    expect(problems(parse)[0]).toMatch(
      /^\/credentials\/0\/password: a secret reference is/,
    );
  });

  it("says a truncated file is truncated", () => {
    const parse = parsePlanText(templateText.slice(0, 500));
    expect(problems(parse)[0]).toMatch(
      /^: not valid JSON \(the file looks truncated\)/,
    );
  });

  it("turns any bytes into a plan or a typed problem, never an exception", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc.json(),
          fc.uint8Array().map((b) => new TextDecoder().decode(b)),
        ),
        (text) => {
          const parse = parsePlanText(text);
          if (!parse.ok) {
            expect(parse.problems.length).toBeGreaterThan(0);
            for (const problem of parse.problems)
              expect(typeof problem.reason).toBe("string");
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("survives any single field of the template replaced by random JSON without throwing", () => {
    const keys = Object.keys(template);
    fc.assert(
      fc.property(fc.constantFrom(...keys), fc.jsonValue(), (key, value) => {
        const plan = { ...structuredClone(template), [key]: value };
        const parse = parsePlanJson(plan);
        if (!parse.ok)
          expect(parse.problems[0]?.pointer).toMatch(/^(\/[^/]+)*$/);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("schema versions", () => {
  it("migrates a version 1 plan on reading, numbering runs in time order", () => {
    const text = readFileSync(
      "test/fixtures/plans/v1-gyor-body-shop.cellcert.json",
      "utf8",
    );
    const parse = parsePlanText(text);
    if (!parse.ok) throw new Error(problems(parse).join("\n"));
    expect(parse.fromVersion).toBe(1);
    expect(parse.plan.schemaVersion).toBe(PLAN_SCHEMA_VERSION);
    expect(parse.plan.policy.headroomDays).toBe(45);
    expect(parse.plan.endpoints[0]?.serverName).toBe(
      "portal.gyor.plant.example",
    );
    expect(parse.plan.vantages.map((v) => v.id)).toEqual([
      "enterprise",
      "perimeter",
      "mes",
      "remote-site",
      "remote-site-no-vpn",
    ]);
    expect(parse.plan.runs.map((r) => [r.id, r.sequence])).toEqual([
      ["run-b", 2],
      ["run-a", 1],
    ]);
    expect(parse.plan.plant.customer).toBe("Ștefan Industries");
  });

  it("migrates a version 2 plan to 3: no CRLs, revocation information not required", () => {
    const text = readFileSync(
      "test/fixtures/plans/v2-reference-plant.cellcert.json",
      "utf8",
    );
    const parse = parsePlanText(text);
    if (!parse.ok) throw new Error(problems(parse).join("\n"));
    expect(parse.fromVersion).toBe(2);
    expect(parse.plan.schemaVersion).toBe(3);
    expect(parse.plan.crls).toEqual([]);
    expect(parse.plan.policy.requireRevocation).toBe(false);
    expect(parse.plan.endpoints.length).toBeGreaterThan(0);
  });

  // ---- schema 3, the signature for years ----
  it("migrates a version 2 plan to 3: no time-stamping authority unless the plan names one", () => {
    const text = readFileSync(
      "test/fixtures/plans/v2-gyor-body-shop-with-runs.cellcert.json",
      "utf8",
    );
    const parse = parsePlanText(text);
    if (!parse.ok) throw new Error(problems(parse).join("\n"));
    expect(parse.fromVersion).toBe(2);
    expect(parse.plan.schemaVersion).toBe(3);
    expect(parse.plan.policy.timestampAuthority).toBeUndefined();
    expect(parse.plan.policy.headroomDays).toBe(45);
    expect(parse.plan.runs.map((r) => [r.id, r.sequence])).toEqual([
      ["run-b", 2],
      ["run-a", 1],
    ]);
  });

  it.each([
    ["http://tsa.plant.local/tsr", null],
    ["http://10.20.0.9:3180", null],
    ["http://[fd00::9]/tsa", null],
    [
      "https://tsa.plant.local/tsr",
      "/policy/timestampAuthority: Cellcert asks a TSA over plain http:// only: the time-stamp is signed and checked on its own, so TLS adds nothing to trust in it",
    ],
    [
      "tsa.plant.local",
      "/policy/timestampAuthority: not a URL, like http://tsa.plant.local/tsr",
    ],
    [
      "http://engineer:secret@tsa.plant.local/",
      "/policy/timestampAuthority: a user name or password does not belong in the URL",
    ],
    [
      "ftp://tsa.plant.local/",
      "/policy/timestampAuthority: an http:// URL, not ftp:",
    ],
  ])("takes %s as the time-stamping authority: %s", (url, problem) => {
    const plan = structuredClone(template);
    plan.policy = { ...(plan.policy as object), timestampAuthority: url };
    const parse = parsePlanJson(plan);
    if (problem === null) {
      if (!parse.ok) throw new Error(problems(parse).join("\n"));
      expect(parse.plan.policy.timestampAuthority).toBe(url);
    } else expect(problems(parse)).toEqual([problem]);
  });
  // ---- end of schema 3, the signature for years ----

  it("refuses a newer version, naming both", () => {
    const parse = parsePlanJson({
      ...template,
      schemaVersion: PLAN_SCHEMA_VERSION + 1,
    });
    expect(problems(parse)).toEqual([
      `/schemaVersion: the plan was written by a newer Cellcert (schema version ${PLAN_SCHEMA_VERSION + 1}); this Cellcert reads versions up to ${PLAN_SCHEMA_VERSION}. Update Cellcert to open it.`,
    ]);
  });

  it("refuses a missing version", () => {
    const { schemaVersion: _dropped, ...rest } = template;
    expect(problems(parsePlanJson(rest))).toEqual([
      "/schemaVersion: a plan needs a schemaVersion, a whole number from 1",
    ]);
  });
});

describe("endpoints nothing would judge", () => {
  it("are refused, naming the kinds the boundary's checks apply to", () => {
    const plan = structuredClone(template);
    plan.endpoints[0]!.kind = "opcua";
    expect(problems(parsePlanJson(plan))).toEqual([
      "/endpoints/0/kind: no check of ENT-PER applies to a opcua endpoint, so it would go unjudged; choose https, mtls-https, http-plain",
    ]);
  });
});
