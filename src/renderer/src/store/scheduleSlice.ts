import type { OpenState } from '../../../shared/contract'
import type { Change, Holiday, OfficeHours, YearlyHolidayRule } from '../../../shared/domain'
import type { SliceCreator } from './types'

/** Holidays, yearly rules, office hours and whether the office is open now (our model). */
export interface ScheduleSlice {
  holidays: Holiday[]
  holidayRules: YearlyHolidayRule[]
  holidaysReady: boolean
  officeHours: OfficeHours[]
  openState: OpenState | null
  holidaysLoaded: (list: { holidays: Holiday[]; rules: YearlyHolidayRule[] }) => void
  officeHoursLoaded: (hours: OfficeHours[]) => void
  openStateLoaded: (state: OpenState) => void
  /** A change to the vendor progressed: update the holiday or office day it belongs to. */
  scheduleChangeProgressed: (change: Change) => void
}

function settle<
  T extends { state: Change['state']; vendorAnswer: string | null; changeId: string | null },
>(item: T, change: Change): T {
  return { ...item, state: change.state, vendorAnswer: change.vendorAnswer, changeId: change.id }
}

export const createScheduleSlice: SliceCreator<ScheduleSlice> = (set, get) => ({
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
  scheduleChangeProgressed: (change) => {
    // Targets read `holiday:2026-01-26` and `office:Monday` (see Change.target). An item is
    // matched by its change id; one without a change yet, by its date or day.
    const owns = (item: { changeId: string | null }, key: boolean): boolean =>
      item.changeId === change.id || (item.changeId === null && key)
    if (change.kind === 'holiday') {
      const date = change.target.replace(/^holiday:/, '')
      const { holidays } = get()
      if (!holidays.some((h) => owns(h, h.date === date))) return
      set({ holidays: holidays.map((h) => (owns(h, h.date === date) ? settle(h, change) : h)) })
    } else if (change.kind === 'office-time') {
      const day = change.target.replace(/^office:/, '')
      const { officeHours } = get()
      if (!officeHours.some((h) => owns(h, h.day === day))) return
      set({
        officeHours: officeHours.map((h) => (owns(h, h.day === day) ? settle(h, change) : h)),
      })
    }
  },
})
