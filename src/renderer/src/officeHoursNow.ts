import type { OfficeHours } from '../../shared/domain'

/**
 * Whether `now` falls inside the office hours in `timezone`; null when we cannot tell (no
 * hours known). A weekday's own entry wins over `Daily`.
 */
export function insideOfficeHours(
  hours: OfficeHours[],
  timezone: string,
  now: Date,
): boolean | null {
  if (hours.length === 0) return null
  let parts: Intl.DateTimeFormatPart[]
  try {
    parts = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).formatToParts(now)
  } catch {
    return null
  }
  const get = (type: string): string => parts.find((p) => p.type === type)?.value ?? ''
  const weekday = get('weekday')
  const hm = `${get('hour')}:${get('minute')}`
  const entry = hours.find((h) => h.day === weekday) ?? hours.find((h) => h.day === 'Daily')
  if (!entry) return false
  return hm >= entry.start && hm < entry.end
}
