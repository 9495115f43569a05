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

/** `YYYY-MM-DD` → `DD/MM/YYYY` for date inputs; '' for anything else. */
export function toDayMonthYear(localDate: string | null): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate ?? '')
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ''
}

/**
 * What people type in a date field, day first: `29/11/2026`, `29-11-2026`, `29.11.2026`,
 * `1/2/2026` → `YYYY-MM-DD`; null when it is not a real calendar date.
 */
export function fromDayMonthYear(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text)
  if (!m) return null
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const date = new Date(Date.UTC(y, mo - 1, d))
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d)
    return null
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}
