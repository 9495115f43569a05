import type { Holiday, OfficeHours, YearlyHolidayRule } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** Holidays and office hours (issue 5: filled in by those screens' owner). */
export interface ScheduleSlice {
  holidays: Holiday[]
  holidayRules: YearlyHolidayRule[]
  officeHours: OfficeHours[]
  holidaysLoaded: (list: { holidays: Holiday[]; rules: YearlyHolidayRule[] }) => void
  officeHoursLoaded: (hours: OfficeHours[]) => void
}

export const createScheduleSlice: SliceCreator<ScheduleSlice> = (set) => ({
  holidays: [],
  holidayRules: [],
  officeHours: [],
  holidaysLoaded: ({ holidays, rules }) => set({ holidays, holidayRules: rules }),
  officeHoursLoaded: (officeHours) => set({ officeHours }),
})
