import type { EventName, Events, TransportEventName } from '../../shared/contract'

/**
 * Everything services announce in-process: the contract's events but those a transport or the
 * shell sends itself, under the same names. The UI transports, the tray and the services subscribe.
 * A stored call travels with its JSON text when the store had it (see {@link StoredCallEvent}).
 */
export type BusEvents = {
  [E in Exclude<EventName, TransportEventName>]: E extends 'call:stored'
    ? StoredCallEvent
    : Events[E]
}

/**
 * `call:stored` on the bus: the contract's payload plus `json`, `JSON.stringify(call)` when the
 * store made that text anyway (for its journal, or read it from a row), so that the event stream
 * writes it instead of stringifying the call again. It never leaves main: the contract's
 * subscribers get `{ call, outcome }` (see `core/events.ts`).
 */
export type StoredCallEvent = Events['call:stored'] & { json?: string }

/**
 * An event as it leaves main for the contract's subscribers: the contract's payload, and
 * `JSON.stringify(payload)` when main has that text already.
 */
export interface Outgoing<E extends EventName> {
  payload: Events[E]
  json?: string
}

/** The text of `{ call, outcome }` from the call's text, in the order `JSON.stringify` writes it. */
export function storedCallText(
  callJson: string | undefined,
  outcome: Events['call:stored']['outcome'],
): string | undefined {
  return callJson === undefined
    ? undefined
    : `{"call":${callJson},"outcome":${JSON.stringify(outcome)}}`
}

type Handler<T> = (payload: T) => void

/** A small typed, synchronous event bus. A throwing subscriber never breaks the publisher. */
export class EventBus {
  private readonly handlers = new Map<keyof BusEvents, Set<Handler<never>>>()

  constructor(private readonly onError: (err: unknown) => void = () => {}) {}

  /** Subscribes; returns the function that unsubscribes. */
  on<K extends keyof BusEvents>(event: K, handler: Handler<BusEvents[K]>): () => void {
    let set = this.handlers.get(event)
    if (!set) this.handlers.set(event, (set = new Set()))
    set.add(handler as Handler<never>)
    return () => set.delete(handler as Handler<never>)
  }

  emit<K extends keyof BusEvents>(event: K, payload: BusEvents[K]): void {
    const set = this.handlers.get(event)
    if (!set) return
    for (const h of [...set]) {
      try {
        ;(h as Handler<BusEvents[K]>)(payload)
      } catch (err) {
        this.onError(err)
      }
    }
  }

  listenerCount(event: keyof BusEvents): number {
    return this.handlers.get(event)?.size ?? 0
  }
}
