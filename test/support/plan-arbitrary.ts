// fast-check arbitraries for valid plans: the reference template with random plant data, cells, endpoints,
// runs, waivers and attestations, all referring to each other correctly.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { CHECKS, endpointKindsOfBoundary } from "../../shared/catalog/catalog";
import {
  Plan,
  type CheckResult,
  type Endpoint,
  type Run,
} from "../../shared/model/plan";
import { endpointFingerprint } from "../../shared/model/endpoint-fingerprint";
import { measuredVerdicts, vantageIds } from "../../shared/plant-words";

export const TEMPLATE: Plan = Plan.parse(
  JSON.parse(
    readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
  ),
);

const unicodeText = (max: number) =>
  fc
    .oneof(
      fc.string({ unit: "grapheme", maxLength: max }),
      fc.string({
        unit: fc.constantFrom(
          "Ł",
          "ł",
          "ő",
          "Ő",
          "ș",
          "Ș",
          "ñ",
          "Ñ",
          "ü",
          "Ü",
          " ",
          "€",
          "—",
          "…",
          "a",
          "b",
          "Z",
        ),
        maxLength: max,
      }),
    )
    .map((s) => s.trim())
    .filter((s) => s.length <= max);
const nonEmptyText = (max: number) =>
  unicodeText(max).filter((s) => s.length > 0);
const slug = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$/);
const octet = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join("."));
const dnsName = fc
  .array(fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/), {
    minLength: 1,
    maxLength: 4,
  })
  .map((labels) => `${labels.join(".")}.plant.invalid`);
const host = fc.oneof(ipv4, dnsName, fc.constant("fd00::5"));
const port = fc.integer({ min: 1, max: 65535 });
const isoTime = fc
  .date({
    min: new Date("2020-01-01T00:00:00Z"),
    max: new Date("2035-01-01T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString());
const isoDate = isoTime.map((t) => t.slice(0, 10));

export function planArbitrary(): fc.Arbitrary<Plan> {
  const cellIds = TEMPLATE.cells.map((c) => c.id);
  // A boundary and a kind its checks apply to (the plan refuses an endpoint nothing would judge).
  const boundaryAndKind = fc
    .constantFrom(...TEMPLATE.boundaries.map((b) => b.id))
    .chain((boundary) =>
      fc
        .constantFrom(...endpointKindsOfBoundary(boundary))
        .map((kind) => ({ boundary, kind })),
    );
  const endpoint = fc.record({
    name: nonEmptyText(60),
    placed: boundaryAndKind,
    cell: fc.constantFrom(...cellIds),
    host,
    port,
    paths: fc.array(fc.stringMatching(/^\/[a-zA-Z0-9/_-]{0,20}$/), {
      maxLength: 3,
    }),
    allowedPorts: fc.uniqueArray(fc.integer({ min: 1, max: 1000 }), {
      maxLength: 3,
    }),
    deniedPorts: fc.uniqueArray(fc.integer({ min: 1001, max: 2000 }), {
      maxLength: 3,
    }),
    notes: unicodeText(80),
  });
  return fc
    .record({
      plant: fc.record({
        name: nonEmptyText(80),
        site: unicodeText(40),
        customer: unicodeText(40),
        orderNumber: unicodeText(20),
        notes: unicodeText(200),
      }),
      networks: fc.array(
        fc
          .tuple(ipv4, fc.integer({ min: 8, max: 32 }))
          .map(([a, p]) => `${a}/${p}`),
        { maxLength: 3 },
      ),
      endpoints: fc.uniqueArray(fc.tuple(slug, endpoint), {
        selector: ([id]) => id,
        maxLength: 12,
      }),
      headroomDays: fc.integer({ min: 30, max: 365 }),
      runs: fc.array(
        fc.tuple(
          fc.constantFrom(...vantageIds),
          isoTime,
          fc.array(fc.constantFrom(...measuredVerdicts), { maxLength: 6 }),
        ),
        {
          maxLength: 3,
        },
      ),
      waiverText: nonEmptyText(200),
      signer: nonEmptyText(40),
      date: isoDate,
      practice: fc.boolean(),
    })
    .map((drawn) => {
      const plan = structuredClone(TEMPLATE);
      plan.practice = drawn.practice;
      plan.plant = { ...plan.plant, ...drawn.plant };
      plan.policy.headroomDays = drawn.headroomDays;
      plan.cells[0]!.networks = drawn.networks;
      const extra: Endpoint[] = drawn.endpoints
        .filter(([id]) => !plan.endpoints.some((e) => e.id === id))
        .map(([id, { placed, ...e }]) => ({
          ...TEMPLATE.endpoints[0]!,
          ...e,
          ...placed,
          id,
          host: placed.kind === "manual" ? "" : e.host,
          placeholder: false,
        }));
      plan.endpoints.push(...extra);
      const targets = plan.endpoints.flatMap((e) =>
        CHECKS.filter(
          (c) => c.boundary === e.boundary && c.appliesTo.includes(e.kind),
        ).map((c) => ({ check: c, endpoint: e })),
      );
      drawn.runs.forEach(([vantage, time, verdicts], index) => {
        const id = `run-${index + 1}`;
        const results: CheckResult[] = verdicts.flatMap((verdict, i) => {
          const target = targets[(index * 7 + i) % Math.max(targets.length, 1)];
          if (target === undefined) return [];
          return [
            {
              checkId: target.check.id,
              endpointId: target.endpoint.id,
              runId: id,
              verdict,
              measured: "TLS 1.2, TLS 1.3",
              threshold: "TLS 1.2 or newer",
              headroom: "",
              message: `${target.check.title}: ${verdict}`,
              reason: "",
              endpointFingerprint: endpointFingerprint(plan, target.endpoint),
              evidenceIds: [],
              finishedAt: time,
            },
          ];
        });
        const unique = results.filter(
          (r, i) =>
            results.findIndex(
              (o) => o.checkId === r.checkId && o.endpointId === r.endpointId,
            ) === i,
        );
        const run: Run = {
          id,
          sequence: index + 1,
          vantage,
          scope: { kind: "vantage" },
          startedAt: time,
          finishedAt: time,
          status: "completed",
          laptop: {
            hostName: "laptop",
            addresses: [
              { interface: "eth0", address: "10.0.0.7", cidr: "10.0.0.0/24" },
            ],
          },
          vantageAddress: {
            verdict: "warn",
            message: "10.0.0.7 lies in none of the cell's networks.",
          },
          toolVersion: "0.1.0",
          rulesetVersion: "cells-2021",
          results: unique,
          evidence: [],
        };
        plan.runs.push(run);
      });
      const waivable = targets[0];
      if (waivable !== undefined) {
        plan.waivers.push({
          checkId: waivable.check.id,
          endpointId: waivable.endpoint.id,
          justification: drawn.waiverText,
          name: drawn.signer,
          approvedBy: drawn.signer,
          date: drawn.date,
          notes: "",
        });
      }
      return Plan.parse(plan);
    });
}
