/**
 * A stored call, alerted in the renderer: the alert strip, the sound and, in the browser mode, a
 * system notification while the tab is in the background. Which calls alert is the rule the
 * desktop app's native notifications follow (`shared/alerts.ts`), with "outside office hours" as
 * main judged it for the call (`outsideOfficeHours` on `call:stored`).
 */
import { AlertBurst, shouldAlert } from '../../shared/alerts'
import type { Call, Settings } from '../../shared/domain'
import { playAlertSound } from './sound'
import { showCallAlert } from './toast'

/** What alerting needs from the page, so tests can pass fakes. */
export interface AlertPage {
  /** `document.visibilityState === 'hidden'`. */
  hidden(): boolean
  /** The page's `Notification` constructor when notifications are granted, else null. */
  notifier():
    ((title: string, options: { body: string; tag: string }) => { onclick: unknown }) | null
  focus(): void
}

export interface CallAlertDeps {
  settings: () => Settings | null
  /** Browser mode: system notifications from a background tab (the desktop app's are native). */
  browser: boolean
  page: AlertPage
  /** Opens the call the user clicked in a notification. */
  openCall: (call: Call) => void
  sound?: (call: Call) => void
  now?: () => number
}

/** Returns the function that alerts one newly stored call (first versions only). */
export function createCallAlerts(deps: CallAlertDeps): (call: Call) => void {
  const burst = new AlertBurst()
  const now = deps.now ?? Date.now
  const sound = deps.sound ?? ((c: Call) => void playAlertSound(c.status))
  return (call) => {
    const settings = deps.settings()
    if (!settings) return
    if (!shouldAlert(call.status, settings, call.outsideOfficeHours === true)) return
    const at = now()
    const shown = burst.add(call, at)
    showCallAlert({ ...shown, status: call.status, callId: call.id, at })
    // One sound per burst, and once more when its first missed or dropped call joins it (the
    // lower tone): a replay of 50 calls after a reconnect is not 50 sounds at once.
    const firstMissed = call.status !== 'ANSWER' && shown.missed === 1
    if (settings.alertSound && (shown.count === 1 || firstMissed)) sound(call)
    if (!deps.browser || !deps.page.hidden()) return
    const Notify = deps.page.notifier()
    if (!Notify) return
    // One notification per burst, replaced in place (same tag): "5 new calls", not five.
    try {
      const n = Notify(shown.title, { body: shown.body, tag: 'ivrs-calls' })
      n.onclick = () => {
        deps.page.focus()
        deps.openCall(call)
      }
    } catch {
      // A browser that refuses notifications here still has the strip and the title badge.
    }
  }
}

/** The real page: the tab's visibility and the browser's Notification, when granted. */
export const browserPage: AlertPage = {
  hidden: () => document.visibilityState === 'hidden',
  notifier: () => {
    const N = (globalThis as { Notification?: typeof Notification }).Notification
    if (!N || N.permission !== 'granted') return null
    return (title, options) => new N(title, options)
  },
  focus: () => window.focus(),
}
