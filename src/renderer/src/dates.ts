/**
 * Local calendar dates (`YYYY-MM-DD`) for the schedule screens, with dayjs (the date library
 * the renderer already ships for Mantine's pickers). Days are taken at UTC midnight, so the
 * arithmetic never meets the machine's own zone; "today" in the configured zone is
 * `localToday` of src/shared.
 */
import dayjs, { type Dayjs } from 'dayjs'
import utc from 'dayjs/plugin/utc'
import { WEEKDAYS, type Weekday } from '../../shared/domain'

dayjs.extend(utc)

const ISO_DATE = 'YYYY-MM-DD'

/** `YYYY-MM-DD` as a day; null when not a real calendar date (no 2026-02-30). */
export function parseDate(date: string): Dayjs | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return null
  const d = dayjs.utc(date)
  return d.isValid() && d.format(ISO_DATE) === date ? d : null
}

function day(date: string): Dayjs {
  const d = parseDate(date)
  if (!d) throw new RangeError(`Not a date: "${date}"`)
  return d
}

/** `date` plus `days` (may be negative). */
export function addDays(date: string, days: number): string {
  return day(date).add(days, 'day').format(ISO_DATE)
}

/** Monday … Sunday of a local date. */
export function weekdayOf(date: string): Weekday {
  return WEEKDAYS[(day(date).day() + 6) % 7]! // dayjs: 0 = Sunday
}

/** Every date from `from` to `to`, inclusive; empty when `to` is before `from` or either is bad. */
export function datesBetween(from: string, to: string): string[] {
  const a = parseDate(from)
  const b = parseDate(to)
  if (!a || !b) return []
  const out: string[] = []
  for (let d = a; !d.isAfter(b); d = d.add(1, 'day')) out.push(d.format(ISO_DATE))
  return out
}

/** `8` → `August`. */
export function monthName(month: number): string {
  return month >= 1 && month <= 12
    ? dayjs.utc(Date.UTC(2024, month - 1, 1)).format('MMMM')
    : String(month)
}

/** `08-15` → `15 August` (2024 is a leap year, so `02-29` reads too). */
export function monthDayLabel(monthDay: string): string {
  return parseDate(`2024-${monthDay}`)?.format('D MMMM') ?? monthDay
}
