/**
 * Time helpers for the office-hours editor. Our API speaks 24-hour `HH:MM`; people read
 * 12-hour times (`6:00 PM`), and the vendor refuses a day whose start is not before its end.
 */

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/

/** `HH:MM` (24 h) → minutes since midnight; null when not a valid time. */
export function minutesOf(hhmm: string): number | null {
  const m = HHMM.exec(hhmm)
  return m ? Number(m[1]) * 60 + Number(m[2]) : null
}

/** Minutes since midnight → `HH:MM` (24 h). */
export function hhmmOf(minutes: number): string {
  const m = ((Math.round(minutes) % 1440) + 1440) % 1440
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/** `18:00` → `6:00 PM`, `00:15` → `12:15 AM`, `12:00` → `12:00 PM`; the input when invalid. */
export function to12h(hhmm: string): string {
  const minutes = minutesOf(hhmm)
  if (minutes === null) return hhmm
  const h24 = Math.floor(minutes / 60)
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12
  return `${h12}:${String(minutes % 60).padStart(2, '0')} ${h24 < 12 ? 'AM' : 'PM'}`
}

/** `6:00 PM` / `06:00 pm` → `18:00`, `12:30 AM` → `00:30`; null when not a 12-hour time. */
export function to24h(text: string): string | null {
  const m = /^\s*(\d{1,2}):([0-5]\d)\s*(AM|PM)\s*$/i.exec(text)
  if (!m) return null
  let h = Number(m[1])
  if (h < 1 || h > 12) return null
  const pm = m[3]!.toUpperCase() === 'PM'
  if (h === 12) h = pm ? 12 : 0
  else if (pm) h += 12
  return `${String(h).padStart(2, '0')}:${m[2]}`
}

/** The time pickers answer `HH:MM` or `HH:MM:SS` (or '' while incomplete): keep `HH:MM`. */
export function pickerToHHMM(value: string): string {
  return /^\d{2}:\d{2}/.test(value) ? value.slice(0, 5) : ''
}

/**
 * The vendor's own rule, applied before anything is sent: both times present and valid, start
 * strictly before end on the same day. Returns null when fine, else the vendor's words.
 */
export function officeHoursError(start: string, end: string): string | null {
  const s = minutesOf(start)
  const e = minutesOf(end)
  if (s === null || e === null || s >= e) return 'Invalid Time'
  return null
}
