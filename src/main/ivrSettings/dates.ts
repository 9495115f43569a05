import { DateTime } from 'luxon'
import { UserError } from '../ground/errors'

/** Parses `YYYY-MM-DD` as a real calendar date (no 2026-02-30), else a UserError naming `field`. */
export function parseLocalDate(text: string, zone: string, field = 'date'): DateTime {
  const d = /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? DateTime.fromISO(text, { zone })
    : DateTime.invalid('format')
  if (!d.isValid) throw new UserError(`"${text}" is not a calendar date (YYYY-MM-DD)`, 400, [field])
  return d.startOf('day')
}

/** `MM-DD` valid in some year (29 February included). */
export function parseMonthDay(text: string): { month: number; day: number } {
  const m = /^(\d{2})-(\d{2})$/.exec(text)
  const d = m ? DateTime.fromObject({ year: 2024, month: Number(m[1]), day: Number(m[2]) }) : null
  if (!d || !d.isValid)
    throw new UserError(`"${text}" is not a month and day (MM-DD)`, 400, ['yearly'])
  return { month: d.month, day: d.day }
}

/** Today's date in `zone` at the instant `ms`. */
export function localToday(ms: number, zone: string): DateTime {
  return DateTime.fromMillis(ms, { zone }).startOf('day')
}

/**
 * The dates of a yearly rule in the twelve months from `today` (inclusive) to the same day next
 * year (exclusive). 29 February only appears in leap years.
 */
export function occurrencesWithinYear(rule: string, today: DateTime): string[] {
  const { month, day } = parseMonthDay(rule)
  const end = today.plus({ years: 1 })
  const out: string[] = []
  for (const year of [today.year, today.year + 1]) {
    const d = DateTime.fromObject({ year, month, day }, { zone: today.zone })
    if (d.isValid && d.month === month && d >= today && d < end) out.push(d.toISODate()!)
  }
  return out
}

/** The dates of `weekday` (Monday … Sunday) from `today` (inclusive) to a year later (exclusive). */
export function weekdayDatesWithinYear(weekday: number, today: DateTime): string[] {
  const end = today.plus({ years: 1 })
  const out: string[] = []
  let d = today.plus({ days: (weekday - today.weekday + 7) % 7 })
  for (; d < end; d = d.plus({ weeks: 1 })) out.push(d.toISODate()!)
  return out
}
