import { DateTime } from 'luxon'

/** One local day in a zone: its date and the instants it starts and ends (ms, end exclusive). */
export interface LocalDay {
  date: string
  start: number
  end: number
}

/**
 * The local day holding an instant, in one zone. The bounds are computed with luxon once per day
 * and reused while the instant stays inside them: "today" is asked for on every push (health,
 * today's counts), and luxon per push cost more than the rest of the push.
 */
export class LocalDays {
  private current: LocalDay | null = null

  constructor(private readonly zone: string) {}

  at(ms: number): LocalDay {
    const c = this.current
    if (c && ms >= c.start && ms < c.end) return c
    const start = DateTime.fromMillis(ms, { zone: this.zone }).startOf('day')
    const day = {
      date: start.toISODate() ?? '',
      start: start.toMillis(),
      end: start.plus({ days: 1 }).toMillis(),
    }
    // Only the day of "now" is kept: an instant of another day (a test's clock jumping back)
    // is computed afresh and becomes the current one.
    this.current = day
    return day
  }
}
