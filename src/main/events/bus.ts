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

/**
 * `obj` with one field more, for a subscriber that passes an emitted object on that way (a stored
 * call with its judgement by the schedule), keeping {@link knownJson}'s saving: when `obj`'s text
 * is known and `obj` has no such field, the copy's text is that text with the field spliced in
 * first, where `JSON.stringify` puts it in this copy, not a second stringify. (The field goes
 * first because a copy that adds it last costs several times more in V8.) For records with named
 * fields, as a call is: an integer-like key would be ordered before it. Like a publisher, the
 * caller deletes the copy's entry once its subscribers are done with it.
 */
export function withKnownField<T extends object, K extends string, V extends JsonScalar>(
  obj: T,
  key: K,
  value: V,
): T & { [k in K]: V } {
  type Out = T & { [k in K]: V }
  if (Object.hasOwn(obj, key)) return { ...obj, [key]: value } as Out
  const out = { [key]: value, ...obj } as Out
  const json = knownJson.get(obj)
  if (json !== undefined && json.startsWith('{')) {
    const rest = json === '{}' ? '}' : `,${json.slice(1)}`
    knownJson.set(out, `{${JSON.stringify(key)}:${JSON.stringify(value)}${rest}`)
  }
  return out
}

type JsonScalar = boolean | number | string | null

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
