/**
 * The local date and time of an instant in an IANA zone, in the vendor's formats
 * (`YYYY-MM-DD`, `HH:MM:SS` 24-hour). Plain Intl, so it runs in main, renderer and tests alike.
 */
export function localDateTime(ms: number, timeZone: string): { date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(new Date(ms))
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
