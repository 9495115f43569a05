/**
 * Local calendar dates (`YYYY-MM-DD`) as plain strings. Arithmetic runs on UTC midnights, so it
 * never depends on the machine's zone; "today" is asked of the configured zone explicitly.
 */
import { WEEKDAYS, type Weekday } from '../../../../shared/domain'

const DAY_MS = 86_400_000
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/

/** `YYYY-MM-DD` → UTC midnight in ms; null when not a real date. */
export function dateMs(date: string): number | null {
  const m = ISO_DATE.exec(date)
  if (!m) return null
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]))
  return new Date(ms).toISOString().slice(0, 10) === date ? ms : null
}

export function dateOfMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10)
}

/** `date` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  const ms = dateMs(date)
  if (ms === null) throw new RangeError(`Not a date: "${date}"`)
  return dateOfMs(ms + days * DAY_MS)
}

/** Monday … Sunday of a local date. */
export function weekdayOf(date: string): Weekday {
  const ms = dateMs(date)
  if (ms === null) throw new RangeError(`Not a date: "${date}"`)
  const js = new Date(ms).getUTCDay() // 0 = Sunday
  return WEEKDAYS[(js + 6) % 7]!
}

/** Every date from `from` to `to`, inclusive; empty when `to` is before `from`. */
export function datesBetween(from: string, to: string): string[] {
  const a = dateMs(from)
  const b = dateMs(to)
  if (a === null || b === null) return []
  const out: string[] = []
  for (let t = a; t <= b; t += DAY_MS) out.push(dateOfMs(t))
  return out
}

/** Today's date in `timeZone` (falls back to UTC when the zone is unknown). */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  try {
    // en-CA formats dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(now)
  } catch {
    return now.toISOString().slice(0, 10)
  }
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
] as const

export function monthName(month: number): string {
  return MONTHS[month - 1] ?? String(month)
}

/** `2026-08-15` → `15 August 2026`. */
export function longDate(date: string): string {
  const m = ISO_DATE.exec(date)
  if (!m) return date
  return `${Number(m[3])} ${monthName(Number(m[2]))} ${m[1]}`
}

/** `08-15` → `15 August`. */
export function monthDayLabel(monthDay: string): string {
  const m = /^(\d{2})-(\d{2})$/.exec(monthDay)
  return m ? `${Number(m[2])} ${monthName(Number(m[1]))}` : monthDay
}
