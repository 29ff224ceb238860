// How one connection attempt ended, as every probe records it (DESIGN §2): refused and filtered are
// measurements where "closed" is wanted; DNS failure and unreachable mean nothing could be judged. And the one
// failure record every protocol's probe extends with its own kinds (docs/evidence.md, "One failure record").
import { z } from "zod";
import { connectionStates, probeFailureKinds } from "./connection-states";

export {
  connectFailures,
  connectionStates,
  probeFailureKinds,
  STOPPED_FAILURE,
  type ConnectFailure,
  type ProbeFailureKind,
} from "./connection-states";
export const ConnectionState = z.enum(connectionStates);
export type ConnectionState = z.infer<typeof ConnectionState>;

/** The common fields: what kind of failure, the system's or library's code ("" when none), a sentence. */
export const ProbeFailure = z.object({
  kind: z.enum(probeFailureKinds),
  code: z.string(),
  message: z.string(),
});
export type ProbeFailure = z.infer<typeof ProbeFailure>;

/** A protocol's failure record: the kinds every probe shares, then its own, with the same fields. */
export function probeFailureWith<const Own extends readonly string[]>(
  own: Own,
) {
  return ProbeFailure.extend({
    kind: z.enum([...probeFailureKinds, ...own]),
  });
}

/** The two kinds the first SQL Server and OPC UA records spelled differently. */
const V1_KINDS: Readonly<Record<string, string>> = {
  dns: "dns-failure",
  aborted: "stopped",
};

/**
 * A record of version `v1` (SQL Server or OPC UA /1) read as `current`: every failure record in it (an object with
 * a string `kind`, `code` and `message`) gets today's kind. Anything else passes through untouched.
 */
export function upgradeFailureKindsOfV1(
  data: unknown,
  v1: string,
  current: string,
): unknown {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (value === null || typeof value !== "object") return value;
    const record = Object.fromEntries(
      Object.entries(value).map(([key, field]) => [key, walk(field)]),
    );
    const { kind, code, message } = record;
    if (
      typeof kind === "string" &&
      typeof code === "string" &&
      typeof message === "string" &&
      kind in V1_KINDS
    )
      record.kind = V1_KINDS[kind];
    return record;
  };
  if (
    data === null ||
    typeof data !== "object" ||
    (data as { schema?: unknown }).schema !== v1
  )
    return data;
  return { ...(walk(data) as object), schema: current };
}
