import type { Logger } from '../ground/logger'
import type { StoredCall } from './types'

/**
 * The subscribers of a store's `onStored`, kept the same way by every backend: each told in the
 * order it subscribed, and one that throws is logged, never failing the upsert that told it (the
 * call is durable by then; what a subscriber does with it is its own affair).
 */
export class StoredCallSubscribers {
  private readonly fns = new Set<(stored: StoredCall) => void>()

  constructor(private readonly logger: Logger) {}

  add(fn: (stored: StoredCall) => void): () => void {
    this.fns.add(fn)
    return () => void this.fns.delete(fn)
  }

  /** Whether anyone listens (a backend may skip reading what nobody would be told). */
  get size(): number {
    return this.fns.size
  }

  tell(stored: StoredCall): void {
    for (const fn of [...this.fns]) {
      try {
        fn(stored)
      } catch (err) {
        this.logger.error('a subscriber of stored calls failed', {
          callId: stored.call.id,
          error: String(err),
        })
      }
    }
  }
}
