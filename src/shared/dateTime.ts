/**
 * Dates and times as people read them, one format on every screen and in every alert, always in
 * the configured zone (never this computer's, never raw UTC): `29 Nov 2026, 9:57 pm`. Plain Intl
 * (through {@link localDateTime}), so main, renderer and tests share it.
 */
import { localDateTime } from './localTime'

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec']

/** `2026-11-29` → `29 Nov 2026`; the input itself when it is not such a date. */
export function formatDate(localDate: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate)
  const month = m ? MONTHS[Number(m[2]) - 1] : undefined
  return m && month ? `${Number(m[3])} ${month} ${m[1]}` : localDate
}

/** A duration as people read it: `75` → `1:15`, `3725` → `1:02:05`, null → `–`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '–'
  const s = Math.max(0, Math.round(seconds))
  const h = Math.floor(s / 3600)
  const m = Math.floor((s % 3600) / 60)
  const sec = String(s % 60).padStart(2, '0')
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`
}

/** `21:57:09` → `9:57 pm` (`9:57:09 pm` with seconds); the input itself when not a time. */
export function formatClock(time: string, seconds = false): string {
  const m = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(time)
  if (!m) return time
  const h24 = Number(m[1])
  const h12 = h24 % 12 === 0 ? 12 : h24 % 12
  const sec = seconds ? `:${m[3] ?? '00'}` : ''
  return `${h12}:${m[2]}${sec} ${h24 < 12 ? 'am' : 'pm'}`
}

/**
 * An instant (ISO text or epoch ms) → `29 Nov 2026, 9:57 pm` in `zone`. An unknown zone falls
 * back to UTC and says so; text that is not an instant comes back as it is.
 */
export function formatDateTime(
  at: string | number,
  zone: string,
  opts: { seconds?: boolean } = {},
): string {
  const ms = typeof at === 'number' ? at : Date.parse(at)
  if (!Number.isFinite(ms)) return String(at)
  let local: { date: string; time: string }
  let suffix = ''
  try {
    local = localDateTime(ms, zone)
  } catch {
    local = localDateTime(ms, 'UTC')
    suffix = ' UTC'
  }
  return `${formatDate(local.date)}, ${formatClock(local.time, opts.seconds)}${suffix}`
}

/** The local date of an instant in `zone`, as people read it: `29 Nov 2026`. */
export function formatDayOf(at: string | number, zone: string): string {
  const ms = typeof at === 'number' ? at : Date.parse(at)
  if (!Number.isFinite(ms)) return String(at)
  return formatDate(localDateTime(ms, zone).date)
}

const MONTH_NAMES = [
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
]

/** `nov`, `Nov.`, `November` → 11; 0 when no month starts so (three letters at least). */
function monthByName(word: string): number {
  const w = word.replace(/\.$/, '').toLowerCase()
  if (w.length < 3) return 0
  return MONTH_NAMES.findIndex((m) => m.toLowerCase().startsWith(w)) + 1
}

const daysIn = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate()

/** What a date field makes of its text: a date, nothing typed, or why the text is not a date. */
export type DateInputResult = { date: string } | { empty: true } | { error: string }

/**
 * What people type in a date field, read one way whatever the browser's language: day first
 * (`29/11/2026`, `29-11-2026`, `29.11.2026`, `1/2/26`), the day and month alone (`25/12`, in the
 * year of `today`), the app's own format (`29 Nov 2026`, `29 November`), or ISO (`2026-12-25`).
 * A text that looks like a date but is none says why, in the app's words:
 * `31/02/2026 is not a date: February 2026 has 28 days.`
 * @param today `YYYY-MM-DD` in the configured zone (the year of a date typed without one).
 */
export function parseDateInput(text: string, today: string): DateInputResult {
  const t = text.trim()
  if (!t) return { empty: true }
  const thisYear = Number(today.slice(0, 4))
  let parts: { d: number; m: number; y: number } | null = null
  let m: RegExpExecArray | null
  const year = (y: string | undefined): number =>
    y === undefined ? thisYear : y.length === 2 ? 2000 + Number(y) : Number(y)
  if ((m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(t)))
    parts = { y: Number(m[1]), m: Number(m[2]), d: Number(m[3]) }
  else if ((m = /^(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{4}|\d{2}))?$/.exec(t)))
    parts = { d: Number(m[1]), m: Number(m[2]), y: year(m[3]) }
  else if ((m = /^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+\.?),?(?:\s+(\d{4}))?$/.exec(t)))
    parts = { d: Number(m[1]), m: monthByName(m[2]!) || -1, y: year(m[3]) }
  else if ((m = /^([A-Za-z]+\.?)\s+(\d{1,2})(?:st|nd|rd|th)?,?(?:\s+(\d{4}))?$/.exec(t)))
    parts = { d: Number(m[2]), m: monthByName(m[1]!) || -1, y: year(m[3]) }
  if (!parts)
    return { error: `“${t}” is not a date: type it day first, as 29/11/2026 or 29 Nov 2026.` }
  const { d, m: mo, y } = parts
  if (mo === -1) return { error: `“${t}” is not a date: no month is called that.` }
  if (mo < 1 || mo > 12) return { error: `${t} is not a date: there is no month ${mo}.` }
  const last = daysIn(y, mo)
  if (d < 1 || d > last)
    return {
      error: `${t} is not a date: ${MONTH_NAMES[mo - 1]} ${y} has ${last} days.`,
    }
  return { date: `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}` }
}
