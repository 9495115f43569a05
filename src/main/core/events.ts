import type { EventName, Events } from '../../shared/contract'
import type { EventBus } from '../events/bus'

export type ContractEventHandler = <E extends EventName>(event: E, payload: Events[E]) => void

/**
 * Forwards the in-process bus to the contract's push events (what the window and the SSE stream
 * carry). Returns the function that unsubscribes all of them.
 */
export function subscribeContractEvents(bus: EventBus, handler: ContractEventHandler): () => void {
  const offs = [
    bus.on('call:stored', (p) => handler('call:received', p)),
    bus.on('push:rejected', (p) => handler('push:rejected', p)),
    bus.on('agent:updated', (p) => handler('agent:status', p)),
    bus.on('agent:removed', (p) => handler('agent:removed', p)),
    bus.on('change:updated', (p) => handler('change:updated', p)),
    bus.on('missed:updated', (p) => handler('missed:updated', p)),
    bus.on('health:changed', (p) => handler('health:changed', p)),
    bus.on('storage:problem', (p) => handler('storage:problem', p)),
  ]
  return () => offs.forEach((off) => off())
}
