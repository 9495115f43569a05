import type { Dashboard, DashboardRange } from '../../../shared/dashboard'
import type { SliceCreator } from './types'

/**
 * Dashboard aggregates for the chosen range. An answer for a range the user has since left is
 * dropped, so quick clicks between Today / 7 days / 30 days never show the wrong figures.
 */
export interface DashboardSlice {
  dashboardRange: DashboardRange
  dashboard: Dashboard | null
  dashboardLoading: boolean
  dashboardError: string | null
  dashboardRangeChosen: (range: DashboardRange) => void
  dashboardLoaded: (dashboard: Dashboard) => void
  dashboardFailed: (range: DashboardRange, message: string) => void
}

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => ({
  dashboardRange: 'today',
  dashboard: null,
  dashboardLoading: false,
  dashboardError: null,
  dashboardRangeChosen: (dashboardRange) =>
    set({ dashboardRange, dashboardLoading: true, dashboardError: null }),
  dashboardLoaded: (dashboard) => {
    if (dashboard.range !== get().dashboardRange) return
    set({ dashboard, dashboardLoading: false, dashboardError: null })
  },
  dashboardFailed: (range, message) => {
    if (range !== get().dashboardRange) return
    set({ dashboardLoading: false, dashboardError: message })
  },
})
