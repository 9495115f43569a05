/**
 * Times of day as office hours use them, written once for main, renderer and simulator. Our API
 * speaks 24-hour `HH:MM`; the vendor's `OfficeTime` wants `HH:MI AM|PM` (two-digit hour and
 * minute; 12:00 PM is noon, 12:00 AM midnight); people read `6:00 PM`. And the vendor's one rule
 * for office hours, answered as `Invalid Time`: both times valid and start strictly before end.
 */

/** 24-hour `HH:MM`, as the request schemas and the stored office hours write it. */
export const HOUR_MINUTE_PATTERN = '^([01]\\d|2[0-3]):([0-5]\\d)$'
const HHMM = new RegExp(HOUR_MINUTE_PATTERN)

/** The vendor's word for office hours it refuses. */
export const INVALID_TIME = 'Invalid Time'

/** `HH:MM` (24 h) → minutes since midnight, or null when not a valid time. */
export function parseHourMinute(text: string): number | null {
  const m = HHMM.exec(text)
  if (!m) return null
  return Number(m[1]) * 60 + Number(m[2])
}

/** Minutes since midnight → `HH:MM` (24 h). */
export function hourMinuteOf(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/** `09:30` → `09:30 AM`, `18:00` → `06:00 PM`, `12:00` → `12:00 PM`, `00:15` → `12:15 AM`. */
export function to12Hour(hhmm: string): string {
  const minutes = parseHourMinute(hhmm)
  if (minutes === null) throw new RangeError(`Not a 24-hour HH:MM time: "${hhmm}"`)
  const h24 = Math.floor(minutes / 60)
  const mm = String(minutes % 60).padStart(2, '0')
  const suffix = h24 < 12 ? 'AM' : 'PM'
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12
  return `${String(h12).padStart(2, '0')}:${mm} ${suffix}`
}

/**
 * The inverse, strict: `06:00 PM` → `18:00`; null when not in the vendor's format (two-digit
 * hour 01-12, two-digit minute, one space, AM or PM in any case).
 */
export function from12Hour(text: string): string | null {
  const m = /^(0\d|1[0-2]):([0-5]\d) (AM|PM)$/i.exec(text.trim())
  if (!m) return null
  let h = Number(m[1])
  if (h === 0) return null
  const pm = m[3]!.toUpperCase() === 'PM'
  if (h === 12) h = pm ? 12 : 0
  else if (pm) h += 12
  return `${String(h).padStart(2, '0')}:${m[2]}`
}

/** For people: `18:00` → `6:00 PM`, `00:15` → `12:15 AM`; the input itself when invalid. */
export function displayTime(hhmm: string): string {
  const minutes = parseHourMinute(hhmm)
  if (minutes === null) return hhmm
  const h24 = Math.floor(minutes / 60)
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12
  return `${h12}:${String(minutes % 60).padStart(2, '0')} ${h24 < 12 ? 'AM' : 'PM'}`
}

/**
 * What people type, leniently: `6:00 PM`, `06:00 pm`, `12:30 AM` → `HH:MM` (24 h); null when
 * not a 12-hour time.
 */
export function readTime(text: string): string | null {
  const m = /^\s*(\d{1,2}):([0-5]\d)\s*(AM|PM)\s*$/i.exec(text)
  if (!m) return null
  const h = Number(m[1])
  if (h < 1 || h > 12) return null
  return from12Hour(`${String(h).padStart(2, '0')}:${m[2]} ${m[3]}`)
}

/**
 * The vendor's rule (`Invalid Time`), applied before anything is sent: both times valid `HH:MM`
 * and start strictly before end on the same day. Null when fine, else the vendor's own words.
 */
export function officeTimeError(start: string, end: string): string | null {
  const s = parseHourMinute(start)
  const e = parseHourMinute(end)
  if (s === null || e === null || s >= e) return INVALID_TIME
  return null
}
