// The engine's event hub: Electron main forwards events to the window, the browser host to its event streams.
import { eventSchemas, type EventPayload } from "../../shared/contract/schemas";
import type { EventChannel } from "../../shared/contract/channels";

export type EventListener = <E extends EventChannel>(
  event: E,
  payload: EventPayload<E>,
) => void;

export interface EventHub {
  emit<E extends EventChannel>(event: E, payload: EventPayload<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventHub(): EventHub {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      // Parsing here keeps every transport honest about the contract.
      const parsed = eventSchemas[event].parse(payload) as EventPayload<
        typeof event
      >;
      for (const listener of listeners) listener(event, parsed);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
