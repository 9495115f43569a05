/**
 * The vendor's `OfficeTime` wants `HH:MI AM|PM` (12-hour clock, two-digit hour and minute);
 * our API speaks 24-hour `HH:MM`. 12:00 PM is noon and 12:00 AM midnight.
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/

/** `HH:MM` (24 h) → minutes since midnight, or null when not a valid time. */
export function parseHourMinute(text: string): number | null {
  const m = HHMM.exec(text)
  if (!m) return null
  return Number(m[1]) * 60 + Number(m[2])
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

/** The inverse: `06:00 PM` → `18:00`; null when not in the vendor's format. */
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

/**
 * The rule the vendor applies (`Invalid Time`): both times valid and start strictly before end.
 * Returns null when fine, else the vendor's own words.
 */
export function officeTimeError(start: string, end: string): string | null {
  const s = parseHourMinute(start)
  const e = parseHourMinute(end)
  if (s === null || e === null || s >= e) return 'Invalid Time'
  return null
}
