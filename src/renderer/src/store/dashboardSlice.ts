import type { Dashboard } from '../../../shared/dashboard'
import type { DashboardRequest } from '../../../shared/schemas'
import type { SliceCreator } from './types'

/**
 * Dashboard aggregates for the chosen period (a preset, or a chosen range). An answer for a period
 * the user has since left is dropped (compared by identity: every choice is a new object), so quick
 * clicks between periods never show the wrong figures. `dashboardLoadedAt` says how fresh they are.
 */
export interface DashboardSlice {
  dashboardPeriod: DashboardRequest
  dashboard: Dashboard | null
  /** ms since the epoch the figures shown were answered. */
  dashboardLoadedAt: number | null
  dashboardLoading: boolean
  dashboardError: string | null
  dashboardPeriodChosen: (period: DashboardRequest) => void
  dashboardLoaded: (period: DashboardRequest, dashboard: Dashboard, at: number) => void
  dashboardFailed: (period: DashboardRequest, message: string) => void
}

export const createDashboardSlice: SliceCreator<DashboardSlice> = (set, get) => ({
  dashboardPeriod: { range: 'today' },
  dashboard: null,
  dashboardLoadedAt: null,
  dashboardLoading: false,
  dashboardError: null,
  dashboardPeriodChosen: (dashboardPeriod) =>
    set({ dashboardPeriod, dashboardLoading: true, dashboardError: null }),
  dashboardLoaded: (period, dashboard, at) => {
    if (period !== get().dashboardPeriod) return
    set({ dashboard, dashboardLoadedAt: at, dashboardLoading: false, dashboardError: null })
  },
  dashboardFailed: (period, message) => {
    if (period !== get().dashboardPeriod) return
    set({ dashboardLoading: false, dashboardError: message })
  },
})
