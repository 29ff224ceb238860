// Pure edits of a plan, each `(plan) => plan`: the plan slice queues them and sends the result with the
// revision it started from, so a conflict can re-apply the same edit to the engine's newer plan.
import type {
  Attestation,
  Boundary,
  Cell,
  Endpoint,
  Plan,
  PlantData,
  Policy,
  SignOff,
  SqlCredential,
  Vantage,
  Waiver,
} from "../../../shared/model/plan";
import { Plan as PlanSchema } from "../../../shared/model/plan";
import type { PlanProblem } from "../../../shared/model/parse-plan";
import { removeEndpoint as removeEndpointFromPlan } from "../../../shared/model/endpoint-removal";
import { uniqueSlug } from "../../../shared/model/slug";
import { endpointDefaults } from "../../../shared/model/endpoint-defaults";
import type {
  BoundaryId,
  CellKind,
  VantageId,
} from "../../../shared/plant-words";
import { checkFields } from "../lib/field-problems";

export type PlanEdit = (plan: Plan) => Plan;

export const setPlant =
  (changes: Partial<PlantData>): PlanEdit =>
  (plan) => ({ ...plan, plant: { ...plan.plant, ...changes } });

export const setCell =
  (id: string, changes: Partial<Cell>): PlanEdit =>
  (plan) => ({
    ...plan,
    cells: plan.cells.map((cell) =>
      cell.id === id ? { ...cell, ...changes } : cell,
    ),
  });

export const addCell =
  (kind: CellKind, name: string): PlanEdit =>
  (plan) => ({
    ...plan,
    cells: [
      ...plan.cells,
      {
        id: uniqueSlug(name, kind, new Set(plan.cells.map((c) => c.id))),
        kind,
        name,
        networks: [],
        notes: "",
      },
    ],
  });

export const removeCell =
  (id: string): PlanEdit =>
  (plan) => ({ ...plan, cells: plan.cells.filter((cell) => cell.id !== id) });

export const setBoundary =
  (id: BoundaryId, changes: Partial<Boundary>): PlanEdit =>
  (plan) => ({
    ...plan,
    boundaries: plan.boundaries.map((boundary) =>
      boundary.id === id ? { ...boundary, ...changes } : boundary,
    ),
  });

export const setVantage =
  (id: VantageId, changes: Partial<Vantage>): PlanEdit =>
  (plan) => ({
    ...plan,
    vantages: plan.vantages.map((vantage) => {
      if (vantage.id !== id) return vantage;
      const next = { ...vantage, ...changes };
      // An empty source address or network card means "the system's choice": leave the field out.
      if (next.sourceAddress === "") delete next.sourceAddress;
      if (next.interface === "") delete next.interface;
      return next;
    }),
  });

/** Replaces the endpoint `previousId` (or adds one when null). Editing a template placeholder makes it real. */
export const putEndpoint =
  (previousId: string | null, endpoint: Endpoint): PlanEdit =>
  (plan) => {
    const index =
      previousId === null
        ? -1
        : plan.endpoints.findIndex((e) => e.id === previousId);
    if (index < 0) return { ...plan, endpoints: [...plan.endpoints, endpoint] };
    const endpoints = [...plan.endpoints];
    endpoints[index] = endpoint;
    return { ...plan, endpoints };
  };

/**
 * Removes an endpoint the one way the engine accepts (shared/model/endpoint-removal.ts): one never probed goes
 * with its waivers and attestations, one with results is retired — kept in its runs, judged no more.
 */
export const removeEndpoint =
  (id: string): PlanEdit =>
  (plan) =>
    removeEndpointFromPlan(plan, id).plan;

/**
 * A retired endpoint back in the walk: probed by new runs and judged again. Its earlier results count again only
 * while it is unchanged since they were measured; otherwise they read out of date until it is probed again.
 */
export const returnEndpoint =
  (id: string): PlanEdit =>
  (plan) => ({
    ...plan,
    endpoints: plan.endpoints.map((e) => {
      if (e.id !== id || e.retired !== true) return e;
      const rest = { ...e };
      delete rest.retired;
      return rest;
    }),
  });

