import { useEffect, useState } from 'react'
import type { StoreApi } from 'zustand/vanilla'
import type { ContractApi } from '../../../../shared/contract'
import type { Dashboard } from '../../../../shared/dashboard'
import { localToday } from '../../../../shared/localTime'
import type { DashboardRequest } from '../../../../shared/schemas'
import { api } from '../../api'
import { errorText } from '../../api/errors'
import { zoneOf } from '../../hooks'
import { appStore, type AppState } from '../../store'
import { loadDashboard } from './loader'

/** Calls arriving together are counted once: the figures are asked for again this long after the first. */
export const REFRESH_AFTER_MS = 2_000
/** How often a screen left open looks whether the local day has changed (midnight). */
export const DAY_CHECK_MS = 60_000

/** Whether `period`'s figures still move: it runs until today (`today`, a local date). */
export function runsToToday(period: DashboardRequest, today: string): boolean {
  if (period.range === 'custom') return period.to === undefined || period.to >= today
  return period.range !== 'yesterday'
}

/** What a screen following the calls loads, and the period it shows. */
export interface Following {
  period(): DashboardRequest
  load(period: DashboardRequest): Promise<void>
}

/**
 * Loads `f`'s period, and again whenever what it counts moves: a call stored or a missed-call
 * item settled while the period runs until today, the team's service-level target, or the local
 * day itself (a wallboard left on overnight shows the new day, not yesterday's figures under
 * "today"). Returns the function that stops following.
 */
export function followCalls(
  store: StoreApi<AppState>,
  f: Following,
  now: () => number = Date.now,
): () => void {
  const zone = (): string => zoneOf(store.getState())
  let day = localToday(now(), zone())
  const load = (): void => {
    day = localToday(now(), zone())
    void f.load(f.period())
  }
  load()
  let timer: ReturnType<typeof setTimeout> | null = null
  const soon = (): void => {
    if (timer) return
    timer = setTimeout(() => {
      timer = null
      load()
    }, REFRESH_AFTER_MS)
  }
  const off = store.subscribe((s, prev) => {
    const live = runsToToday(f.period(), localToday(now(), zone()))
    if (live && (s.feed !== prev.feed || s.missed !== prev.missed)) soon()
    else if (s.settings?.serviceLevelSeconds !== prev.settings?.serviceLevelSeconds) soon()
  })
  // A new local day: "today" is another day, and a period counted to yesterday ended.
  const daily = setInterval(() => {
    if (localToday(now(), zone()) !== day) soon()
  }, DAY_CHECK_MS)
  return () => {
    off()
    clearInterval(daily)
    if (timer) clearTimeout(timer)
  }
}

/** The Dashboard's figures, for the period chosen on it (kept in the store), following the calls. */
export function useDashboardFollowingCalls(): void {
  useEffect(() => {
    const deps = { store: appStore, api }
    return followCalls(appStore, {
      period: () => appStore.getState().dashboardPeriod,
      load: (period) => loadDashboard(deps, period),
    })
  }, [])
}

/** Figures loaded for a screen of its own, apart from the Dashboard's chosen period. */
export interface OwnFigures {
  dashboard: Dashboard | null
  loadedAt: number | null
  error: string | null
}

/**
 * `period`'s figures for a screen that shows only that period (the wallboard: today), following
 * the calls like the Dashboard but never changing the period chosen on the Dashboard.
 */
export function useFiguresFollowingCalls(
  period: DashboardRequest,
  source: Pick<ContractApi, 'dashboard'> = api,
): OwnFigures {
  const [figures, setFigures] = useState<OwnFigures>({
    dashboard: null,
    loadedAt: null,
    error: null,
  })
  useEffect(() => {
    let live = true
    const stop = followCalls(appStore, {
      period: () => period,
      load: async (p) => {
        try {
          const dashboard = await source.dashboard.get(p)
          if (live) setFigures({ dashboard, loadedAt: Date.now(), error: null })
        } catch (err) {
          if (live) setFigures((f) => ({ ...f, error: errorText(err) }))
        }
      },
    })
    return () => {
      live = false
      stop()
    }
    // The period is the screen's own and fixed; a new one would be another screen.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  return figures
}
