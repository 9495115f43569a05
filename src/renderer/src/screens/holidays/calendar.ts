/** The year calendar's pure parts: month grids, India's national-holiday preset, ranges. */
import type { Holiday, YearlyHolidayRule } from '../../../../shared/domain'
import { parseDateInput } from '../../../../shared/dateTime'
import { datesBetween, parseDate } from '../../dates'

/**
 * One month as weeks of seven cells, Monday first; cells outside the month are null.
 * `month` is 1..12.
 */
export function monthGrid(year: number, month: number): (string | null)[][] {
  const first = parseDate(`${year}-${String(month).padStart(2, '0')}-01`)
  if (!first) throw new RangeError(`Not a month: ${year}-${month}`)
  const lead = (first.day() + 6) % 7 // Monday = 0
  const cells: (string | null)[] = Array.from({ length: lead }, () => null)
  for (let d = 0; d < first.daysInMonth(); d++) cells.push(first.add(d, 'day').format('YYYY-MM-DD'))
  while (cells.length % 7 !== 0) cells.push(null)
  const weeks: (string | null)[][] = []
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7))
  return weeks
}

/** India's fixed-date national holidays, offered as yearly rules the user accepts or skips. */
export const INDIA_NATIONAL_HOLIDAYS: readonly YearlyHolidayRule[] = [
  { monthDay: '01-26', name: 'Republic Day' },
  { monthDay: '08-15', name: 'Independence Day' },
  { monthDay: '10-02', name: 'Gandhi Jayanti' },
]

/** The preset's dates in `year`. */
export function presetDates(year: number): { date: string; name: string }[] {
  return INDIA_NATIONAL_HOLIDAYS.map((r) => ({ date: `${year}-${r.monthDay}`, name: r.name }))
}

/** Preset entries still worth offering: not already a rule and not skipped by the user. */
export function presetsToOffer(
  rules: readonly YearlyHolidayRule[],
  skipped: readonly string[],
): YearlyHolidayRule[] {
  const have = new Set(rules.map((r) => r.monthDay))
  return INDIA_NATIONAL_HOLIDAYS.filter(
    (p) => !have.has(p.monthDay) && !skipped.includes(p.monthDay),
  )
}

/** Longest range we let one request send (the vendor takes one date per call). */
export const MAX_RANGE_DAYS = 62

/** Checks a range before sending it: null when fine, else what is wrong. */
export function rangeError(from: string, to: string): string | null {
  const a = parseDate(from)
  const b = parseDate(to)
  if (!a || !b) return 'Choose the first and the last day.'
  if (b.isBefore(a)) return 'The last day is before the first.'
  if (datesBetween(from, to).length > MAX_RANGE_DAYS)
    return `At most ${MAX_RANGE_DAYS} days at once (the vendor takes one date per request).`
  return null
}

/**
 * The day and month of a yearly holiday, typed day first as every date field reads it (`15 Aug`,
 * `15/08`, `26 January`): `MM-DD` for the rule, or why the text is not one. 29 February is a
 * rule (it falls in leap years).
 */
export function parseDayMonth(text: string): { monthDay: string } | { error: string } {
  // 2024 is a leap year, so 29 February reads as a day of some year.
  const read = parseDateInput(text, '2024-01-01')
  if ('date' in read) return { monthDay: read.date.slice(5) }
  if ('empty' in read) return { error: 'Type the day and month, e.g. 15 Aug.' }
  return { error: read.error.replace(' 2024 has', ' has') }
}

/** Holidays by date, for the calendar cells. */
export function holidaysByDate(holidays: readonly Holiday[]): Map<string, Holiday> {
  return new Map(holidays.map((h) => [h.date, h]))
}

/** Holidays of one year grouped by month (1..12), each month sorted by date. */
export function holidaysByMonth(
  holidays: readonly Holiday[],
  year: number,
): Map<number, Holiday[]> {
  const out = new Map<number, Holiday[]>()
  const prefix = `${year}-`
  for (const h of [...holidays].sort((a, b) => a.date.localeCompare(b.date))) {
    if (!h.date.startsWith(prefix)) continue
    const month = Number(h.date.slice(5, 7))
    const list = out.get(month) ?? []
    list.push(h)
    out.set(month, list)
  }
  return out
}
