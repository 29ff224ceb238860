// What a plan re-audited from a certificate still has to do again before it can be judged like its predecessor:
// the client identities to import again and the checks to attest again (shared/model/plan.ts, previousCertificate).
// Derived from the plan as it stands, so an identity linked or an attestation made by hand counts the same.
import type { AttestationToRenew, IdentityToImport, Plan } from "../model/plan";

export interface ReauditToDo {
  /** Identities whose endpoints (still in the plan) have no client identity yet. */
  identities: (IdentityToImport & { waitingEndpointIds: string[] })[];
  /** Checks attested in the earlier certificate and not attested in this plan yet (on endpoints still there). */
  attestations: AttestationToRenew[];
}

export function reauditToDo(plan: Plan): ReauditToDo {
  const previous = plan.previousCertificate;
  if (previous === undefined) return { identities: [], attestations: [] };
  const endpoints = new Map(plan.endpoints.map((e) => [e.id, e]));
  const identities = previous.identitiesToImport.flatMap((identity) => {
    const waitingEndpointIds = identity.endpointIds.filter((id) => {
      const endpoint = endpoints.get(id);
      return (
        endpoint !== undefined &&
        endpoint.retired !== true &&
        endpoint.clientIdentityId === undefined
      );
    });
    return waitingEndpointIds.length === 0
      ? []
      : [{ ...identity, waitingEndpointIds }];
  });
  const attestations = previous.attestationsToRenew.filter((wanted) => {
    const endpoint = endpoints.get(wanted.endpointId);
    return (
      endpoint !== undefined &&
      endpoint.retired !== true &&
      !plan.attestations.some(
        (a) =>
          a.checkId === wanted.checkId &&
          a.endpointId === wanted.endpointId &&
          a.contradictedByRun === undefined,
      )
    );
  });
  return { identities, attestations };
}

/**
 * The plan once an identity was imported for an entry of identitiesToImport: the endpoints waiting for it use it.
 * An endpoint given another identity meanwhile keeps that one.
 */
export function linkImportedIdentity(
  plan: Plan,
  toImportId: string,
  identityId: string,
): Plan {
  const entry = plan.previousCertificate?.identitiesToImport.find(
    (i) => i.id === toImportId,
  );
  if (entry === undefined) return plan;
  const waiting = new Set(entry.endpointIds);
  return {
    ...plan,
    endpoints: plan.endpoints.map((endpoint) =>
      waiting.has(endpoint.id) && endpoint.clientIdentityId === undefined
        ? { ...endpoint, clientIdentityId: identityId }
        : endpoint,
    ),
  };
}