/** A new endpoint for a boundary, with an id not yet taken. */
export function newEndpoint(plan: Plan, boundary: BoundaryId): Endpoint {
  const planned = plan.boundaries.find((b) => b.id === boundary);
  const cell = planned?.to ?? plan.cells[0]?.id ?? "";
  return {
    id: uniqueSlug(
      `${boundary.toLowerCase()}-endpoint`,
      "endpoint",
      new Set(plan.endpoints.map((e) => e.id)),
    ),
    name: "",
    boundary,
    cell,
    kind: "https",
    host: "",
    port: 443,
    ...endpointDefaults(),
  };
}

export const putCredential =
  (previousId: string | null, credential: SqlCredential): PlanEdit =>
  (plan) => {
    const index =
      previousId === null
        ? -1
        : plan.credentials.findIndex((c) => c.id === previousId);
    if (index < 0)
      return { ...plan, credentials: [...plan.credentials, credential] };
    const credentials = [...plan.credentials];
    credentials[index] = credential;
    return { ...plan, credentials };
  };

export const removeCredential =
  (id: string): PlanEdit =>
  (plan) => ({
    ...plan,
    credentials: plan.credentials.filter((c) => c.id !== id),
    endpoints: plan.endpoints.map((e) => {
      if (e.credentialId !== id) return e;
      const rest = { ...e };
      delete rest.credentialId;
      return rest;
    }),
  });

export const removeTrustAnchor =
  (id: string): PlanEdit =>
  (plan) => ({
    ...plan,
    trustAnchors: plan.trustAnchors.filter((a) => a.id !== id),
    endpoints: plan.endpoints.map((e) =>
      e.trustAnchorIds.includes(id)
        ? { ...e, trustAnchorIds: e.trustAnchorIds.filter((a) => a !== id) }
        : e,
    ),
  });

/** Trust decisions (issue 14): a CRL leaves the trust material. */
export const removeTrustCrl =
  (id: string): PlanEdit =>
  (plan) => ({ ...plan, crls: plan.crls.filter((c) => c.id !== id) });

export const removeIdentity =
  (id: string): PlanEdit =>
  (plan) => ({
    ...plan,
    identities: plan.identities.filter((i) => i.id !== id),
    endpoints: plan.endpoints.map((e) => {
      if (e.clientIdentityId !== id) return e;
      const rest = { ...e };
      delete rest.clientIdentityId;
      return rest;
    }),
  });

export const setPolicy =
  (changes: Partial<Policy>): PlanEdit =>
  (plan) => ({ ...plan, policy: { ...plan.policy, ...changes } });

export const setSignOff =
  (changes: Partial<SignOff>): PlanEdit =>
  (plan) => ({ ...plan, signOff: { ...plan.signOff, ...changes } });

const samePair =
  (checkId: string, endpointId: string) =>
  (entry: { checkId: string; endpointId: string }): boolean =>
    entry.checkId === checkId && entry.endpointId === endpointId;

export const putWaiver =
  (waiver: Waiver): PlanEdit =>
  (plan) => ({
    ...plan,
    waivers: [
      ...plan.waivers.filter(
        (w) => !samePair(waiver.checkId, waiver.endpointId)(w),
      ),
      waiver,
    ],
  });

export const removeWaiver =
  (checkId: string, endpointId: string): PlanEdit =>
  (plan) => ({
    ...plan,
    waivers: plan.waivers.filter((w) => !samePair(checkId, endpointId)(w)),
  });

export const putAttestation =
  (attestation: Attestation): PlanEdit =>
  (plan) => ({
    ...plan,
    attestations: [
      ...plan.attestations.filter(
        (a) => !samePair(attestation.checkId, attestation.endpointId)(a),
      ),
      attestation,
    ],
  });

export const removeAttestation =
  (checkId: string, endpointId: string): PlanEdit =>
  (plan) => ({
    ...plan,
    attestations: plan.attestations.filter(
      (a) => !samePair(checkId, endpointId)(a),
    ),
  });

export const setWizardPosition =
  (position: string): PlanEdit =>
  (plan) =>
    plan.wizard.position === position
      ? plan
      : { ...plan, wizard: { position } };

/** What the plan's schema says about an edited plan, as JSON pointers and sentences (empty when valid). */
export function planProblems(plan: unknown): readonly PlanProblem[] {
  return checkFields(PlanSchema, plan).problems;
}

/** The problems at a field (its pointer, or anything below it). */
export function problemsAt(
  problems: readonly PlanProblem[],
  pointer: string,
): string[] {
  return problems
    .filter((p) => p.pointer === pointer || p.pointer.startsWith(`${pointer}/`))
    .map((p) => p.reason);
}
