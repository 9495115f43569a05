/**
 * A holiday that closes the office today or tomorrow takes effect as soon as the vendor confirms
 * it (every call that day is MISSED, callers hear the holiday message) and the vendor's API has no
 * way to remove it. Such a request needs the person's confirmation: the screens ask before they
 * send it, main refuses it without (409). One rule and one wording for both.
 */
import { formatDate } from './dateTime'
import { WEEKDAYS } from './domain'
import type { HolidayAdd } from './schemas'

/** `YYYY-MM-DD` plus `days`, by the calendar (no zone: a local date stays a local date). */
export function plusDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + days)
  return d.toISOString().slice(0, 10)
}

/** Monday … Sunday of a local date. */
const weekdayOf = (date: string): string =>
  WEEKDAYS[(new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7]!

/**
 * The dates among today and tomorrow (local dates in the configured zone) that this request
 * would make holidays: a date, a range, a yearly rule or a weekday closed every week.
 */
export function datesClosingSoon(req: HolidayAdd, today: string): string[] {
  const soon = [today, plusDays(today, 1)]
  if ('date' in req) return soon.filter((d) => d === req.date)
  if ('from' in req) return soon.filter((d) => d >= req.from && d <= req.to)
  if ('yearly' in req) return soon.filter((d) => d.slice(5) === req.yearly)
  return soon.filter((d) => weekdayOf(d) === req.weekly)
}

/** `today (29 Nov 2026)`, `tomorrow (30 Nov 2026)`. */
function when(date: string, today: string): string {
  return `${date === today ? 'today' : 'tomorrow'} (${formatDate(date)})`
}

/**
 * What closing the office on these dates means, plainly: said before the request is sent, and by
 * main when one comes without the confirmation.
 */
export function closingSoonWarning(dates: readonly string[], today: string): string {
  const days = dates.map((d) => when(d, today)).join(' and ')
  return (
    `This closes the office ${days}. As soon as the vendor confirms it, callers hear the holiday ` +
    `message and every call is missed until the day is over. The vendor's API cannot remove a ` +
    `holiday: once sent, only the vendor can undo it (this app can only take it off its own list).`
  )
}
