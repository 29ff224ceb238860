// What an endpoint that sets only its identity, place and kind holds — what the plan schema's defaults give it — as
// a plain value, so the editor's new endpoint and `cellcert probe`'s one endpoint are written without the plan's
// schemas (`cellcert probe tls` starts without zod, DESIGN §6). endpoint-defaults.test.ts holds it to the schema.
import type { Endpoint } from "./plan";

export type EndpointDefaults = Omit<
  Endpoint,
  "id" | "name" | "boundary" | "cell" | "kind" | "host"
>;

/** A fresh copy each time: the lists are the caller's to change. */
export function endpointDefaults(): EndpointDefaults {
  return {
    serverName: "",
    paths: ["/"],
    allowedPorts: [],
    deniedPorts: [],
    expect: "open",
    trustAnchorIds: [],
    publicRoots: false,
    guideline: "",
    placeholder: false,
    notes: "",
  };
}
