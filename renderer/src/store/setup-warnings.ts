// What plan setup flags on an endpoint before anything is run: choices the plan accepts, but that leave one of
// the endpoint's checks not tested. Saving stays possible (the identity may come later); the engineer is told at
// setup, not at the end of a walk. (A wrong or missing identity is the schema's to refuse.)
import type { Endpoint } from "../../../shared/model/plan";

export function endpointWarnings(endpoint: Endpoint): string[] {
  const warnings: string[] = [];
  if (
    endpoint.kind === "mtls-https" &&
    !endpoint.placeholder &&
    endpoint.clientIdentityId === undefined
  )
    warnings.push(
      `"${endpoint.name}" wants client certificates, but no client identity is chosen: whether the server accepts the plan's client identity stays not tested. Import the client identity (PKCS#12) under Identities and choose it for this endpoint.`,
    );
  return warnings;
}
