import type { OpenState } from '../../../shared/contract'
import type { Holiday, OfficeHours, YearlyHolidayRule } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** Holidays, yearly rules, office hours and whether the office is open now, as main says. */
export interface ScheduleSlice {
  holidays: Holiday[]
  holidayRules: YearlyHolidayRule[]
  holidaysReady: boolean
  officeHours: OfficeHours[]
  openState: OpenState | null
  holidaysLoaded: (list: { holidays: Holiday[]; rules: YearlyHolidayRule[] }) => void
  officeHoursLoaded: (hours: OfficeHours[]) => void
  openStateLoaded: (state: OpenState) => void
}

export const createScheduleSlice: SliceCreator<ScheduleSlice> = (set) => ({
  holidays: [],
  holidayRules: [],
  holidaysReady: false,
  officeHours: [],
  openState: null,
  holidaysLoaded: ({ holidays, rules }) =>
    set({
      holidays: [...holidays].sort((a, b) => a.date.localeCompare(b.date)),
      holidayRules: [...rules].sort((a, b) => a.monthDay.localeCompare(b.monthDay)),
      holidaysReady: true,
    }),
  officeHoursLoaded: (officeHours) => set({ officeHours }),
  openStateLoaded: (openState) => set({ openState }),
})
