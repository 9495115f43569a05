import {
  EVENT_NAMES,
  type EventName,
  type Events,
  type TransportEventName,
} from '../../shared/contract'
import { storedCallText, type BusEvents, type EventBus, type Outgoing } from '../events/bus'

/**
 * A subscriber of the contract's push events. `json` is `JSON.stringify(payload)` when main has
 * that text already (a stored call: the store's text of it), for a transport that writes JSON
 * (the event stream); others ignore it.
 */
export type ContractEventHandler = <E extends EventName>(
  event: E,
  payload: Events[E],
  json?: string,
) => void

/** Events a transport or the shell sends itself, never the bus. */
const TRANSPORT_EVENTS: { readonly [E in TransportEventName]: true } = {
  'app:openCall': true,
  'app:reload': true,
  'team:updated': true,
}

/** The bus's events: every contract event but those of {@link TRANSPORT_EVENTS}. */
const BUS_EVENT_NAMES = EVENT_NAMES.filter((e): e is keyof BusEvents => !(e in TRANSPORT_EVENTS))

/**
 * What main adds to an event's payload before it leaves (e.g. a call's judgement by the
 * schedule), from the bus's payload to the contract's.
 */
export type EventDecorators = {
  [E in keyof BusEvents]?: (payload: BusEvents[E]) => Outgoing<E>
}

/** Without a decorator, a stored call leaves as the contract has it: its text, not more. */
const AS_IS: EventDecorators = {
  'call:stored': ({ call, outcome, json }) => ({
    payload: { call, outcome },
    json: storedCallText(json, outcome),
  }),
}

/**
 * Forwards every bus event, under its own name, to the contract's push events (what the window
 * and the SSE stream carry), through its decorator when it has one. Returns the function that
 * unsubscribes all of them.
 */
export function subscribeContractEvents(
  bus: EventBus,
  handler: ContractEventHandler,
  decorators: EventDecorators = {},
): () => void {
  const forward = <E extends keyof BusEvents>(event: E): (() => void) => {
    const decorate = (decorators[event] ?? AS_IS[event]) as
      ((p: BusEvents[E]) => Outgoing<E>) | undefined
    return bus.on(event, (payload) => {
      if (!decorate) return handler(event, payload as Events[E])
      const out = decorate(payload)
      handler(event, out.payload, out.json)
    })
  }
  const offs = BUS_EVENT_NAMES.map(forward)
  return () => offs.forEach((off) => off())
}
