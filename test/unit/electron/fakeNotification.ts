import type { NotificationLike } from '../../../src/main/electron/notifications'

/** A fake of Electron's Notification: what was shown, each with its click. */
export function fakeNotifications(): {
  shown: { title: string; body: string; click: () => void }[]
  create: (opts: { title: string; body: string }) => NotificationLike
} {
  const shown: { title: string; body: string; click: () => void }[] = []
  return {
    shown,
    create: (opts) => {
      const listeners: Record<string, () => void> = {}
      return {
        on: (e, l) => {
          listeners[e] = l
        },
        show: () => shown.push({ ...opts, click: () => listeners['click']?.() }),
      }
    },
  }
}
