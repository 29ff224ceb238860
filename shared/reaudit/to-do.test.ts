// What a plan re-audited from a certificate still has to do again, derived from the plan as it stands.
import { describe, expect, it } from "vitest";
import { Plan, type PlanInput } from "../model/plan";
import { linkImportedIdentity, reauditToDo } from "./to-do";

function testPlan(): Plan {
  const plan: PlanInput = {
    schemaVersion: 3,
    plant: { name: "Győr body shop" },
    cells: [
      { id: "perimeter", kind: "perimeter", name: "Perimeter" },
      { id: "mes", kind: "mes", name: "MES" },
    ],
    boundaries: [
      { id: "PER-MES", from: "perimeter", to: "mes" },
      { id: "MES-CELL", from: "mes", to: "mes" },
    ],
    endpoints: [
      {
        id: "mes-gateway",
        name: "MES gateway",
        boundary: "PER-MES",
        cell: "mes",
        kind: "mtls-https",
        host: "10.30.0.11",
        port: 8443,
      },
      {
        id: "mes-cell",
        name: "MES cell",
        boundary: "MES-CELL",
        cell: "mes",
        kind: "manual",
      },
    ],
    vantages: [{ id: "perimeter", cell: "perimeter" }],
  };
  return Plan.parse(plan);
}

function reaudit(overrides: Partial<PlanInput> = {}): Plan {
  const plan = testPlan();
  return Plan.parse({
    ...plan,
    previousCertificate: {
      number: "PLANT-20260302-1",
      issuedAt: "2026-03-02T15:00:00.000Z",
      plantVerdict: "commissioned",
      pdfSha256: "a".repeat(64),
      evidenceSha256: "b".repeat(64),
      evidenceSchema: "cellcert.evidence/1",
      rulesetVersion: "cells-2021",
      signer: { subject: "CN=Łukasz Nowak", fingerprintSha256: "AA:BB" },
      verified: "signer-not-checked",
      identitiesToImport: [
        {
          id: "perimeter-client",
          role: "client",
          name: "Perimeter client",
          endpointIds: ["mes-gateway", "gone"],
        },
      ],
      attestationsToRenew: [
        {
          checkId: "MES-CELL.colocation",
          endpointId: "mes-cell",
          previous: { statement: "Seen.", name: "Ana", date: "2026-03-02" },
        },
      ],
      ...overrides.previousCertificate,
    },
  });
}

describe("a re-audit's to-do list", () => {
  it("lists the identities whose endpoints wait for them and the attestations not made again", () => {
    const plan = reaudit();
    const toDo = reauditToDo(plan);
    expect(toDo.identities.map((i) => i.waitingEndpointIds)).toEqual([
      ["mes-gateway"],
    ]);
    expect(toDo.attestations.map((a) => a.checkId)).toEqual([
      "MES-CELL.colocation",
    ]);
  });

  it("is done with an identity once its endpoints use one, and with an attestation once it is made again", () => {
    const plan = reaudit();
    const linked = linkImportedIdentity(plan, "perimeter-client", "client-2");
    expect(
      linked.endpoints.find((e) => e.id === "mes-gateway")?.clientIdentityId,
    ).toBe("client-2");
    const attested = {
      ...linked,
      attestations: [
        {
          checkId: "MES-CELL.colocation",
          endpointId: "mes-cell",
          statement: "Seen again.",
          name: "Ben",
          date: "2027-03-01",
          notes: "",
        },
      ],
    };
    expect(reauditToDo(attested)).toEqual({ identities: [], attestations: [] });
    expect(reauditToDo(testPlan())).toEqual({
      identities: [],
      attestations: [],
    });
  });

  it("leaves an endpoint given another identity meanwhile as it is", () => {
    const plan = reaudit();
    const chosen = {
      ...plan,
      endpoints: plan.endpoints.map((e) =>
        e.id === "mes-gateway" ? { ...e, clientIdentityId: "mine" } : e,
      ),
    };
    expect(
      linkImportedIdentity(
        chosen,
        "perimeter-client",
        "client-2",
      ).endpoints.find((e) => e.id === "mes-gateway")?.clientIdentityId,
    ).toBe("mine");
  });

  it("is refused by the plan schema when its record is not a certificate's", () => {
    const plan = reaudit();
    expect(
      Plan.safeParse({
        ...plan,
        previousCertificate: {
          ...plan.previousCertificate,
          pdfFile: "../elsewhere.pdf",
        },
      }).success,
    ).toBe(false);
  });
});
