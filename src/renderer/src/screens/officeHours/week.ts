/** "What callers hear": office hours and holidays merged into the days ahead. */
import type { ChangeState, Holiday, OfficeHours, Weekday } from '../../../../shared/domain'
import { addDays, weekdayOf } from '../../dates'

/** The hours that apply on `day`: the weekday's own entry wins over `Daily`. */
export function hoursFor(hours: readonly OfficeHours[], day: Weekday): OfficeHours | null {
  return hours.find((h) => h.day === day) ?? hours.find((h) => h.day === 'Daily') ?? null
}

export interface DayPlan {
  date: string
  weekday: Weekday
  /**
   * `holiday`: callers hear the holiday message all day; `hours`: open from start to end;
   * `unrestricted`: no office hours were ever set for that day, so the IVR routes all day.
   */
  kind: 'holiday' | 'hours' | 'unrestricted'
  start: string | null
  end: string | null
  /** State of what decides the day (the holiday, or that day's office hours). */
  state: ChangeState | null
  holidayName: string | null
  /** A holiday the vendor refused, which callers will NOT hear (shown as a warning). */
  refusedHoliday: Holiday | null
}

/**
 * The `days` days from `firstDate` (a local date in the configured zone). A holiday counts when
 * it is confirmed or still pending (pending is shown as such); a refused one does not reach
 * callers, so the day falls back to its office hours and carries the refusal as a warning.
 */
export function weekTimeline(
  firstDate: string,
  hours: readonly OfficeHours[],
  holidays: readonly Holiday[],
  days = 7,
): DayPlan[] {
  const byDate = new Map(holidays.map((h) => [h.date, h]))
  const plans: DayPlan[] = []
  for (let i = 0; i < days; i++) {
    const date = addDays(firstDate, i)
    const weekday = weekdayOf(date)
    const holiday = byDate.get(date) ?? null
    const refused = holiday?.state === 'refused' ? holiday : null
    if (holiday && !refused) {
      plans.push({
        date,
        weekday,
        kind: 'holiday',
        start: null,
        end: null,
        state: holiday.state,
        holidayName: holiday.name,
        refusedHoliday: null,
      })
      continue
    }
    const h = hoursFor(hours, weekday)
    plans.push({
      date,
      weekday,
      kind: h ? 'hours' : 'unrestricted',
      start: h?.start ?? null,
      end: h?.end ?? null,
      state: h?.state ?? null,
      holidayName: null,
      refusedHoliday: refused,
    })
  }
  return plans
}
