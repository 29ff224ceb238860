// The one-endpoint plan of `cellcert probe …` is written as a typed value, not parsed: the schema must read it
// back unchanged, for every kind. And the one mapping: a family's catalog ids (and the check a failed
// prerequisite names) come back as the probe-report ids.
import { describe, expect, it } from "vitest";
import { Plan } from "../../shared/model/plan";
import { notTested, outcome } from "../../shared/verdicts/outcome";
import type { FamilyProbe } from "../engine/families/types";
import { captureIo } from "../../test/support/cli";
import {
  planOfOne,
  probeEndpoint,
  tlsProfileOf,
  type ProbedKind,
} from "./probe-endpoint";

const KINDS: ProbedKind[] = [
  "tls",
  "mtls-https",
  "https",
  "http-plain",
  "tcp",
  "opcua",
  "mssql",
];

describe("planOfOne", () => {
  it.each(KINDS)(
    "writes the %s plan the schema reads back as it is",
    (kind) => {
      const plan = planOfOne(kind, {
        host: "127.0.0.1",
        port: 4433,
        paths: ["/Opcenter"],
      });
      expect(Plan.parse(plan)).toStrictEqual(plan);
    },
  );
});

describe("probeEndpoint", () => {
  it("runs each family once, in order, and reports the checks by their probe-report ids", async () => {
    const seen: string[][] = [];
    // Fails tls.protocol as absent, as the tls rule does: the runner's shared rule leaves its dependents unjudged.
    const tls: FamilyProbe = (target) => {
      seen.push(target.checks.map((c) => c.id));
      return Promise.resolve({
        evidence: [
          {
            probe: "tls",
            target: target.address,
            startedAt: new Date().toISOString(),
            durationMs: 1,
            data: { probe: "tls" },
          },
        ],
        outcomes: target.checks.map((c) =>
          c.id.endsWith(".tls.protocol")
            ? outcome(c.id, "fail", "TLS 1.0 accepted.")
            : notTested(
                c.id,
                "prerequisite failed",
                "Not judged: MES-PCS.tls.protocol failed on this endpoint, and this check builds on it.",
              ),
        ),
      });
    };
    const result = await probeEndpoint(
      planOfOne("tls", { host: "127.0.0.1", port: 4433 }),
      tlsProfileOf("tls"),
      { tls },
      { trust: { anchorsPem: [], crls: [] }, io: captureIo() },
    );
    expect(seen).toEqual([
      [
        "MES-PCS.tls.protocol",
        "MES-PCS.tls.suites",
        "MES-PCS.cert.chain",
        "MES-PCS.cert.name",
        "MES-PCS.cert.validity",
        "MES-PCS.cert.strength",
      ],
    ]);
    expect(result.checks.map((c) => [c.checkId, c.verdict])).toEqual([
      ["tls.protocol", "fail"],
      ["tls.suites", "not-tested"],
      ["cert.chain", "not-tested"],
      ["cert.name", "not-tested"],
      ["cert.validity", "not-tested"],
      ["cert.strength", "not-tested"],
    ]);
    expect(result.checks[1]?.message).toBe(
      "Not judged: tls.protocol failed on this endpoint, and this check builds on it.",
    );
    expect(result.evidence.map((e) => e.probe)).toEqual(["tls"]);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("refuses a check the catalog does not probe, naming it", async () => {
    await expect(
      probeEndpoint(
        planOfOne("tls", { host: "127.0.0.1", port: 4433 }),
        { guideline: "MES-PCS.guideline" },
        {},
        { trust: { anchorsPem: [], crls: [] }, io: captureIo() },
      ),
    ).rejects.toThrow(
      "MES-PCS.guideline is not a probed check of the catalog.",
    );
  });
});
