import type { EventBus } from '../events/bus'
import type { CallStore } from '../storage/types'

/**
 * The one path of `call:stored`: every call the store announces (this instance's pushes once
 * durable, and calls another instance sharing the storage stored) goes on the bus with the JSON
 * text the store had for it. Returns the function that stops it.
 */
export function announceStoredCalls(store: Pick<CallStore, 'onStored'>, bus: EventBus): () => void {
  return store.onStored(({ call, outcome, json }) =>
    bus.emit('call:stored', { call, outcome, json }),
  )
}
