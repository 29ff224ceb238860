import { describe, expect, it } from "vitest";
import { endpointDefaults } from "./endpoint-defaults";
import { Endpoint } from "./plan";

describe("the endpoint defaults", () => {
  it("are what the plan schema gives an endpoint that sets only id, name, boundary, cell, kind and host", () => {
    const identity = {
      id: "mes01",
      name: "MES server",
      boundary: "PER-MES",
      cell: "mes",
      kind: "tls",
      host: "mes01.plant.local",
    } as const;
    expect({ ...identity, ...endpointDefaults() }).toStrictEqual(
      Endpoint.parse(identity),
    );
  });
});
