/** One formatter per zone: building one costs far more than using it (screens format hundreds). */
const formatters = new Map<string, Intl.DateTimeFormat>()

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone)
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, f)
  }
  return f
}

/**
 * The local date and time of an instant in an IANA zone, in the vendor's formats
 * (`YYYY-MM-DD`, `HH:MM:SS` 24-hour). Plain Intl, so it runs in main, renderer and tests alike.
 */
export function localDateTime(ms: number, timeZone: string): { date: string; time: string } {
  const parts = formatterOf(timeZone).formatToParts(new Date(ms))
  const get = (t: string): string => parts.find((p) => p.type === t)?.value ?? ''
  return {
    date: `${get('year')}-${get('month')}-${get('day')}`,
    time: `${get('hour')}:${get('minute')}:${get('second')}`,
  }
}

/** Today's local date `YYYY-MM-DD` in the zone at `ms`: day boundaries are the zone's, never UTC's. */
export function localToday(ms: number, timeZone: string): string {
  return localDateTime(ms, timeZone).date
}

/**
 * An instant as ISO 8601 local time in `timeZone` with its offset, milliseconds included:
 * `2026-11-29T21:57:12.345+05:30`. The same instant as the UTC form, read as a person there
 * reads a clock (log lines, exports).
 */
export function isoWithOffset(ms: number, timeZone: string): string {
  const { date, time } = localDateTime(ms, timeZone)
  const whole = Math.floor(ms / 1000) * 1000
  const localAsUtc = Date.parse(`${date}T${time}Z`)
  const offsetMin = Math.round((localAsUtc - whole) / 60_000)
  const sign = offsetMin < 0 ? '-' : '+'
  const abs = Math.abs(offsetMin)
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0')
  return `${date}T${time}.${millis}${offset}`
}
