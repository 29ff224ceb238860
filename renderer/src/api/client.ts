// The renderer's typed client, derived from the contract: one method per channel, answers parsed by
// the channel's output schema. Two transports carry it: Electron's preload bridge and browser mode's HTTP.
import {
  requestChannels,
  type Bridge,
  type Envelope,
  type ErrorCode,
  type EventChannel,
  type RequestChannel,
} from "../../../shared/contract/channels";
import {
  eventSchemas,
  requestSchemas,
  type Api,
} from "../../../shared/contract/schemas";

export interface Transport {
  request: (
    channel: RequestChannel,
    input: unknown,
  ) => Promise<Envelope<unknown>>;
  subscribe: (
    event: EventChannel,
    callback: (payload: unknown) => void,
  ) => () => void;
}

/** A request the engine answered with an error: `message` is meant for the user. */
export class ApiCallError extends Error {
  override readonly name = "ApiCallError";
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function createApiClient(transport: Transport): Api {
  const methods = Object.fromEntries(
    requestChannels.map((channel) => [
      channel,
      async (input?: unknown) => {
        const envelope = await transport.request(channel, input);
        if (!envelope.ok)
          throw new ApiCallError(envelope.error.code, envelope.error.message);
        return requestSchemas[channel].output.parse(envelope.data);
      },
    ]),
  );
  const on = (
    event: EventChannel,
    callback: (payload: never) => void,
  ): (() => void) =>
    transport.subscribe(event, (payload) =>
      callback(eventSchemas[event].parse(payload) as never),
    );
  // Object.fromEntries cannot carry the per-channel types; the shape is exactly Api by construction.
  return { ...methods, on } as unknown as Api;
}

export function bridgeTransport(bridge: Bridge): Transport {
  return {
    request: (channel, input) => bridge[channel](input),
    subscribe: (event, callback) => bridge.on(event, callback),
  };
}

/** Browser mode: POST /api/<channel> with the launch token; events from one EventSource. */
export function httpTransport(origin: string, token: string): Transport {
  let source: EventSource | null = null;
  return {
    async request(channel, input) {
      const response = await fetch(
        `${origin}/api/${encodeURIComponent(channel)}`,
        {
          method: "POST",
          headers: {
            "Content-Type": "application/json",
            Authorization: `Bearer ${token}`,
          },
          body: input === undefined ? "" : JSON.stringify(input),
        },
      );
      const type = response.headers.get("content-type") ?? "";
      if (!type.startsWith("application/json")) {
        return {
          ok: false,
          error: {
            code: "unavailable",
            message: `Cellcert's browser host answered ${response.status}; is it still running?`,
          },
        };
      }
      return (await response.json()) as Envelope<unknown>;
    },
    subscribe(event, callback) {
      source ??= new EventSource(
        `${origin}/api/events?token=${encodeURIComponent(token)}`,
      );
      const listener = (message: MessageEvent<string>): void =>
        callback(JSON.parse(message.data));
      source.addEventListener(event, listener);
      return () => source?.removeEventListener(event, listener);
    },
  };
}
