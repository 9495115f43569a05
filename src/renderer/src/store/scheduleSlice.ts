import type { HolidayList, OpenState } from '../../../shared/contract'
import type { Holiday, OfficeHours, Weekday, YearlyHolidayRule } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** Holidays, yearly rules, office hours and whether the office is open now, as main says. */
export interface ScheduleSlice {
  holidays: Holiday[]
  holidayRules: YearlyHolidayRule[]
  /** Weekdays closed every week (sent as holidays over the next twelve months). */
  weeklyClosed: Weekday[]
  holidaysReady: boolean
  officeHours: OfficeHours[]
  openState: OpenState | null
  holidaysLoaded: (list: HolidayList) => void
  officeHoursLoaded: (hours: OfficeHours[]) => void
  openStateLoaded: (state: OpenState) => void
}

export const createScheduleSlice: SliceCreator<ScheduleSlice> = (set) => ({
  holidays: [],
  holidayRules: [],
  weeklyClosed: [],
  holidaysReady: false,
  officeHours: [],
  openState: null,
  holidaysLoaded: ({ holidays, rules, weekly }) =>
    set({
      holidays: [...holidays].sort((a, b) => a.date.localeCompare(b.date)),
      holidayRules: [...rules].sort((a, b) => a.monthDay.localeCompare(b.monthDay)),
      weeklyClosed: weekly ?? [],
      holidaysReady: true,
    }),
  officeHoursLoaded: (officeHours) => set({ officeHours }),
  openStateLoaded: (openState) => set({ openState }),
})
