import { createHash } from 'node:crypto'
import type { EventName, Events } from '../../shared/contract'
import { alertContent, alertInstant, shouldAlert, type AlertSettings } from '../../shared/alerts'
import type { Call } from '../../shared/domain'
import { formatPhone } from '../../shared/phone'
import type { Core } from '../core/core'
import type { Logger } from '../ground/logger'

export type NotifySettings = AlertSettings

/**
 * Whether a newly stored call deserves a native notification: the rule the browser mode shares
 * (`shared/alerts.ts`), with "closed" the judgement the call left main with (by the schedule in
 * force at its start), or judged at its start when it has none.
 */
export function shouldNotify(
  call: Pick<Call, 'status' | 'startedAt' | 'receivedAt' | 'outsideOfficeHours'>,
  settings: NotifySettings,
  isOpenAt: (ms: number) => boolean,
): boolean {
  const closed =
    settings.quietOutsideOfficeHours && (call.outsideOfficeHours ?? !isOpenAt(alertInstant(call)))
  return shouldAlert(call.status, settings, closed)
}

/** Title and body of a call's notification (no secrets, only what the feed shows). */
export const notificationContent = alertContent

/** What we use of Electron's `Notification`. */
export interface NotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown
  /** macOS and Windows: the system refused it (an unsigned macOS app, toasts turned off...). */
  on(event: 'failed', listener: (event: unknown, error: string) => void): unknown
  show(): void
}

/** What a notification is made of: `id` (macOS, Windows) names the call it opens. */
export interface NotificationOptions {
  title: string
  body: string
  id?: string
}

/** What the system hands back when a notification is clicked (Electron's `ActivationArguments`). */
export interface Activation {
  arguments: string
}

/**
 * Why a notification was not shown, in words for the tray's tooltip: the platform has no
 * notification service (Linux without a notification daemon), or the system refused it.
 */
export const NOTIFICATIONS_UNAVAILABLE = 'this system offers no notification service'

const ID_PREFIX = 'ivrs-call:'
/** Windows keeps a toast's tag (the notification's id there) to 64 characters. */
const MAX_ID = 64

/**
 * The notification id that names a call (Windows hands it back on activation). A call id too
 * long for a toast's tag is named by a digest instead, which only this session can map back.
 */
export function notificationId(callId: string): string {
  const id = ID_PREFIX + encodeURIComponent(callId)
  if (id.length <= MAX_ID) return id
  return `${ID_PREFIX}#${createHash('sha256').update(callId).digest('base64url')}`
}

