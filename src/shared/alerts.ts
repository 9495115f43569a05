/**
 * Which calls alert the supervisor, and what the alert says: one rule for the desktop app's native
 * notifications (main) and the browser mode's notifications, toasts and sound (renderer), so the
 * Settings choices mean the same on both.
 */
import { formatClock } from './dateTime'
import type { Call, CallStatus, Settings } from './domain'
import { formatPhone } from './phone'

export type AlertSettings = Pick<Settings, 'notify' | 'alertsPaused' | 'quietOutsideOfficeHours'>

/**
 * Whether a newly stored call alerts: the user's choice (every call; missed only, meaning MISSED
 * and DROPPED; or off), nothing while alerts are paused, and, when the user asked for quiet,
 * nothing for a call that started while the office was closed (`closedAtStart`, judged by main
 * with the schedule in force then).
 */
export function shouldAlert(
  status: CallStatus,
  settings: AlertSettings,
  closedAtStart: boolean,
): boolean {
  if (settings.alertsPaused || settings.notify === 'off') return false
  if (settings.notify === 'missed' && status === 'ANSWER') return false
  if (settings.quietOutsideOfficeHours && closedAtStart) return false
  return true
}

/** The instant a call is judged at: its start, or its receipt when the start is unreadable. */
export function alertInstant(call: Pick<Call, 'startedAt' | 'receivedAt'>): number {
  const started = Date.parse(call.startedAt)
  return Number.isNaN(started) ? Date.parse(call.receivedAt) : started
}

const TITLES: Record<CallStatus, string> = {
  ANSWER: 'Answered call',
  MISSED: 'Missed call',
  DROPPED: 'Dropped call',
}

/** Title and body of one call's alert (no secrets, only what the feed shows). */
export function alertContent(
  call: Pick<Call, 'status' | 'callerNumber' | 'department' | 'time' | 'ivrSeconds'>,
): { title: string; body: string } {
  const parts: string[] = []
  if (call.department) parts.push(call.department)
  parts.push(`at ${formatClock(call.time)}`)
  if (call.status !== 'ANSWER' && call.ivrSeconds !== null)
    parts.push(`waited ${call.ivrSeconds} s`)
  return {
    title: `${TITLES[call.status]} from ${formatPhone(call.callerNumber)}`,
    body: parts.join(' · '),
  }
}

/** Calls closer together than this collapse into one alert ("5 new calls"). */
export const BURST_MS = 10_000

/**
 * Collapses alerts that come fast: each call within {@link BURST_MS} of the previous one joins
 * its burst, and the burst is shown as one alert that is updated in place.
 */
export class AlertBurst {
  private count = 0
  private missed = 0
  private last = -Infinity

  constructor(private readonly windowMs = BURST_MS) {}

  /** Adds a call at `now` (ms); answers what the one alert shows now. */
  add(
    call: Pick<Call, 'status' | 'callerNumber' | 'department' | 'time' | 'ivrSeconds'>,
    now: number,
  ): { count: number; missed: number; title: string; body: string } {
    if (now - this.last > this.windowMs) {
      this.count = 0
      this.missed = 0
    }
    this.last = now
    this.count++
    if (call.status !== 'ANSWER') this.missed++
    const one = alertContent(call)
    if (this.count === 1) return { count: 1, missed: this.missed, ...one }
    const unanswered = this.missed > 0 ? ` (${this.missed} missed or dropped)` : ''
    return {
      count: this.count,
      missed: this.missed,
      title: `${this.count} new calls${unanswered}`,
      body: `Latest: ${one.title}, ${one.body}`,
    }
  }
}
