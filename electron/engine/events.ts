// The engine's event hub: Electron main forwards events to the window, the browser host to its event streams.
// Payloads are typed here and parsed by their schema where they are received (the renderer's client), so a
// run's frequent progress and plan updates are not validated twice on the way.
import type { EventPayload } from "../../shared/contract/schemas";
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
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
