/**
 * The periods a supervisor picks on the Dashboard and the History (Today, Yesterday, 7 days,
 * 30 days, or a chosen range), as local dates in the configured zone, and the period before one
 * for comparison. Plain date arithmetic on `YYYY-MM-DD` (at UTC midnight, so no machine zone is
 * ever met): main and the renderer call the same rule.
 */

export type PeriodPreset = 'today' | 'yesterday' | '7d' | '30d'

/** The presets in the order they are offered, with the words on their buttons. */
export const PERIOD_PRESETS: readonly { value: PeriodPreset; label: string }[] = [
  { value: 'today', label: 'Today' },
  { value: 'yesterday', label: 'Yesterday' },
  { value: '7d', label: '7 days' },
  { value: '30d', label: '30 days' },
]

/** The longest chosen range: a year (a leap year's days) and its comparison fit the store's reach. */
export const MAX_PERIOD_DAYS = 366

const DAY_MS = 86_400_000

function dayNumber(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) / DAY_MS
}

/** `date` plus `days` (may be negative). */
export function shiftDate(date: string, days: number): string {
  return new Date((dayNumber(date) + days) * DAY_MS).toISOString().slice(0, 10)
}

/** Days from `from` to `to`, both counted (1 for one day). */
export function daysIn(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from) + 1
}

/** The dates of a preset, `today` being today's local date in the configured zone. */
export function presetDates(preset: PeriodPreset, today: string): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today }
    case 'yesterday': {
      const day = shiftDate(today, -1)
      return { from: day, to: day }
    }
    case '7d':
      return { from: shiftDate(today, -6), to: today }
    case '30d':
      return { from: shiftDate(today, -29), to: today }
  }
}

/** The preset whose dates these are, if any (the History shows which preset its dates match). */
export function presetOf(
  from: string | null,
  to: string | null,
  today: string,
): PeriodPreset | null {
  if (!from || !to) return null
  const found = PERIOD_PRESETS.find((p) => {
    const d = presetDates(p.value, today)
    return d.from === from && d.to === to
  })
  return found?.value ?? null
}

/**
 * A chosen range as it is counted: days after today are cut (nothing happened yet), and why it
 * cannot be counted otherwise, in words for the field (`error`).
 */
export function chosenRange(
  from: string,
  to: string,
  today: string,
): { from: string; to: string } | { error: string } {
  if (to < from) return { error: 'The range ends before it starts.' }
  if (from > today) return { error: 'The range starts after today: no calls yet.' }
  const end = to > today ? today : to
  if (daysIn(from, end) > MAX_PERIOD_DAYS)
    return { error: `Choose at most ${MAX_PERIOD_DAYS} days.` }
  return { from, to: end }
}

/** The same number of days right before `from`..`to`. */
export function periodBefore(from: string, to: string): { from: string; to: string } {
  const n = daysIn(from, to)
  return { from: shiftDate(from, -n), to: shiftDate(to, -n) }
}
