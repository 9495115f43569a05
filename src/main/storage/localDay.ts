import { localToday } from '../../shared/localTime'
import { endOfLocalDate, startOfLocalDate } from './query'

/** One local day in a zone: its date and the instants it starts and ends (ms, end exclusive). */
export interface LocalDay {
  date: string
  start: number
  end: number
}

/**
 * The local day holding an instant, in one zone. Its date is `localToday`'s and its bounds are
 * those every other date's counts use; both are computed once per day and reused while the
 * instant stays inside them: "today" is asked for on every push (health, today's counts), and
 * computing it per push cost more than the rest of the push.
 */
export class LocalDays {
  private current: LocalDay | null = null

  constructor(private readonly zone: string) {}

  at(ms: number): LocalDay {
    const c = this.current
    if (c && ms >= c.start && ms < c.end) return c
    const date = localToday(ms, this.zone)
    const day = {
      date,
      start: startOfLocalDate(date, this.zone),
      end: endOfLocalDate(date, this.zone),
    }
    // Only the day of "now" is kept: an instant of another day (a test's clock jumping back)
    // is computed afresh and becomes the current one.
    this.current = day
    return day
  }
}
