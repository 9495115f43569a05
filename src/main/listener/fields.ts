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
  // Most values are longer than every empty word and start and end with a letter or digit (so
  // trimming would not shorten them): answer those without trimming and lowering a copy.
  if (
    value.length > 9 &&
    isAlnum(value.charCodeAt(0)) &&
    isAlnum(value.charCodeAt(value.length - 1))
  )
    return false
  return EMPTY_WORDS.has(value.trim().toLowerCase())
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
}

/** Longest duration we believe: a call longer than a day is a vendor bug, not a call. */
export const MAX_DURATION_SECONDS = 24 * 60 * 60

/** Seconds (`293`, `39.6`), `MM:SS` or `HH:MM:SS` (optionally `.fff`) → whole seconds. */
export function parseDuration(value: string): Parsed<number> {
  const v = value.trim()
  if (/^-/.test(v)) return bad('is negative')
  let seconds: number
  const plain = /^(\d{1,9})(?:\.\d+)?$/.exec(v)
  // Only tried when the value is not plain seconds (one regex per duration, not two).
  const clock = plain ? null : /^(?:(\d{1,2}):)?(\d{1,4}):(\d{2})(?:\.\d+)?$/.exec(v)
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
  const v = value.trim()
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v)
  if (!m) return bad('is not a date (YYYY-MM-DD)')
  const y = Number(m[1])
  const mo = Number(m[2])
  const d = Number(m[3])
  if (y < 2000 || y > 2100) return bad('is outside the years 2000 to 2100')
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo))
    return bad('does not exist in the calendar')
  // Already canonical (the usual case, 10 characters): no reformatting.
  if (v.length === 10) return ok(v)
  return ok(`${m[1]}-${pad2(mo)}-${pad2(d)}`)
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Gregorian month lengths (no Date object per push). */
function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1]!
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28
}

/** `HH:MM:SS` (24 h; `H:MM:SS` and `HH:MM` tolerated) → `HH:MM:SS`. */
export function parseTime(value: string): Parsed<string> {
  const v = value.trim()
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(v)
  if (!m) return bad('is not a time (HH:MM:SS)')
  const h = Number(m[1])
  const mi = Number(m[2])
  const s = m[3] === undefined ? 0 : Number(m[3])
  if (h > 23 || mi > 59 || s > 59) return bad('is not a time of day')
  // Already canonical (`HH:MM:SS`, the usual case): no reformatting.
  if (v.length === 8) return ok(v)
  return ok(`${pad2(h)}:${pad2(mi)}:${pad2(s)}`)
}

/** Module-level: a closure made per call costs more than the formatting (esbuild names each). */
function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n)
}

/** One formatter per zone: building an Intl.DateTimeFormat costs far more than using one. */
const formatters = new Map<string, Intl.DateTimeFormat>()

/**
 * Offsets already looked up, per zone and UTC quarter-hour. Modern zone offsets are multiples
 * of 15 minutes and change at whole or half local hours, so an offset never changes inside a
 * UTC quarter-hour. Bounded: cleared when it grows past {@link OFFSET_CACHE_MAX} entries.
 */
const offsetCache = new Map<string, Map<number, number>>()
const OFFSET_CACHE_MAX = 20_000
const QUARTER_HOUR = 900_000

/** Offset of `zone` from UTC at instant `ms`, in milliseconds. */
function zoneOffsetMs(zone: string, ms: number): number {
  const bucket = Math.floor(ms / QUARTER_HOUR)
  let perZone = offsetCache.get(zone)
  const hit = perZone?.get(bucket)
  if (hit !== undefined) return hit
  const offset = lookupOffsetMs(zone, bucket * QUARTER_HOUR)
  if (!perZone || perZone.size >= OFFSET_CACHE_MAX) offsetCache.set(zone, (perZone = new Map()))
  perZone.set(bucket, offset)
  return offset
}

function lookupOffsetMs(zone: string, ms: number): number {
  let f = formatters.get(zone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    })
    formatters.set(zone, f)
  }
  const p: Record<string, number> = {}
  let bc = false
  for (const part of f.formatToParts(ms)) {
    if (part.type === 'era') bc = /^B/i.test(part.value)
    else if (part.type !== 'literal') p[part.type] = Number(part.value)
  }
  const year = bc ? 1 - p.year! : p.year!
  const wall = Date.UTC(year, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!)
  return wall - ms
}

const UTC_NAMES = new Set([
  'UTC',
  'ETC/UTC',
  'ETC/UCT',
  'UCT',
  'ETC/GMT',
  'GMT',
  'ETC/ZULU',
  'ZULU',
])

