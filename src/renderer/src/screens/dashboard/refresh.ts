import { useEffect } from 'react'
import { localToday } from '../../../../shared/localTime'
import type { DashboardRequest } from '../../../../shared/schemas'
import { api } from '../../api'
import { appStore } from '../../store'
import { loadDashboard } from './loader'

/** Calls arriving together are counted once: the figures are asked for again this long after the first. */
export const REFRESH_AFTER_MS = 2_000

/**
 * Loads the dashboard's period (or `period`, which then becomes it), and again whenever what it
 * counts moves: a call stored or a missed-call item settled while the period runs until today, or
 * the team's service-level target. Instead of a silent timer, the screen says how fresh its
 * figures are ("Updated 12 s ago").
 */
export function useDashboardFollowingCalls(period?: DashboardRequest): void {
  useEffect(() => {
    const deps = { store: appStore, api }
    void loadDashboard(deps, period ?? appStore.getState().dashboardPeriod)
    let timer: ReturnType<typeof setTimeout> | null = null
    const soon = (): void => {
      if (timer) return
      timer = setTimeout(() => {
        timer = null
        void loadDashboard(deps, appStore.getState().dashboardPeriod)
      }, REFRESH_AFTER_MS)
    }
    const off = appStore.subscribe((s, prev) => {
      const d = s.dashboard
      const live = d !== null && d.to >= localToday(Date.now(), d.timezone)
      if (live && (s.feed !== prev.feed || s.missed !== prev.missed)) soon()
      else if (s.settings?.serviceLevelSeconds !== prev.settings?.serviceLevelSeconds) soon()
    })
    return () => {
      off()
      if (timer) clearTimeout(timer)
    }
    // The period given is the one to start with; later choices go through the slice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
}
