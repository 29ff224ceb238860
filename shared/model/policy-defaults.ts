// The plan's policy when it sets nothing — what `Policy.parse({})` gives (DESIGN §3, §5) — as a plain value, so
// a probe command has its limits without building the plan's schemas (`cellcert probe …` starts without zod,
// DESIGN §6). policy-defaults.test.ts holds it to the schema's defaults.
import type { Policy } from "./plan";

export const DEFAULT_POLICY: Readonly<Policy> = Object.freeze({
  headroomDays: 30,
  reauditMonths: 12,
  plainHttpPort: 80,
  allowedRedirectHosts: [],
  minimumTlsVersion: "TLSv1.2",
  maxConnectionsPerHost: 2,
  maxConnections: 16,
  timeoutMs: 5000,
  requireRevocation: false,
});