function formatInstant(ms: number, offsetMs: number, zone: string): string {
  const local = new Date(ms + offsetMs).toISOString().slice(0, 19)
  return `${local}${offsetSuffix(offsetMs, zone)}`
}

/** `YYYY-MM-DD` and `HH:MM:SS` exactly as `wall` (their UTC reading) prints them. */
function isCanonical(date: string, time: string, wall: number): boolean {
  if (!CANONICAL_DATE.test(date) || !CANONICAL_TIME.test(time)) return false
  const mo = Number(date.slice(5, 7))
  const d = Number(date.slice(8, 10))
  // No field overflowed into the next (month 13, 31 April, 24:00, :60).
  return (
    date >= '1000' &&
    mo >= 1 &&
    mo <= 12 &&
    new Date(wall).getUTCDate() === d &&
    Number(time.slice(0, 2)) < 24 &&
    Number(time.slice(3, 5)) < 60 &&
    Number(time.slice(6)) < 60
  )
}

const CANONICAL_DATE = /^\d{4}-\d{2}-\d{2}$/
const CANONICAL_TIME = /^\d{2}:\d{2}:\d{2}$/

/** `Z` (UTC zones) or `+HH:MM` / `-HH:MM`. */
function offsetSuffix(offsetMs: number, zone: string): string {
  if (offsetMs === 0 && UTC_NAMES.has(zone.toUpperCase())) return 'Z'
  const sign = offsetMs < 0 ? '-' : '+'
  const mins = Math.abs(offsetMs) / 60_000
  const hh = String(Math.floor(mins / 60)).padStart(2, '0')
  const mm = String(Math.floor(mins % 60)).padStart(2, '0')
  return `${sign}${hh}:${mm}`
}

/**
 * Local date + time in `zone` → ISO 8601 instant with the zone's offset.
 *
 * DST: a local time that does not exist (the hour skipped when clocks go forward) is moved
 * forward by the gap (02:30 → 03:30, as luxon does); an ambiguous time (the hour repeated when
 * clocks go back) resolves to its first occurrence. The call is kept either way: the vendor's
 * date and time are stored as sent next to the instant. India has no DST.
 *
 * Hand-written on a cached Intl.DateTimeFormat rather than luxon: luxon's zone lookups cost
 * about 180 µs per push here, most of a push's CPU. The unit tests compare against luxon.
 */
export function localInstant(date: string, time: string, zone: string): Parsed<string> {
  const wall = wallMs(date, time)
  let before: number
  try {
    before = zoneOffsetMs(zone, wall - 86_400_000)
  } catch {
    return bad(`cannot be placed in time zone ${zone}`)
  }
  // Usual case: one offset all around (no transition within a day either side), so the wall
  // time is the local time as given; canonical date and time need no reformatting.
  if (
    zoneOffsetMs(zone, wall + 86_400_000) === before &&
    zoneOffsetMs(zone, wall) === before &&
    zoneOffsetMs(zone, wall - before) === before &&
    isCanonical(date, time, wall)
  )
    return ok(`${date}T${time}${offsetSuffix(before, zone)}`)
  // Offsets in force around this wall time (UTC offsets stay within ±14 h, so a day either
  // side brackets every transition that could matter).
  const offsets = new Set([before, zoneOffsetMs(zone, wall), zoneOffsetMs(zone, wall + 86_400_000)])
  let best: number | null = null
  for (const o of offsets) {
    const t = wall - o
    if (zoneOffsetMs(zone, t) === o && (best === null || t < best)) best = t
  }
  // No instant shows this wall time: it fell in a DST gap. Read it with the offset before the gap.
  const t = best ?? wall - before
  return ok(formatInstant(t, zoneOffsetMs(zone, t), zone))
}

/** `date` + `time` read as UTC milliseconds (the wall clock, no zone). */
function wallMs(date: string, time: string): number {
  // The usual `YYYY-MM-DD` and `HH:MM:SS`: the same numbers as splitting, without the arrays.
  if (
    date.length === 10 &&
    time.length === 8 &&
    date.charCodeAt(4) === 45 &&
    date.charCodeAt(7) === 45 &&
    time.charCodeAt(2) === 58 &&
    time.charCodeAt(5) === 58
  )
    return Date.UTC(
      Number(date.slice(0, 4)),
      Number(date.slice(5, 7)) - 1,
      Number(date.slice(8)),
      Number(time.slice(0, 2)),
      Number(time.slice(3, 5)),
      Number(time.slice(6)),
    )
  const [y, mo, d] = date.split('-').map(Number) as [number, number, number]
  const [h, mi, s] = time.split(':').map(Number) as [number, number, number]
  return Date.UTC(y, mo - 1, d, h, mi, s)
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
