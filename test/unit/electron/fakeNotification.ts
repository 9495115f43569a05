import type {
  NotificationLike,
  NotificationOptions,
} from '../../../src/main/electron/notifications'

export interface FakeShown extends NotificationOptions {
  click: () => void
  /** Emits `failed` as macOS or Windows would when the system refuses it. */
  fail: (error: string) => void
  listens: string[]
}

/**
 * A fake of Electron's Notification: what was shown, each with its click and its failure.
 * `refuse` makes `show()` throw, as creating one can where the platform has none.
 */
export function fakeNotifications(opts: { refuse?: boolean } = {}): {
  shown: FakeShown[]
  create: (opts: NotificationOptions) => NotificationLike
} {
  const shown: FakeShown[] = []
  return {
    shown,
    create: (options) => {
      const listeners: Record<string, (...args: unknown[]) => void> = {}
      const n = {
        on: (event: string, listener: (...args: unknown[]) => void) => {
          listeners[event] = listener
          return n
        },
        show: () => {
          if (opts.refuse) throw new Error('notifications are not available')
          shown.push({
            ...options,
            click: () => listeners['click']?.(),
            fail: (error) => listeners['failed']?.({}, error),
            listens: Object.keys(listeners),
          })
        },
      }
      return n as NotificationLike
    },
  }
}
