import type { Dashboard, DashboardRange } from '../../../shared/dashboard'
import type { SliceCreator } from './types'

/** Dashboard aggregates (issue 5: filled in by the Dashboard screen's owner). */
export interface DashboardSlice {
  dashboardRange: DashboardRange
  dashboard: Dashboard | null
  dashboardRangeChosen: (range: DashboardRange) => void
  dashboardLoaded: (dashboard: Dashboard) => void
}

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set) => ({
  dashboardRange: 'today',
  dashboard: null,
  dashboardRangeChosen: (dashboardRange) => set({ dashboardRange }),
  dashboardLoaded: (dashboard) => set({ dashboard }),
})
