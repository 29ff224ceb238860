// Which fields each endpoint kind has, declared once: the plan schema's cross-checks and the endpoint editor
// both read it. Fields every endpoint has (id, name, boundary, cell, kind, notes, placeholder, retired) are not
// listed.
import type { EndpointKind } from "../plant-words";
import type { Endpoint } from "./plan";

/** A field that only some endpoint kinds have. */
export type EndpointField = Exclude<
  keyof Endpoint,
  | "id"
  | "name"
  | "boundary"
  | "cell"
  | "kind"
  | "notes"
  | "placeholder"
  | "retired"
>;

/** Whether a kind's endpoint must fill the field in, or may leave it empty. */
export type FieldUse = "required" | "optional";

type KindFields = Readonly<Partial<Record<EndpointField, FieldUse>>>;

const TLS_SERVER: KindFields = {
  host: "required",
  port: "required",
  serverName: "optional",
  trustAnchorIds: "optional",
  publicRoots: "optional",
};

export const ENDPOINT_KIND_FIELDS: Readonly<Record<EndpointKind, KindFields>> =
  {
    https: { ...TLS_SERVER, paths: "optional" },
    "mtls-https": {
      ...TLS_SERVER,
      paths: "optional",
      clientIdentityId: "optional",
    },
    "http-plain": { host: "required", port: "required", paths: "optional" },
    tls: TLS_SERVER,
    tcp: {
      host: "required",
      port: "required",
      allowedPorts: "optional",
      deniedPorts: "optional",
      expect: "optional",
    },
    // No port: 1433, or the named instance's port found through SQL Browser.
    mssql: {
      host: "required",
      port: "optional",
      serverName: "optional",
      sqlInstance: "optional",
      appLogin: "optional",
      credentialId: "optional",
      trustAnchorIds: "optional",
    },
    opcua: {
      host: "required",
      port: "required",
      opcuaPath: "optional",
      trustAnchorIds: "optional",
    },
    manual: { guideline: "optional" },
  };

/** How an endpoint of this kind uses the field; null when the kind does not have it. */
export function endpointFieldUse(
  kind: EndpointKind,
  field: EndpointField,
): FieldUse | null {
  return ENDPOINT_KIND_FIELDS[kind][field] ?? null;
}

export function kindHasField(
  kind: EndpointKind,
  field: EndpointField,
): boolean {
  return endpointFieldUse(kind, field) !== null;
}

/** Endpoint kinds that speak TLS and get the TLS server profile (legacy ClientHellos go only to these). */
export const TLS_ENDPOINT_KINDS: readonly EndpointKind[] = [
  "https",
  "mtls-https",
  "tls",
];
