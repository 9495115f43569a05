import {
  EVENT_NAMES,
  type EventName,
  type Events,
  type TransportEventName,
} from '../../shared/contract'
import type { BusEvents, EventBus } from '../events/bus'

export type ContractEventHandler = <E extends EventName>(event: E, payload: Events[E]) => void

/** Events a transport or the shell sends itself, never the bus. */
const TRANSPORT_EVENTS: { readonly [E in TransportEventName]: true } = {
  'app:openCall': true,
  'app:reload': true,
  'team:updated': true,
}

/** The bus's events: every contract event but those of {@link TRANSPORT_EVENTS}. */
const BUS_EVENT_NAMES = EVENT_NAMES.filter((e): e is keyof BusEvents => !(e in TRANSPORT_EVENTS))

/** What main adds to an event's payload before it leaves (e.g. a call's judgement by the schedule). */
export type EventDecorators = { [E in keyof BusEvents]?: (payload: Events[E]) => Events[E] }

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
    const decorate = decorators[event] as ((p: Events[E]) => Events[E]) | undefined
    return bus.on(event, (payload) =>
      handler(event, decorate ? decorate(payload as Events[E]) : (payload as Events[E])),
    )
  }
  const offs = BUS_EVENT_NAMES.map(forward)
  return () => offs.forEach((off) => off())
}