/** The call an activation names (or the digest naming it, `#...`), or null when it names none. */
export function callFromActivation(details: Activation): string | null {
  const m = /ivrs-call:(#?[^\s&"'<>]+)/.exec(details.arguments ?? '')
  if (!m) return null
  if (m[1]!.startsWith('#')) return m[1]!
  try {
    return decodeURIComponent(m[1]!)
  } catch {
    return null
  }
}

export interface NotificationDeps {
  core: Pick<Core, 'subscribe'>
  settings: () => NotifySettings
  isOpenAt: (ms: number) => boolean
  /** `Notification.isSupported`. */
  isSupported: () => boolean
  /** `(opts) => new Notification(opts)`. */
  createNotification: (opts: NotificationOptions) => NotificationLike
  /** Shows the window and sends `app:openCall` for the call. */
  openCall: (id: string) => void
  /**
   * A notification that should have shown did not (`reason`): the platform has none, it could
   * not be created, or the system refused it (`failed`). The tray and the window frame stand in.
   */
  notShown?: (reason: string) => void
  /**
   * `Notification.handleActivation` (Windows): clicks in the Action Center, including on toasts
   * whose object is gone (after a restart); a click that names no call shows the window.
   */
  handleActivation?: (callback: (details: Activation) => void) => void
  showWindow?: () => void
  logger: Logger
}

/** A burst of calls shows this many notifications one by one per {@link BURST_WINDOW_MS}... */
export const BURST_SHOWN = 3
/** ...and the rest of the window's calls in one summary at its end. */
export const BURST_WINDOW_MS = 10_000

/**
 * Shows a native notification for each new call that {@link shouldNotify} lets through; clicking
 * it opens that call. Every way one can fail to show is told to `notShown`. Only first versions (`created`) alert: a revision of a known call does not
 * ring twice. A burst (a vendor replaying a backlog after the tunnel was down sends thousands at
 * once) shows {@link BURST_SHOWN} and then one summary per {@link BURST_WINDOW_MS}, "12 more
 * missed calls", which opens the newest of them. Returns the unsubscribe function.
 */
export function wireNotifications(deps: NotificationDeps): () => void {
  // Electron drops a notification's click handler if the object is garbage-collected while it
  // is on screen: keep each one referenced until it is clicked or closed.
  const live = new Map<NotificationLike, string>()
  // Digest ids of this session's notifications, back to their calls.
  const digests = new Map<string, string>()
  const notShown = (reason: string): void => deps.notShown?.(reason)
  const show = (content: { title: string; body: string }, callId: string): void => {
    try {
      const id = notificationId(callId)
      if (id.startsWith(`${ID_PREFIX}#`)) digests.set(id.slice(ID_PREFIX.length), callId)
      const n = deps.createNotification({ ...content, id })
      live.set(n, callId)
      n.on('click', () => {
        live.delete(n)
        deps.openCall(callId)
      })
      n.on('close', () => live.delete(n))
      n.on('failed', (_event, error) => {
        live.delete(n)
        deps.logger.warn('A notification was refused by the system', { error })
        notShown(`the system refused it (${error})`)
      })
      n.show()
    } catch (err) {
      deps.logger.warn('Could not show a notification', { error: String(err) })
      notShown(`it could not be created (${String(err)})`)
    }
  }
  deps.handleActivation?.((details) => {
    const named = callFromActivation(details)
    const callId = named?.startsWith('#') ? (digests.get(named) ?? null) : named
    if (callId === null) return deps.showWindow?.()
    // A notification still on screen answers its own click.
    if (![...live.values()].includes(callId)) deps.openCall(callId)
  })

  // The calls of the current window beyond BURST_SHOWN: how many, whether all were missed or
  // dropped, and the newest (what the summary opens).
  let shownInWindow = 0
  let folded = { count: 0, missedOnly: true, newest: null as Call | null }
  let windowEnd: NodeJS.Timeout | null = null
  const endWindow = (): void => {
    windowEnd = null
    shownInWindow = 0
    const { count, missedOnly, newest } = folded
    folded = { count: 0, missedOnly: true, newest: null }
    if (count === 0 || !newest) return
    const noun = `${missedOnly ? 'missed call' : 'call'}${count === 1 ? '' : 's'}`
    show(
      {
        title: `${count} more ${noun}`,
        body: `The newest from ${formatPhone(newest.callerNumber)}`,
      },
      newest.id,
    )
  }

  const off = deps.core.subscribe(<E extends EventName>(event: E, payload: Events[E]) => {
    if (event !== 'call:stored') return
    const { call, outcome } = payload as Events['call:stored']
    if (outcome !== 'created') return
    if (!shouldNotify(call, deps.settings(), deps.isOpenAt)) return
    if (!deps.isSupported()) return notShown(NOTIFICATIONS_UNAVAILABLE)
    if (!windowEnd) {
      windowEnd = setTimeout(endWindow, BURST_WINDOW_MS)
      windowEnd.unref?.()
    }
    if (shownInWindow >= BURST_SHOWN) {
      folded.count++
      folded.missedOnly &&= call.status !== 'ANSWER'
      folded.newest = call
      return
    }
    shownInWindow++
    show(notificationContent(call), call.id)
  })
  return () => {
    off()
    if (windowEnd) clearTimeout(windowEnd)
    windowEnd = null
  }
}
