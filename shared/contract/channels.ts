// The contract's channel names, free of zod so the preload can import them without the schemas.
// The schemas for each channel live beside this file in schemas.ts; the compiler keeps the two in step.

export const requestChannels = [
  "app:info",
  "plan:new",
  "plan:open",
  "plan:current",
  "plan:update",
  "plan:save",
  "plan:save-as",
  "plan:close",
  "plan:list",
  "secret:status",
  "secret:provide",
  "laptop:addresses",
  "run:preview",
  "run:start",
  "run:stop",
  "run:current",
  "anchor:import",
  "crl:import",
  "identity:import",
  "identity:create",
  "identity:describe",
  "report:preview",
  "report:export",
  "report:verify",
  "report:reveal",
  "report:signer-cas",
  "practice:start",
  "practice:stop",
  "practice:status",
  // ---- re-audit (issue 20) ----
  "plan:reaudit",
  "plan:changes",
] as const;
export const eventChannels = [
  "log:line",
  "plan:changed",
  "run:progress",
] as const;

export type RequestChannel = (typeof requestChannels)[number];
export type EventChannel = (typeof eventChannels)[number];

export function isRequestChannel(name: unknown): name is RequestChannel {
  return (
    typeof name === "string" &&
    (requestChannels as readonly string[]).includes(name)
  );
}

export function isEventChannel(name: unknown): name is EventChannel {
  return (
    typeof name === "string" &&
    (eventChannels as readonly string[]).includes(name)
  );
}

/** Why a request failed, in words a program can branch on. */
export const errorCodes = [
  "invalid-input",
  "unauthorized",
  "forbidden",
  "not-found",
  "conflict",
  "unavailable",
  "cancelled",
  "internal",
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiError {
  code: ErrorCode;
  /** A sentence the user can act on. */
  message: string;
}

/** Every request's answer, over IPC and over HTTP alike. */
export type Envelope<T> =
  { ok: true; data: T } | { ok: false; error: ApiError };

/**
 * What the preload exposes as `window.cellcert`: one method per request channel and `on` for events.
 * Results are untyped envelopes here; the renderer's client parses them with the channel's output schema.
 */
export type Bridge = {
  readonly [C in RequestChannel]: (
    input?: unknown,
  ) => Promise<Envelope<unknown>>;
} & {
  readonly on: (
    event: EventChannel,
    callback: (payload: unknown) => void,
  ) => () => void;
};
