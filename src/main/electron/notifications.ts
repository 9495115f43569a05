import type { EventName, Events } from '../../shared/contract'
import type { Call, Settings } from '../../shared/domain'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'

export type NotifySettings = Pick<Settings, 'notify' | 'alertsPaused' | 'quietOutsideOfficeHours'>

/**
 * Whether a newly stored call deserves a native notification: the user's choice (every call,
 * missed only, meaning MISSED and DROPPED, or off), not while alerts are paused, and, if the
 * user asked for quiet, not for calls outside office hours (judged at the call's start).
 */
export function shouldNotify(
  call: Pick<Call, 'status' | 'startedAt' | 'receivedAt'>,
  settings: NotifySettings,
  isOpenAt: (ms: number) => boolean,
): boolean {
  if (settings.alertsPaused || settings.notify === 'off') return false
  if (settings.notify === 'missed' && call.status === 'ANSWER') return false
  if (settings.quietOutsideOfficeHours) {
    const started = Date.parse(call.startedAt)
    const at = Number.isNaN(started) ? Date.parse(call.receivedAt) : started
    if (!isOpenAt(at)) return false
  }
  return true
}

const TITLES: Record<Call['status'], string> = {
  ANSWER: 'Answered call',
  MISSED: 'Missed call',
  DROPPED: 'Dropped call',
}

/** Title and body of a call's notification (no secrets, only what the feed shows). */
export function notificationContent(
  call: Pick<Call, 'status' | 'callerNumber' | 'department' | 'time' | 'ivrSeconds'>,
): { title: string; body: string } {
  const parts = [`from ${call.callerNumber}`]
  if (call.department) parts.push(call.department)
  parts.push(`at ${call.time}`)
  if (call.status !== 'ANSWER' && call.ivrSeconds !== null)
    parts.push(`waited ${call.ivrSeconds} s`)
  return { title: `${TITLES[call.status]} ${parts[0]}`, body: parts.slice(1).join(' · ') }
}

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
