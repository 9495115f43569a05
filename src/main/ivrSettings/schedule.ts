import { DateTime } from 'luxon'
import type { OpenState } from '../../shared/contract'
import type { OfficeDay } from '../../shared/domain'
import { parseHourMinute } from '../../shared/officeTime'
import type { HoursByDay } from './officeHours'

/** What the schedule needs: holiday dates (with names) and the hours per day. */
export interface ScheduleData {
  holidays: ReadonlyMap<string, string | null>
  hours: HoursByDay
}

/** How far ahead `describeOpenState` looks for the next change (a long holiday range fits). */
const HORIZON_DAYS = 400

type DayPlan =
  | { kind: 'holiday'; name: string | null }
  | { kind: 'all' }
  | { kind: 'hours'; start: number; end: number }

/**
 * The plan for one local day: a holiday closes it; else its weekday entry, else `Daily`; a day
 * with no applicable entry is open all day (we do not know of any hours the IVR applies then),
 * which also makes "no office hours configured" mean open.
 */
function dayPlan(day: DateTime, data: ScheduleData): DayPlan {
  const date = day.toISODate()!
  if (data.holidays.has(date)) return { kind: 'holiday', name: data.holidays.get(date) ?? null }
  const weekday = day.setLocale('en-US').toFormat('cccc') as OfficeDay
  const entry = data.hours[weekday] ?? data.hours.Daily
  const start = entry ? parseHourMinute(entry.start) : null
  const end = entry ? parseHourMinute(entry.end) : null
  if (start === null || end === null) return { kind: 'all' }
  return { kind: 'hours', start, end }
}

/** Open intervals [from, to) of one day, in epoch ms. */
function openIntervals(day: DateTime, plan: DayPlan): [number, number][] {
  if (plan.kind === 'holiday') return []
  if (plan.kind === 'all') return [[day.toMillis(), day.plus({ days: 1 }).toMillis()]]
  const at = (min: number): number =>
    day.set({ hour: Math.floor(min / 60), minute: min % 60 }).toMillis()
  return [[at(plan.start), at(plan.end)]]
}

const NO_HOLIDAYS: ReadonlyMap<string, string | null> = new Map()

/** Open intervals [from, to) of one local day by the office hours alone (no holidays). */
export function hoursIntervals(day: DateTime, hours: HoursByDay): [number, number][] {
  return openIntervals(day, dayPlan(day, { holidays: NO_HOLIDAYS, hours }))
}

/** Is the office open at instant `ms` in `zone` (holidays and weekday overrides included)? */
export function isOpenAt(ms: number, zone: string, data: ScheduleData): boolean {
  const day = DateTime.fromMillis(ms, { zone }).startOf('day')
  return openIntervals(day, dayPlan(day, data)).some(([a, b]) => ms >= a && ms < b)
}

/** Open or closed now, in words, with the next change. */
export function describeOpenState(ms: number, zone: string, data: ScheduleData): OpenState {
  const now = DateTime.fromMillis(ms, { zone }).setLocale('en-US')
  const today = now.startOf('day')
  // Merged open intervals from today on, until the next change is known (or the horizon).
  const intervals: [number, number][] = []
  for (let i = 0; i < HORIZON_DAYS; i++) {
    const day = today.plus({ days: i })
    for (const iv of openIntervals(day, dayPlan(day, data))) {
      const last = intervals[intervals.length - 1]
      if (last && last[1] === iv[0]) last[1] = iv[1]
      else intervals.push([...iv])
    }
    const dayEnd = day.plus({ days: 1 }).toMillis()
    const decided = intervals.some(
      ([a, b]) => (a > ms && a < dayEnd) || (a <= ms && ms < b && b < dayEnd),
    )
    if (decided) break
  }
  const horizonEnd = today.plus({ days: HORIZON_DAYS }).toMillis()
  const current = intervals.find(([a, b]) => ms >= a && ms < b)
  const when = (t: number): string => describeWhen(now, DateTime.fromMillis(t, { zone }))
  if (current) {
    const closes = current[1] < horizonEnd ? current[1] : null
    const hear = HEAR.open
    if (closes === null) {
      const none = Object.keys(data.hours).length === 0
      return {
        open: true,
        text: none ? 'Open (no office hours set)' : 'Open now',
        nextChangeAt: null,
        hear,
      }
    }
    return {
      open: true,
      text: `Open now, closes ${when(closes)}`,
      nextChangeAt: iso(closes, zone),
      hear,
    }
  }
  const plan = dayPlan(today, data)
  const holiday = plan.kind === 'holiday'
  const reason = holiday ? ` (holiday${plan.name ? `: ${plan.name}` : ''})` : ''
  const hear = holiday ? HEAR.holiday : HEAR.closed
  const next = intervals.find(([a]) => a > ms)
  if (!next) return { open: false, text: `Closed${reason}`, nextChangeAt: null, hear }
  return {
    open: false,
    text: `Closed${reason}, opens ${when(next[0])}`,
    nextChangeAt: iso(next[0], zone),
    hear,
  }
}

/** What callers hear, by the state of the office (the words of "What callers hear"). */
const HEAR = {
  open: 'Callers are put through to an available agent of their department.',
  closed: 'Callers hear the closed message: no agent is rung.',
  holiday: 'Callers hear the holiday message all day: no agent is rung.',
} as const

/** `at 6:00 PM` today, `Monday 9:30 AM` within the week, else `Mon 26 Jan 9:30 AM`. */
function describeWhen(now: DateTime, t: DateTime): string {
  const time = t.setLocale('en-US').toFormat('h:mm a')
  const days = Math.round(t.startOf('day').diff(now.startOf('day'), 'days').days)
  if (days === 0) return `at ${time}`
  if (days < 7) return `${t.setLocale('en-US').toFormat('cccc')} ${time}`
  return `${t.setLocale('en-US').toFormat('ccc d LLL')} ${time}`
}

function iso(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true })!
}
