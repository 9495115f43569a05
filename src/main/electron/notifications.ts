import type { EventName, Events } from '../../shared/contract'
import { alertContent, alertInstant, shouldAlert, type AlertSettings } from '../../shared/alerts'
import type { Call } from '../../shared/domain'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'

export type NotifySettings = AlertSettings

/**
 * Whether a newly stored call deserves a native notification: the rule the browser mode shares
 * (`shared/alerts.ts`), with "closed" judged at the call's start.
 */
export function shouldNotify(
  call: Pick<Call, 'status' | 'startedAt' | 'receivedAt'>,
  settings: NotifySettings,
  isOpenAt: (ms: number) => boolean,
): boolean {
  const closed = settings.quietOutsideOfficeHours && !isOpenAt(alertInstant(call))
  return shouldAlert(call.status, settings, closed)
}

/** Title and body of a call's notification (no secrets, only what the feed shows). */
export const notificationContent = alertContent

/** What we use of Electron's `Notification`. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  show(): void
}

export interface NotificationDeps {
  core: Pick<Core, 'subscribe'>
  settings: () => NotifySettings
  isOpenAt: (ms: number) => boolean
  /** `Notification.isSupported`. */
  isSupported: () => boolean
  /** `(opts) => new Notification(opts)`. */
  createNotification: (opts: { title: string; body: string }) => NotificationLike
  /** Shows the window and sends `app:openCall` for the call. */
  openCall: (id: string) => void
  logger: Logger
}

/**
 * Shows a native notification for each new call that {@link shouldNotify} lets through; clicking
 * it opens that call. Only first versions (`created`) alert: a revision of a known call does not
 * ring twice. Returns the unsubscribe function.
 */
export function wireNotifications(deps: NotificationDeps): () => void {
  // Electron drops a notification's click handler if the object is garbage-collected while it
  // is on screen: keep each one referenced until it is clicked or closed.
  const live = new Set<NotificationLike>()
  return deps.core.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'call:stored') return
    const { call, outcome } = payload as Events['call:stored']
    if (outcome !== 'created' || !deps.isSupported()) return
    if (!shouldNotify(call, deps.settings(), deps.isOpenAt)) return
    try {
      const n = deps.createNotification(notificationContent(call))
      live.add(n)
      n.on('click', () => {
        live.delete(n)
        deps.openCall(call.id)
      })
      n.on('close', () => live.delete(n))
      n.show()
    } catch (err) {
      deps.logger.warn('Could not show a notification', { error: String(err) })
    }
  })
}
