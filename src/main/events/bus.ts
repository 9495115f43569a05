import type { EventName, Events, TransportEventName } from '../../shared/contract'

/**
 * Everything services announce in-process: the contract's events but those a transport or the
 * shell sends itself, under the same names. The UI transports, the tray and the services subscribe.
 */
export type BusEvents = { [E in Exclude<EventName, TransportEventName>]: Events[E] }

type Handler<T> = (payload: T) => void

/**
 * JSON text a publisher already has for an object of the payload it emits (the call the store
 * has just stringified for its journal), so that a subscriber serialising that object (the event
 * stream) does not do it again. Set just before the emit and deleted right after it: subscribers
 * run synchronously, and nothing is kept.
 */
export const knownJson = new WeakMap<object, string>()

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
