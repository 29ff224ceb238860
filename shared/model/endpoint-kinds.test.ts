import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { endpointKindsOfBoundary } from "../catalog/catalog";
import { boundaryIds, endpointKinds, type EndpointKind } from "../plant-words";
import { parsePlanJson } from "./parse-plan";

const template = JSON.parse(
  readFileSync("resources/templates/reference-plant.cellcert.json", "utf8"),
) as { endpoints: Record<string, unknown>[] };

/** What an endpoint of each kind must fill in: a manual one nothing, SQL Server a host (its port may be found). */
const REQUIRED: Record<EndpointKind, string[]> = {
  https: ["host", "port"],
  "mtls-https": ["host", "port"],
  "http-plain": ["host", "port"],
  tls: ["host", "port"],
  tcp: ["host", "port"],
  mssql: ["host"],
  opcua: ["host", "port"],
  manual: [],
};

describe("the fields of each endpoint kind", () => {
  it.each(endpointKinds)(
    "decide what the plan schema asks of a %s endpoint without host and port",
    (kind) => {
      const boundary = boundaryIds.find((id) =>
        endpointKindsOfBoundary(id).includes(kind),
      );
      expect(boundary, `a boundary judges ${kind} endpoints`).toBeDefined();
      const plan = structuredClone(template);
      const first = plan.endpoints[0]!;
      Object.assign(first, { kind, boundary, host: "" });
      delete first.port;
      const parse = parsePlanJson(plan);
      expect(
        parse.ok ? [] : parse.problems.map((p) => `${p.pointer}: ${p.reason}`),
      ).toEqual(
        REQUIRED[kind].map(
          (field) =>
            `/endpoints/0/${field}: a ${kind} endpoint needs a ${field}`,
        ),
      );
    },
  );
});
