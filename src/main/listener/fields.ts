import { DateTime } from 'luxon'
import type { CallStatus } from '../../shared/domain'
import { normalizePhone } from '../../shared/phone'

/**
 * Parsers for single call-log values. Each returns the normalised value or a short reason
 * (without the field name: the caller prefixes it). Pure: no I/O, no clock.
 */
export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string }

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value })
const bad = <T>(reason: string): Parsed<T> => ({ ok: false, reason })

/** Words vendors send for "no value". Compared case-insensitively after trimming. */
const EMPTY_WORDS = new Set(['', 'na', 'n/a', 'null', 'none', 'undefined'])

/** True when the value means "nothing" (empty, `NA`, `null`, `none`, any case). */
export function isEmptyValue(value: string): boolean {
  return EMPTY_WORDS.has(value.trim().toLowerCase())
}

/** Longest duration we believe: a call longer than a day is a vendor bug, not a call. */
export const MAX_DURATION_SECONDS = 24 * 60 * 60

/** Seconds (`293`, `39.6`), `MM:SS` or `HH:MM:SS` (optionally `.fff`) → whole seconds. */
export function parseDuration(value: string): Parsed<number> {
  const v = value.trim()
  if (/^-/.test(v)) return bad('is negative')
  let seconds: number
  const plain = /^(\d{1,9})(?:\.\d+)?$/.exec(v)
  const clock = /^(?:(\d{1,2}):)?(\d{1,4}):(\d{2})(?:\.\d+)?$/.exec(v)
  if (plain) {
    seconds = Number(plain[1])
  } else if (clock) {
    const h = clock[1] === undefined ? 0 : Number(clock[1])
    const m = Number(clock[2])
    const s = Number(clock[3])
    // With hours present minutes must be < 60; `MM:SS` alone may carry more than an hour.
    if (s >= 60 || (clock[1] !== undefined && m >= 60)) return bad(`is not a valid duration`)
    seconds = h * 3600 + m * 60 + s
  } else {
    return bad('is not a duration (seconds, MM:SS or HH:MM:SS)')
  }
  if (seconds > MAX_DURATION_SECONDS) return bad('is longer than 24 hours')
  return ok(seconds)
}

/** Status in any case → `ANSWER` | `MISSED` | `DROPPED` (`ANSWERED` is read as `ANSWER`). */
export function parseStatus(value: string): Parsed<CallStatus> {
  const v = value.trim().toUpperCase()
  if (v === 'ANSWER' || v === 'ANSWERED') return ok('ANSWER')
  if (v === 'MISSED' || v === 'DROPPED') return ok(v)
  return bad('is not ANSWER, MISSED or DROPPED')
}

/** A phone number (see shared/phone.ts); anything without a usable number is refused. */
export function parsePhone(value: string): Parsed<string> {
  const n = normalizePhone(value)
  return n === null ? bad('is not a phone number') : ok(n)
}

/** `YYYY-MM-DD` → the same date, checked to exist in the calendar. */
export function parseDate(value: string): Parsed<string> {
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(value.trim())
  if (!m) return bad('is not a date (YYYY-MM-DD)')
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const dt = DateTime.fromObject({ year: y, month: mo, day: d }, { zone: 'UTC' })
  if (!dt.isValid) return bad('does not exist in the calendar')
  if (y < 2000 || y > 2100) return bad('is outside the years 2000 to 2100')
  return ok(dt.toFormat('yyyy-MM-dd'))
}

/** `HH:MM:SS` (24 h; `H:MM:SS` and `HH:MM` tolerated) → `HH:MM:SS`. */
export function parseTime(value: string): Parsed<string> {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim())
  if (!m) return bad('is not a time (HH:MM:SS)')
  const [h, mi, s] = [Number(m[1]), Number(m[2]), m[3] === undefined ? 0 : Number(m[3])]
  if (h > 23 || mi > 59 || s > 59) return bad('is not a time of day')
  const pad = (n: number): string => String(n).padStart(2, '0')
  return ok(`${pad(h)}:${pad(mi)}:${pad(s)}`)
}

/**
 * Local date + time in `zone` → ISO 8601 instant with the zone's offset.
 *
 * DST: a local time that does not exist (the hour skipped when clocks go forward) is resolved
 * the way luxon does, moved forward by the gap (02:30 → 03:30); an ambiguous time (the hour
 * repeated when clocks go back) resolves to its first occurrence. The call is kept either way:
 * the vendor's date and time are stored as sent next to the instant. India has no DST.
 */
export function localInstant(date: string, time: string, zone: string): Parsed<string> {
  const [y, mo, d] = date.split('-').map(Number)
  const [h, mi, s] = time.split(':').map(Number)
  const local = { year: y, month: mo, day: d, hour: h, minute: mi, second: s }
  const dt = DateTime.fromObject(local, { zone })
  if (!dt.isValid) return bad(`cannot be placed in time zone ${zone}`)
  // Every instant whose wall clock in `zone` reads exactly this date and time; two when the
  // clocks went back. luxon alone picks one of them by its own rule, so choose explicitly.
  const wall = DateTime.fromObject(local, { zone: 'UTC' }).toMillis()
  const candidates = [-3, 0, 3]
    .map((hours) => dt.plus({ hours }).offset)
    .map((offset) => DateTime.fromMillis(wall - offset * 60_000, { zone }))
    .filter((c) => c.toMillis() + c.offset * 60_000 === wall)
    .sort((a, b) => a.toMillis() - b.toMillis())
  const chosen = candidates[0] ?? dt
  return ok(chosen.toISO({ suppressMilliseconds: true, includeOffset: true }) as string)
}

/** http(s) recording link, decoded once when it arrives percent-encoded; anything else → null. */
export function parseRecordingUrl(value: string): string | null {
  let v = value.trim()
  if (/^https?%3a/i.test(v)) {
    try {
      v = decodeURIComponent(v)
    } catch {
      return null
    }
  }
  let url: URL
  try {
    url = new URL(v)
  } catch {
    return null
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? v : null
}
