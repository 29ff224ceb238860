// What a result measured (DESIGN §1 "out of date"): the endpoint's probe-relevant fields and the trust material
// and client identity it was probed with, BY CONTENT (certificate and CRL fingerprints), never by file path, so a
// plan folder copied elsewhere keeps its results current. The runner stamps every result with this fingerprint;
// the roll-up compares it with the endpoint as the plan holds it now, and a result that no longer matches is out
// of date. One function for both, pure, so the renderer and the engine judge alike.
import type { Endpoint, Plan, TrustAnchor } from "./plan";
import { sha256Hex } from "./sha256";

/** Bump when the canonical form changes: every result then reads as out of date until probed again. */
export const FINGERPRINT_FORM = "cellcert.measured/1";

/** Endpoint kinds whose probes validate certificates, so their trust material and identity are part of what they measured. */
const CERTIFICATE_KINDS: ReadonlySet<Endpoint["kind"]> = new Set([
  "https",
  "mtls-https",
  "tls",
  "mssql",
  "opcua",
]);

/** What the fingerprint reads of a plan besides the endpoint. */
export type FingerprintPlan = Pick<
  Plan,
  "trustAnchors" | "crls" | "identities" | "credentials"
>;

/** Everything a result's fingerprint covers, in its canonical order. */
export interface MeasuredInput {
  form: typeof FINGERPRINT_FORM;
  kind: Endpoint["kind"];
  host: string;
  port: number | null;
  serverName: string;
  /** Sorted: the order paths are listed in changes nothing measured. */
  paths: string[];
  opcuaPath: string;
  allowedPorts: number[];
  deniedPorts: number[];
  expect: Endpoint["expect"];
  sqlInstance: string;
  /** The SQL login the sql.* checks log in with (never its password), and the MES application's login. */
  sqlLogin: string;
  appLogin: string;
  publicRoots: boolean;
  /** SHA-256 fingerprints of the trust anchors the probe validated chains against, sorted. */
  anchors: string[];
  /** SHA-256 of the plan's CRLs (every probe judges revocation with all of them), sorted. */
  crls: string[];
  /** SHA-256 fingerprint of the client identity's certificate, or "" when none is presented. */
  clientIdentity: string;
}

/** The trust anchors an endpoint's chains are validated against: its own choice, or all of the plan's. */
export function anchorsOf(
  plan: Pick<Plan, "trustAnchors">,
  endpoint: Pick<Endpoint, "trustAnchorIds">,
): TrustAnchor[] {
  if (endpoint.trustAnchorIds.length === 0) return [...plan.trustAnchors];
  const chosen = new Set(endpoint.trustAnchorIds);
  return plan.trustAnchors.filter((a) => chosen.has(a.id));
}

/** The trust material an endpoint is probed with, by content: anchor fingerprints and CRL hashes. */
export function trustMaterialOf(
  plan: FingerprintPlan,
  endpoint: Endpoint,
): { anchors: string[]; crls: string[] } {
  if (!CERTIFICATE_KINDS.has(endpoint.kind)) return { anchors: [], crls: [] };
  const anchors = anchorsOf(plan, endpoint).map((a) =>
    a.fingerprintSha256.toUpperCase(),
  );
  // A CRL by content: the hash of its base64 body, so re-wrapped PEM text is the same CRL.
  const crls = plan.crls.map((crl) =>
    sha256Hex(crl.pem.replace(/-----[^-]+-----|\s/g, "")).toUpperCase(),
  );
  return {
    anchors: [...new Set(anchors)].sort(),
    crls: [...new Set(crls)].sort(),
  };
}

export function measuredInput(
  plan: FingerprintPlan,
  endpoint: Endpoint,
): MeasuredInput {
  const identity =
    endpoint.clientIdentityId === undefined ||
    !CERTIFICATE_KINDS.has(endpoint.kind)
      ? undefined
      : plan.identities.find((i) => i.id === endpoint.clientIdentityId);
  const credential =
    endpoint.credentialId === undefined
      ? undefined
      : plan.credentials.find((c) => c.id === endpoint.credentialId);
  const numbers = (ports: readonly number[]): number[] =>
    [...new Set(ports)].sort((a, b) => a - b);
  return {
    form: FINGERPRINT_FORM,
    kind: endpoint.kind,
    host: endpoint.host.toLowerCase(),
    port: endpoint.port ?? null,
    serverName: endpoint.serverName.toLowerCase(),
    paths: [...new Set(endpoint.paths)].sort(),
    opcuaPath: endpoint.opcuaPath ?? "",
    allowedPorts: numbers(endpoint.allowedPorts),
    deniedPorts: numbers(endpoint.deniedPorts),
    expect: endpoint.expect,
    sqlInstance: (endpoint.sqlInstance ?? "").toUpperCase(),
    sqlLogin: credential?.user ?? "",
    appLogin: endpoint.appLogin ?? "",
    publicRoots: CERTIFICATE_KINDS.has(endpoint.kind) && endpoint.publicRoots,
    ...trustMaterialOf(plan, endpoint),
    clientIdentity:
      identity === undefined
        ? ""
        : identity.fingerprintSha256.toUpperCase() || `identity:${identity.id}`,
  };
}

/** SHA-256 (hex) of the canonical JSON of `measuredInput`: what CheckResult.endpointFingerprint holds. */
export function endpointFingerprint(
  plan: FingerprintPlan,
  endpoint: Endpoint,
): string {
  return sha256Hex(JSON.stringify(measuredInput(plan, endpoint)));
}
